package io.posunbind.audit;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.DurableCommits;
import io.posunbind.internal.store.EmbeddedWrites;
import io.posunbind.internal.store.SchemaScript;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.internal.store.SqlStates;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A durable {@link AuditStore} over plain JDBC, on H2 2.x or PostgreSQL 12+. Records live in
 * {@code posunbind_audit_record}, checkpoints in {@code posunbind_audit_checkpoint}; both tables are created
 * when missing each time the store opens (the DDL ships as
 * {@code io/posunbind/audit/schema/<dialect>/V1__audit.sql}). Instants keep their full nanosecond
 * precision, since the records' hashes cover it.
 *
 * <p>Every call is one auto-committed statement on a pooled connection (up to {@value #POOL_SIZE}). The
 * sequence is each table's primary key, so of two writers of the same sequence exactly one wins; the loser
 * gets {@link CoreErrorCode#AUDIT_SEQUENCE_TAKEN}. Other failures are
 * {@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE} (retryable), or {@link CoreErrorCode#INVALID_REQUEST} when
 * the database rejects a value as too long.
 *
 * <p>A call returns once its record is durable, whatever the database's defaults: on PostgreSQL the store
 * sets {@code synchronous_commit} to {@code on} for its own sessions, so a server, database or role that
 * defaults it to {@code off} cannot lose a record the trail was told is stored.
 *
 * <p>Thread-safe. Close it to release its connections; a closed store throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (JdbcAuditStore store = JdbcAuditStore.h2File(Path.of("/var/lib/myapp/posunbind"))) {
 *     AuditTrail trail = AuditTrail.builder().store(store).keys(keys).build();
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class JdbcAuditStore implements AuditStore, AutoCloseable {

    /** The most connections the store keeps open at once. */
    public static final int POOL_SIZE = 4;

    private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Options compatible with the case store's H2 URL, so both stores can share one database file in a process.
     * WRITE_DELAY=0 as there: a record is in the file when its append returns, so a killed process loses none
     * and H2 never saves from a background thread of its own (see EmbeddedWrites).
     */
    private static final String H2_OPTIONS = ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
    private static final String SCHEMA_SCRIPT = "V1__audit.sql";

    private static final String RECORD_COLUMNS = "sequence, time_second, time_nano, actor_id, actor_role, event_type, "
            + "outcome, origin, case_id, terminal_serial, merchant_number, detail, previous_hash, hash";
    private static final String INSERT_RECORD = "INSERT INTO posunbind_audit_record (" + RECORD_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String READ_RANGE = "SELECT " + RECORD_COLUMNS + " FROM posunbind_audit_record"
            + " WHERE sequence >= ? AND sequence <= ? ORDER BY sequence";
    private static final String READ_AFTER = "SELECT " + RECORD_COLUMNS + " FROM posunbind_audit_record"
            + " WHERE sequence > ? ORDER BY sequence LIMIT ?";
    private static final String READ_CASE = "SELECT " + RECORD_COLUMNS + " FROM posunbind_audit_record"
            + " WHERE case_id = ? ORDER BY sequence";
    private static final String LATEST_RECORD = "SELECT " + RECORD_COLUMNS + " FROM posunbind_audit_record"
            + " ORDER BY sequence DESC LIMIT 1";

    private static final String CHECKPOINT_COLUMNS = "sequence, head_hash, time_second, time_nano, key_id, signature";
    private static final String INSERT_CHECKPOINT = "INSERT INTO posunbind_audit_checkpoint (" + CHECKPOINT_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String READ_CHECKPOINTS = "SELECT " + CHECKPOINT_COLUMNS + " FROM posunbind_audit_checkpoint"
            + " WHERE sequence >= ? AND sequence <= ? ORDER BY sequence";
    private static final String CHECKPOINT_BEFORE = "SELECT " + CHECKPOINT_COLUMNS
            + " FROM posunbind_audit_checkpoint WHERE sequence < ? ORDER BY sequence DESC LIMIT 1";
    private static final String CHECKPOINT_AT_OR_AFTER = "SELECT " + CHECKPOINT_COLUMNS
            + " FROM posunbind_audit_checkpoint WHERE sequence >= ? ORDER BY sequence LIMIT 1";

    private final ConnectionPool pool;
    private final SqlDialect dialect;

    private JdbcAuditStore(ConnectionPool pool, SqlDialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * Opens (creating if needed) the H2 database {@code posunbind} in a directory, the same database
     * {@code JdbcCaseStore.h2File(directory)} uses, so cases and their audit trail can live in one file.
     * Needs H2 2.x on the class or module path.
     *
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE} when the database cannot be opened
     */
    public static JdbcAuditStore h2File(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path absolute = directory.toAbsolutePath().normalize();
        if (absolute.toString().indexOf(';') >= 0) {
            throw new IllegalArgumentException("The store's directory must not contain ';': " + absolute);
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the audit store's directory " + absolute, e);
        }
        return open("jdbc:h2:file:" + absolute.resolve("posunbind").toString().replace('\\', '/') + H2_OPTIONS);
    }

    /**
     * Opens the store on a database reached by a JDBC URL, for example
     * {@code jdbc:postgresql://db/posunbind?user=app&password=...}. The driver must be on the class path.
     *
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE} when there is no driver for the
     *         URL or the database cannot be reached
     */
    public static JdbcAuditStore open(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        try {
            DriverManager.getDriver(jdbcUrl);
        } catch (SQLException e) {
            // The URL may hold a password: name only its scheme.
            throw new PosUnbindException(CoreErrorCode.AUDIT_STORE_UNAVAILABLE, "No JDBC driver on the class path "
                    + "accepts the URL " + scheme(jdbcUrl) + "...; add the database's driver", null, e);
        }
        return open(() -> DriverManager.getConnection(jdbcUrl));
    }

    /**
     * Opens the store on a DataSource, such as PostgreSQL's. The store takes up to {@value #POOL_SIZE}
     * connections and keeps them until {@link #close()}, so a plain, non-pooling DataSource serves well.
     *
     * @throws IllegalArgumentException when the database is neither H2 nor PostgreSQL
     * @throws PosUnbindException       {@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE} when the database cannot
     *                                  be reached or the tables cannot be created
     */
    public static JdbcAuditStore create(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return open(dataSource::getConnection);
    }

    private static JdbcAuditStore open(ConnectionPool.ConnectionOpener opener) {
        ConnectionPool pool = new ConnectionPool(DurableCommits.opener(opener), POOL_SIZE, BORROW_TIMEOUT);
        try {
            // Shares the write lock of the case store when both keep one H2 file (see EmbeddedWrites).
            pool.run(connection -> EmbeddedWrites.lockFor(connection.connection())).ifPresent(pool::serializeWrites);
            SqlDialect dialect = pool.runWriting(connection -> {
                Connection physical = connection.connection();
                SqlDialect detected = SqlDialect.fromProductName(physical.getMetaData().getDatabaseProductName());
                createTables(physical, detected);
                return detected;
            });
            return new JdbcAuditStore(pool, dialect);
        } catch (SQLException e) {
            pool.close();
            throw unavailable("open the audit store and create its tables", e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Runs the DDL in one transaction; on PostgreSQL under the migration lock, so two processes cannot race. */
    private static void createTables(Connection connection, SqlDialect dialect) throws SQLException {
        SchemaScript script = SchemaScript.fromResource(JdbcAuditStore.class,
                "/io/posunbind/audit/schema/" + dialect.directory(), SCHEMA_SCRIPT);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (dialect.migrationLockSql().isPresent()) {
                statement.execute(dialect.migrationLockSql().get());
            }
            for (String sql : script.statements()) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The database this store runs on. */
    SqlDialect dialect() {
        return dialect;
    }

    @Override
    public void appendRecord(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        try {
            pool.runWriting(connection -> {
                PreparedStatement insert = connection.prepare(INSERT_RECORD);
                insert.setLong(1, record.sequence());
                insert.setLong(2, record.time().getEpochSecond());
                insert.setInt(3, record.time().getNano());
                insert.setString(4, record.actorId());
                insert.setString(5, record.actorRole());
                insert.setString(6, record.eventType());
                insert.setString(7, record.outcome().name());
                insert.setString(8, record.origin());
                insert.setString(9, record.resource().caseId());
                insert.setString(10, record.resource().terminalSerial());
                insert.setString(11, record.resource().merchantNumber());
                insert.setString(12, record.detail());
                insert.setString(13, record.previousHash());
                insert.setString(14, record.hash());
                return insert.executeUpdate();
            });
        } catch (SQLException e) {
            if (SqlStates.isIntegrityViolation(e)) {
                throw InMemoryAuditStore.sequenceTaken("record", record.sequence());
            }
            throw failure("append audit record " + record.sequence(), e);
        }
    }

    @Override
    public void appendCheckpoint(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try {
            pool.runWriting(connection -> {
                PreparedStatement insert = connection.prepare(INSERT_CHECKPOINT);
                insert.setLong(1, checkpoint.sequence());
                insert.setString(2, checkpoint.headHash());
                insert.setLong(3, checkpoint.time().getEpochSecond());
                insert.setInt(4, checkpoint.time().getNano());
                insert.setString(5, checkpoint.keyId());
                insert.setString(6, checkpoint.signature());
                return insert.executeUpdate();
            });
        } catch (SQLException e) {
            if (SqlStates.isIntegrityViolation(e)) {
                throw InMemoryAuditStore.sequenceTaken("checkpoint", checkpoint.sequence());
            }
            throw failure("append audit checkpoint " + checkpoint.sequence(), e);
        }
    }

    @Override
    public List<AuditRecord> readRange(long fromSequence, long toSequence) {
        if (fromSequence > toSequence) {
            return List.of();
        }
        return queryRecords("read audit records " + fromSequence + " to " + toSequence, READ_RANGE, statement -> {
            statement.setLong(1, fromSequence);
            statement.setLong(2, toSequence);
        });
    }

    @Override
    public List<AuditRecord> readAfter(long sequence, int limit) {
        InMemoryAuditStore.checkLimit(limit);
        return queryRecords("read audit records after " + sequence, READ_AFTER, statement -> {
            statement.setLong(1, sequence);
            statement.setInt(2, limit);
        });
    }

    @Override
    public List<AuditRecord> readByCase(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        return queryRecords("read the audit records of a case", READ_CASE, statement -> statement.setString(1, caseId));
    }

    @Override
    public Optional<AuditRecord> latestRecord() {
        return queryRecords("read the latest audit record", LATEST_RECORD, statement -> { }).stream().findFirst();
    }

    @Override
    public List<Checkpoint> readCheckpoints(long fromSequence, long toSequence) {
        if (fromSequence > toSequence) {
            return List.of();
        }
        return queryCheckpoints("read audit checkpoints", READ_CHECKPOINTS, statement -> {
            statement.setLong(1, fromSequence);
            statement.setLong(2, toSequence);
        });
    }

    @Override
    public Optional<Checkpoint> latestCheckpointBefore(long sequence) {
        return queryCheckpoints("read an audit checkpoint", CHECKPOINT_BEFORE,
                statement -> statement.setLong(1, sequence)).stream().findFirst();
    }

    @Override
    public Optional<Checkpoint> firstCheckpointAtOrAfter(long sequence) {
        return queryCheckpoints("read an audit checkpoint", CHECKPOINT_AT_OR_AFTER,
                statement -> statement.setLong(1, sequence)).stream().findFirst();
    }

    /** Releases the store's connections; with H2 this also closes the database files once no one else uses them. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcAuditStore[" + dialect + "]";
    }

    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    private List<AuditRecord> queryRecords(String what, String sql, Parameters parameters) {
        try {
            return pool.run(connection -> {
                PreparedStatement query = connection.prepare(sql);
                parameters.set(query);
                List<AuditRecord> records = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        records.add(readRecord(rows));
                    }
                }
                return records;
            });
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private List<Checkpoint> queryCheckpoints(String what, String sql, Parameters parameters) {
        try {
            return pool.run(connection -> {
                PreparedStatement query = connection.prepare(sql);
                parameters.set(query);
                List<Checkpoint> checkpoints = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        checkpoints.add(new Checkpoint(rows.getLong(1), rows.getString(2),
                                Instant.ofEpochSecond(rows.getLong(3), rows.getInt(4)), rows.getString(5),
                                rows.getString(6)));
                    }
                }
                return checkpoints;
            });
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static AuditRecord readRecord(ResultSet row) throws SQLException {
        AuditOutcome outcome;
        try {
            outcome = AuditOutcome.valueOf(row.getString(7));
        } catch (IllegalArgumentException e) {
            // Only a change made outside posunbind can put another value there.
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Audit record " + row.getLong(1)
                    + " has an outcome that is neither SUCCESS nor FAILURE; the audit table was changed outside "
                    + "posunbind", null, e);
        }
        return new AuditRecord(row.getLong(1), Instant.ofEpochSecond(row.getLong(2), row.getInt(3)),
                row.getString(4), row.getString(5), row.getString(6), outcome,
                row.getString(8), new AffectedResource(row.getString(9), row.getString(10), row.getString(11)),
                row.getString(12), row.getString(13), row.getString(14));
    }

    private static PosUnbindException failure(String what, SQLException e) {
        if (SqlStates.isDataException(e)) {
            return new PosUnbindException(CoreErrorCode.INVALID_REQUEST, "The database refused a value while trying to "
                    + what + " (SQLSTATE " + e.getSQLState() + "); a field is longer than its column allows", null, e);
        }
        return unavailable(what, e);
    }

    private static PosUnbindException unavailable(String what, SQLException e) {
        return new PosUnbindException(CoreErrorCode.AUDIT_STORE_UNAVAILABLE, "Could not " + what
                + " (SQLSTATE " + e.getSQLState() + "); the audit store is unavailable, retry later", null, e);
    }

    private static String scheme(String jdbcUrl) {
        int second = jdbcUrl.indexOf(':', jdbcUrl.indexOf(':') + 1);
        return second < 0 ? "(malformed)" : jdbcUrl.substring(0, second + 1);
    }
}
