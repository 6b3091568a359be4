package io.posunbind.internal.batch;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.batch.StartWindow;
import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.SqlStates;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.BatchRecord;
import io.posunbind.store.BatchRowRecord;
import io.posunbind.store.BatchStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Batches in the tables {@code posunbind_batch} and {@code posunbind_batch_row} (schema V9) of a
 * {@code JdbcCaseStore}'s database, on its connections. A batch and its rows are inserted in one transaction;
 * every change of a row or a batch is one compare-and-set {@code UPDATE ... WHERE status = ?}, so of instances
 * racing for the same row one wins. Instants are epoch milliseconds. Thread-safe.
 */
public final class JdbcBatchStore implements BatchStore {

    /** Rows inserted per JDBC batch when a batch is stored. */
    private static final int INSERT_CHUNK = 500;

    private static final String BATCH_COLUMNS = "batch_id, state, window_from, window_until, default_zone,"
            + " max_in_flight, requested_by, requested_role, row_count, created_at, first_started_at, finished_at";
    private static final String ROW_COLUMNS = "batch_id, row_no, provider_id, terminal_serial, time_zone, request,"
            + " case_id, status, outcome, error_code, detail, updated_at";
    private static final String INSERT_BATCH = "INSERT INTO posunbind_batch (" + BATCH_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ROW = "INSERT INTO posunbind_batch_row (" + ROW_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LOAD_BATCH = "SELECT " + BATCH_COLUMNS + " FROM posunbind_batch WHERE batch_id = ?";
    private static final String CHANGE_STATE = "UPDATE posunbind_batch SET state = ?,"
            + " finished_at = COALESCE(?, finished_at) WHERE batch_id = ? AND state = ?";
    private static final String FIRST_START = "UPDATE posunbind_batch SET first_started_at = ?"
            + " WHERE batch_id = ? AND first_started_at IS NULL";
    /** The right to start a batch's rows: taken when free, expired, or already this owner's (schema V12). */
    private static final String LEASE_STARTING = "UPDATE posunbind_batch SET starter = ?, starter_until = ?"
            + " WHERE batch_id = ? AND (starter IS NULL OR starter = ? OR starter_until <= ?)";
    private static final String RELEASE_STARTING = "UPDATE posunbind_batch SET starter = NULL, starter_until = NULL"
            + " WHERE batch_id = ? AND starter = ?";
    private static final String UNFINISHED = "SELECT batch_id FROM posunbind_batch WHERE finished_at IS NULL"
            + " ORDER BY batch_id";
    private static final String PENDING_ZONES = "SELECT DISTINCT time_zone FROM posunbind_batch_row"
            + " WHERE batch_id = ? AND status = 'PENDING'";
    private static final String ROWS_IN = "SELECT " + ROW_COLUMNS + " FROM posunbind_batch_row"
            + " WHERE batch_id = ? AND status = ? ORDER BY row_no LIMIT ?";
    private static final String ROWS_AFTER = "SELECT " + ROW_COLUMNS + " FROM posunbind_batch_row"
            + " WHERE batch_id = ? AND row_no > ? ORDER BY row_no LIMIT ?";
    private static final String COUNT_ROWS = "SELECT status, COUNT(*) FROM posunbind_batch_row WHERE batch_id = ?"
            + " GROUP BY status";
    private static final String COUNT_OUTCOMES = "SELECT outcome, COUNT(*) FROM posunbind_batch_row"
            + " WHERE batch_id = ? AND status = 'ENDED' GROUP BY outcome";
    private static final String UPDATE_ROW = "UPDATE posunbind_batch_row SET status = ?, outcome = ?, error_code = ?,"
            + " detail = ?, updated_at = ? WHERE batch_id = ? AND row_no = ? AND status = ?";
    private static final String PENDING_OF_TERMINAL = "SELECT " + ROW_COLUMNS + " FROM posunbind_batch_row"
            + " WHERE provider_id = ? AND terminal_serial = ? AND status = 'PENDING' ORDER BY batch_id, row_no";

    private final ConnectionPool pool;

