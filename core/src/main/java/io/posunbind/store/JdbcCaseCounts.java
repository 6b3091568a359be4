package io.posunbind.store;

import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.internal.store.ConnectionPool.PooledConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link JdbcCaseStore}'s counts for gauges and health checks: two aggregate statements, never a read per case,
 * so a scrape costs the same with ten cases as with a million.
 */
final class JdbcCaseCounts {

    /** Grouped by the state and wait reason columns (schema V6 indexes the wait reason). */
    private static final String COUNT_CASES = "SELECT state, wait_reason, COUNT(*) FROM posunbind_case"
            + " GROUP BY state, wait_reason";
    private static final String OLDEST_UNCLAIMED_DUE = "SELECT MIN(wake_at) FROM posunbind_case WHERE is_open = TRUE"
            + " AND wake_at <= ? AND (lease_until IS NULL OR lease_until <= ?)";

    private JdbcCaseCounts() {
    }

    /** Cases by state and wait reason, and the wake time of the oldest due case nobody leased at {@code now}. */
    static CaseCounts count(PooledConnection connection, Instant now) throws SQLException {
        long cutoff = CaseStoreRules.epochMillis(now, "now");
        Map<CaseState, Long> byState = new EnumMap<>(CaseState.class);
        Map<WaitReason, Long> waiting = new EnumMap<>(WaitReason.class);
        try (ResultSet rows = connection.prepare(COUNT_CASES).executeQuery()) {
            while (rows.next()) {
                // A state or reason this version does not know (written by a newer one) is not counted.
                Optional<CaseState> state = CaseStoreRules.knownState(rows.getString(1));
                Optional<WaitReason> reason = Optional.ofNullable(rows.getString(2))
                        .flatMap(CaseStoreRules::knownReason);
                long count = rows.getLong(3);
                state.ifPresent(known -> byState.merge(known, count, Long::sum));
                if (state.equals(Optional.of(CaseState.WAITING))) {
                    reason.ifPresent(known -> waiting.merge(known, count, Long::sum));
                }
            }
        }
        PreparedStatement oldest = connection.prepare(OLDEST_UNCLAIMED_DUE);
        oldest.setLong(1, cutoff);
        oldest.setLong(2, cutoff);
        Optional<Instant> oldestDue = Optional.empty();
        try (ResultSet row = oldest.executeQuery()) {
            if (row.next()) {
                long wakeAt = row.getLong(1);
                oldestDue = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(wakeAt));
            }
        }
        return new CaseCounts(byState, waiting, oldestDue);
    }
}
