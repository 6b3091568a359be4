package io.posunbind.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.store.CaseParts;
import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.DocumentParts;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.spi.PosUnbindException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@link JdbcCaseStore}'s reads: a case by id, the open cases of a terminal, the cases of a provider reference
 * and operators' filtered pages. A case comes back whole, its write-once parts (schema V8) put back into its
 * document in the same statement, and the digests of those parts are remembered for the case's next write.
 * Thread-safe.
 */
final class JdbcCaseReads {

    static final String CASE_COLUMNS = "case_id, version, state, provider_id, merchant_number, "
            + "terminal_serial, is_open, wake_at, created_at, updated_at, document, lease_owner, lease_until, "
            + "events_pending, wait_reason, waiting_since, part_layout";
    /** A case row's columns, then its write-once parts (schema V8), one result row per part. */
    static final String CASE_WITH_PARTS = "c." + CASE_COLUMNS.replace(", ", ", c.") + ", p.name, p.content";
    /** One statement, so the row and its parts are of one version even while a writer changes them. */
    private static final String LOAD = "SELECT " + CASE_WITH_PARTS + " FROM posunbind_case c"
            + " LEFT JOIN posunbind_case_part p ON p.case_id = c.case_id WHERE c.case_id = ?";
    private static final String FIND_OPEN = "SELECT case_id FROM posunbind_case"
            + " WHERE provider_id = ? AND terminal_serial = ? AND is_open = TRUE ORDER BY case_id";
    /** H2 has no partial index: it finds a terminal's open case through the generated column of schema V3. */
    private static final String FIND_OPEN_H2 = "SELECT case_id FROM posunbind_case WHERE open_terminal = ?"
            + " AND provider_id = ? AND terminal_serial = ? ORDER BY case_id";
    private static final String FIND_BY_REFERENCE = "SELECT case_id FROM posunbind_provider_reference"
            + " WHERE provider_id = ? AND reference = ? ORDER BY case_id";

    private final ConnectionPool pool;
    private final SqlDialect dialect;
    private final CaseParts parts;

    JdbcCaseReads(ConnectionPool pool, SqlDialect dialect, CaseParts parts) {
        this.pool = pool;
        this.dialect = dialect;
        this.parts = parts;
    }