    /** A batch store on the pool's database, whose schema must be at version 9 or later. */
    public JdbcBatchStore(ConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public void insert(BatchRecord batch, List<BatchRowRecord> rows) {
        try {
            pool.runWriting(pooled -> {
                Connection connection = pooled.connection();
                connection.setAutoCommit(false);
                try {
                    insertAll(connection, batch, rows);
                    connection.commit();
                    return null;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            });
        } catch (SQLException e) {
            if (SqlStates.isIntegrityViolation(e)) {
                throw new PosUnbindException(CoreErrorCode.BATCH_EXISTS, "Batch " + batch.batchId()
                        + " exists already");
            }
            throw unavailable("store batch " + batch.batchId(), e);
        }
    }

    private static void insertAll(Connection connection, BatchRecord batch, List<BatchRowRecord> rows)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_BATCH)) {
            BatchOptions options = batch.options();
            insert.setString(1, batch.batchId());
            insert.setString(2, batch.state().name());
            insert.setString(3, options.startWindow().map(window -> window.from().toString()).orElse(null));
            insert.setString(4, options.startWindow().map(window -> window.until().toString()).orElse(null));
            insert.setString(5, options.defaultTimeZone().getId());
            insert.setInt(6, options.maxCasesInFlight());
            insert.setString(7, batch.requestedBy().id());
            insert.setString(8, batch.requestedBy().role());
            insert.setInt(9, batch.rowCount());
            insert.setLong(10, batch.createdAt().toEpochMilli());
            setInstant(insert, 11, batch.firstStartedAt());
            setInstant(insert, 12, batch.finishedAt());
            insert.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ROW)) {
            int inChunk = 0;
            for (BatchRowRecord row : rows) {
                insert.setString(1, row.batchId());
                insert.setInt(2, row.rowNumber());
                insert.setString(3, row.providerId());
                insert.setString(4, row.terminalSerial());
                insert.setString(5, row.timeZone());
                insert.setString(6, row.request());
                insert.setString(7, row.caseId());
                insert.setString(8, row.status().name());
                insert.setString(9, row.outcome().orElse(null));
                insert.setString(10, row.errorCode().orElse(null));
                insert.setString(11, row.detail().orElse(null));
                insert.setLong(12, row.updatedAt().toEpochMilli());
                insert.addBatch();
                if (++inChunk == INSERT_CHUNK) {
                    insert.executeBatch();
                    inChunk = 0;
                }
            }
            if (inChunk > 0) {
                insert.executeBatch();
            }
        }
    }

    @Override
    public Optional<BatchRecord> load(String batchId) {
        return query("load batch " + batchId, LOAD_BATCH, statement -> statement.setString(1, batchId), rows -> {
            if (!rows.next()) {
                return Optional.empty();
            }
            String from = rows.getString(3);
            Optional<StartWindow> window = from == null ? Optional.empty() : Optional.of(StartWindow.between(
                    LocalTime.parse(from), LocalTime.parse(rows.getString(4))));
            BatchOptions options = new BatchOptions(window, ZoneId.of(rows.getString(5)), rows.getInt(6));
            return Optional.of(new BatchRecord(rows.getString(1), BatchState.valueOf(rows.getString(2)), options,
                    new Actor(rows.getString(7), rows.getString(8)), rows.getInt(9),
                    Instant.ofEpochMilli(rows.getLong(10)), instant(rows, 11), instant(rows, 12)));
        });
    }

    @Override
    public boolean changeState(String batchId, BatchState from, BatchState to, Optional<Instant> finishedAt) {
        return update("change the state of batch " + batchId, CHANGE_STATE, statement -> {
            statement.setString(1, to.name());
            setInstant(statement, 2, finishedAt);
            statement.setString(3, batchId);
            statement.setString(4, from.name());
        }) == 1;
    }

    @Override
    public void recordFirstStart(String batchId, Instant at) {
        update("record the first start of batch " + batchId, FIRST_START, statement -> {
            statement.setLong(1, at.toEpochMilli());
            statement.setString(2, batchId);
        });
    }

    @Override
    public boolean leaseStarting(String batchId, String owner, Instant now, Instant until) {
        // One statement: the database's row lock decides between instances asking at the same moment.
        return update("take the right to start rows of batch " + batchId, LEASE_STARTING, statement -> {
            statement.setString(1, owner);
            statement.setLong(2, until.toEpochMilli());
            statement.setString(3, batchId);
            statement.setString(4, owner);
            statement.setLong(5, now.toEpochMilli());
        }) == 1;
    }

    @Override
    public void releaseStarting(String batchId, String owner) {
        update("give back the right to start rows of batch " + batchId, RELEASE_STARTING, statement -> {
            statement.setString(1, batchId);
            statement.setString(2, owner);
        });
    }

    @Override
    public List<String> unfinishedBatchIds() {
        return query("find unfinished batches", UNFINISHED, statement -> { }, rows -> {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        });
    }

    @Override
    public Set<String> pendingTimeZones(String batchId) {
        return query("find the time zones of batch " + batchId, PENDING_ZONES,
                statement -> statement.setString(1, batchId), rows -> {
                    Set<String> zones = new TreeSet<>();
                    while (rows.next()) {
                        zones.add(rows.getString(1));
                    }
                    return zones;
                });
    }

    @Override
    public List<BatchRowRecord> pendingRows(String batchId, Set<String> timeZones, int limit) {
        if (timeZones.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + ROW_COLUMNS + " FROM posunbind_batch_row WHERE batch_id = ? AND status = 'PENDING'"
                + " AND time_zone IN (" + String.join(", ", timeZones.stream().map(zone -> "?").toList())
                + ") ORDER BY row_no LIMIT ?";
        List<String> zones = List.copyOf(timeZones);
        return query("find rows to start in batch " + batchId, sql, statement -> {
            statement.setString(1, batchId);
            for (int i = 0; i < zones.size(); i++) {
                statement.setString(2 + i, zones.get(i));
            }
            statement.setInt(2 + zones.size(), limit);
        }, JdbcBatchStore::rowList);
    }

    @Override
    public List<BatchRowRecord> rowsIn(String batchId, BatchRowStatus status, int limit) {
        return query("read rows of batch " + batchId, ROWS_IN, statement -> {
            statement.setString(1, batchId);
            statement.setString(2, status.name());
            statement.setInt(3, limit);
        }, JdbcBatchStore::rowList);
    }

    @Override
    public List<BatchRowRecord> rows(String batchId, int afterRowNumber, int limit) {
        return query("read rows of batch " + batchId, ROWS_AFTER, statement -> {
            statement.setString(1, batchId);
            statement.setInt(2, afterRowNumber);
            statement.setInt(3, limit);
        }, JdbcBatchStore::rowList);
    }

    @Override
    public Map<BatchRowStatus, Integer> countRows(String batchId) {
        return query("count rows of batch " + batchId, COUNT_ROWS, statement -> statement.setString(1, batchId),
                rows -> {
                    Map<BatchRowStatus, Integer> counts = new EnumMap<>(BatchRowStatus.class);
                    while (rows.next()) {
                        counts.put(BatchRowStatus.valueOf(rows.getString(1)), rows.getInt(2));
                    }
                    return counts;
                });
    }

    @Override
    public Map<String, Integer> countOutcomes(String batchId) {
        return query("count outcomes of batch " + batchId, COUNT_OUTCOMES,
                statement -> statement.setString(1, batchId), rows -> {
                    Map<String, Integer> counts = new TreeMap<>();
                    while (rows.next()) {
                        counts.put(rows.getString(1), rows.getInt(2));
                    }
                    return counts;
                });
    }

    @Override
    public boolean updateRow(BatchRowRecord row, BatchRowStatus expected) {
        return update("update row " + row.rowNumber() + " of batch " + row.batchId(), UPDATE_ROW, statement -> {
            statement.setString(1, row.status().name());
            statement.setString(2, row.outcome().orElse(null));
            statement.setString(3, row.errorCode().orElse(null));
            statement.setString(4, row.detail().orElse(null));
            statement.setLong(5, row.updatedAt().toEpochMilli());
            statement.setString(6, row.batchId());
            statement.setInt(7, row.rowNumber());
            statement.setString(8, expected.name());
        }) == 1;
    }

    @Override
    public List<BatchRowRecord> pendingRowsOfTerminal(String providerId, String terminalSerial) {
        return query("find rows of terminal", PENDING_OF_TERMINAL, statement -> {
            statement.setString(1, providerId);
            statement.setString(2, terminalSerial);
        }, JdbcBatchStore::rowList);
    }

    private static List<BatchRowRecord> rowList(ResultSet rows) throws SQLException {
        List<BatchRowRecord> found = new ArrayList<>();
        while (rows.next()) {
            found.add(new BatchRowRecord(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getString(4),
                    rows.getString(5), rows.getString(6), rows.getString(7), BatchRowStatus.valueOf(rows.getString(8)),
                    Optional.ofNullable(rows.getString(9)), Optional.ofNullable(rows.getString(10)),
                    Optional.ofNullable(rows.getString(11)), Instant.ofEpochMilli(rows.getLong(12))));
        }
        return found;
    }

    /** Parameters of a statement. */
    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** What a query's rows become. */
    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String action, String sql, Parameters parameters, Rows<T> reader) {
        try {
            return pool.run(connection -> {
                PreparedStatement statement = connection.prepare(sql);
                parameters.set(statement);
                try (ResultSet rows = statement.executeQuery()) {
                    return reader.read(rows);
                }
            });
        } catch (SQLException e) {
            throw unavailable(action, e);
        }
    }

    private int update(String action, String sql, Parameters parameters) {
        try {
            return pool.runWriting(connection -> {
                PreparedStatement statement = connection.prepare(sql);
                parameters.set(statement);
                return statement.executeUpdate();
            });
        } catch (SQLException e) {
            throw unavailable(action, e);
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static Optional<Instant> instant(ResultSet rows, int index) throws SQLException {
        long millis = rows.getLong(index);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static PosUnbindException unavailable(String action, SQLException e) {
        return new PosUnbindException(CoreErrorCode.STORE_UNAVAILABLE, "Could not " + action + " (SQLSTATE "
                + e.getSQLState() + "); try again when the database is back", null, e);
    }

    @Override
    public String toString() {
        return "JdbcBatchStore";
    }
}