    Optional<CaseRecord> load(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        try {
            return pool.run(connection -> {
                PreparedStatement load = connection.prepare(LOAD);
                load.setString(1, caseId);
                List<CaseRecord> cases = readCases(load);
                return cases.isEmpty() ? Optional.<CaseRecord>empty() : Optional.of(cases.get(0));
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("load case " + caseId, e);
        }
    }

    List<String> findOpenCaseIds(String providerId, String terminalSerial) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        try {
            return pool.run(connection -> {
                PreparedStatement query;
                if (dialect == SqlDialect.H2) {
                    query = connection.prepare(FIND_OPEN_H2);
                    query.setString(1, providerId + "|" + terminalSerial);
                    query.setString(2, providerId);
                    query.setString(3, terminalSerial);
                } else {
                    query = connection.prepare(FIND_OPEN);
                    query.setString(1, providerId);
                    query.setString(2, terminalSerial);
                }
                return readIds(query);
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("find the open cases of a terminal", e);
        }
    }

    List<String> findByProviderReference(String providerId, String reference) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(reference, "reference");
        try {
            return pool.run(connection -> {
                PreparedStatement query = connection.prepare(FIND_BY_REFERENCE);
                query.setString(1, providerId);
                query.setString(2, reference);
                return readIds(query);
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("find cases by a provider reference", e);
        }
    }

    /**
     * Each part of the filter is a condition on an indexed column (schema V6 adds the wait, merchant and
     * terminal indexes); the page is the rows after the filter's position in (updated_at, case_id) order.
     */
    List<CaseRecord> findCases(CaseFilter filter) {
        Objects.requireNonNull(filter, "filter");
        // The page of case rows is chosen first, then joined with its parts: one statement, one version each.
        StringBuilder sql = new StringBuilder("SELECT " + CASE_WITH_PARTS + " FROM (SELECT " + CASE_COLUMNS
                + " FROM posunbind_case WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        condition(sql, values, " AND state = ?", filter.state());
        condition(sql, values, " AND wait_reason = ?", filter.waitReason());
        condition(sql, values, " AND waiting_since < ?", millis(filter.waitingSinceBefore(), "waitingSinceBefore"));
        condition(sql, values, " AND waiting_since > ?", millis(filter.waitingSinceAfter(), "waitingSinceAfter"));
        condition(sql, values, " AND provider_id = ?", filter.providerId());
        condition(sql, values, " AND merchant_number = ?", filter.merchantNumber());
        condition(sql, values, " AND terminal_serial = ?", filter.terminalSerial());
        condition(sql, values, " AND updated_at < ?", millis(filter.updatedBefore(), "updatedBefore"));
        if (filter.after().isPresent()) {
            long updatedAt = CaseStoreRules.epochMillis(filter.after().get().updatedAt(), "after");
            sql.append(" AND (updated_at > ? OR (updated_at = ? AND case_id > ?))");
            values.add(updatedAt);
            values.add(updatedAt);
            values.add(filter.after().get().caseId());
        }
        sql.append(" ORDER BY updated_at, case_id LIMIT ?) c LEFT JOIN posunbind_case_part p"
                + " ON p.case_id = c.case_id ORDER BY c.updated_at, c.case_id");
        values.add(filter.limit());
        try {
            return pool.run(connection -> {
                // Operators' queries are rare and come in hundreds of shapes: prepared each time, not cached.
                try (PreparedStatement query = connection.connection().prepareStatement(sql.toString())) {
                    for (int i = 0; i < values.size(); i++) {
                        query.setObject(i + 1, values.get(i));
                    }
                    return readCases(query);
                }
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("find cases", e);
        }
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Optional<?> value) {
        if (value.isPresent()) {
            sql.append(condition);
            values.add(value.get());
        }
    }

    private static Optional<Long> millis(Optional<Instant> instant, String what) {
        return instant.map(value -> CaseStoreRules.epochMillis(value, what));
    }

    /**
     * The cases of a query of {@link #CASE_WITH_PARTS}: a case's rows come one after the other, one per part
     * (or one with no part). Remembers the digests of each case's stored parts for its next write.
     *
     * @throws PosUnbindException {@code UNB-STORE-CORRUPT} when a case cannot be put together again
     */
    List<CaseRecord> readCases(PreparedStatement query) throws SQLException {
        return readCases(query, unreadable -> {
            throw unreadable.problem();
        });
    }

    /**
     * As {@link #readCases(PreparedStatement)}, handing each case that cannot be put together again to
     * {@code unreadable} ({@code UNB-STORE-CORRUPT}, naming the case) and reading on.
     */
    List<CaseRecord> readCases(PreparedStatement query, Consumer<UnreadableCase> unreadable) throws SQLException {
        List<CaseRecord> cases = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            boolean more = rows.next();
            while (more) {
                CaseRecord whole = readCase(rows);
                String layout = rows.getString(17);
                Map<String, String> texts = new HashMap<>();
                Map<String, String> digests = new HashMap<>();
                PosUnbindException problem = null;
                // Every row of the case is read, also after a part that cannot be, so the next case starts clean.
                do {
                    String name = rows.getString(18);
                    if (name != null && problem == null) {
                        try {
                            String text = content(whole.caseId(), rows);
                            digests.put(name, DocumentParts.digest(text));
                            texts.put(name, text);
                        } catch (PosUnbindException e) {
                            problem = e;
                        }
                    }
                    more = rows.next();
                } while (more && rows.getString(1).equals(whole.caseId()));
                try {
                    if (problem != null) {
                        throw problem;
                    }
                    cases.add(layout == null ? whole : withParts(whole, layout, texts, digests));
                    parts.remember(whole.caseId(), whole.version(), digests);
                } catch (PosUnbindException e) {
                    parts.forget(whole.caseId());
                    unreadable.accept(new UnreadableCase(whole.caseId(), whole.version(), e));
                }
            }
        }
        return cases;
    }

    /** A stored case that cannot be put together again, and why ({@code UNB-STORE-CORRUPT}). */
    record UnreadableCase(String caseId, long version, PosUnbindException problem) {
    }

    private String content(String caseId, ResultSet row) throws SQLException {
        try {
            return parts.content(row, 19);
        } catch (IllegalArgumentException e) {
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Stored case " + caseId
                    + " has a part of its document that cannot be read: " + e.getMessage(), null, null);
        }
    }

    /** The record with its document whole again. */
    private static CaseRecord withParts(CaseRecord row, String layout, Map<String, String> texts,
            Map<String, String> digests) {
        String document;
        try {
            document = DocumentParts.assemble(row.document(), layout, texts, digests);
        } catch (IllegalArgumentException e) {
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Stored case " + row.caseId()
                    + " cannot be put together from the parts its layout names (" + layout + "; parts stored: "
                    + new TreeSet<>(texts.keySet()) + "): " + e.getMessage(), null, null);
        }
        return new CaseRecord(row.caseId(), row.version(), row.state(), row.providerId(), row.merchantNumber(),
                row.terminalSerial(), row.open(), row.wakeAt(), row.createdAt(), row.updatedAt(), document,
                row.leaseOwner(), row.leaseUntil(), row.eventsPending(), row.waitReason(), row.waitingSince());
    }

    private static CaseRecord readCase(ResultSet row) throws SQLException {
        long wakeAt = row.getLong(8);
        Optional<Instant> wake = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(wakeAt));
        String leaseOwner = row.getString(12);
        long leaseUntil = row.getLong(13);
        Optional<Instant> until = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(leaseUntil));
        boolean eventsPending = row.getBoolean(14);
        Optional<String> waitReason = Optional.ofNullable(row.getString(15));
        long waitingSince = row.getLong(16);
        Optional<Instant> since = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(waitingSince));
        return new CaseRecord(row.getString(1), row.getLong(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getBoolean(7), wake, Instant.ofEpochMilli(row.getLong(9)),
                Instant.ofEpochMilli(row.getLong(10)), row.getString(11), Optional.ofNullable(leaseOwner), until,
                eventsPending, waitReason, since);
    }

    static List<String> readIds(PreparedStatement query) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
