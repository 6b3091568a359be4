package io.posunbind.store;

import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.DueClaims;
import io.posunbind.internal.store.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JdbcCaseStore}'s due work: finding due cases, claiming them in batches with their leases, and
 * renewing leases. Thread-safe.
 */
final class JdbcDueWork {

    private static final String RENEW_LEASE = "UPDATE posunbind_case SET lease_until = ?"
            + " WHERE case_id = ? AND lease_owner = ?";
    private static final String FIND_PENDING_EVENTS = "SELECT case_id FROM posunbind_case WHERE events_pending = TRUE"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY updated_at, case_id LIMIT ?";
    private static final String FIND_DUE = "SELECT case_id FROM posunbind_case WHERE is_open = TRUE AND wake_at <= ?"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY wake_at, case_id LIMIT ?";

    /**
     * How long a claimed case that cannot be read (UNB-STORE-CORRUPT) stays leased to the claimer instead of
     * running: failing the whole claim would stop every other due case behind it, and claiming it again at once
     * would log its error at every look. An operator who repairs it clears its lease to have it run at once.
     */
    static final Duration UNREADABLE_SET_ASIDE = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCaseStore.class);

    private final ConnectionPool pool;
    private final DueClaims claims;
    private final JdbcCaseReads reads;

    JdbcDueWork(ConnectionPool pool, SqlDialect dialect, JdbcCaseReads reads) {
        this.pool = pool;
        this.claims = new DueClaims(dialect);
        this.reads = reads;
    }

    List<String> findDue(Instant now, int limit) {
        long cutoff = CaseStoreRules.epochMillis(now, "now");
        CaseStoreRules.checkLimit(limit);
        try {
            return pool.run(connection -> {
                PreparedStatement query = connection.prepare(FIND_DUE);
                query.setLong(1, cutoff);
                query.setLong(2, cutoff);
                query.setInt(3, limit);
                List<String> due = new ArrayList<>(JdbcCaseReads.readIds(query));
                if (due.size() < limit) {
                    PreparedStatement pending = connection.prepare(FIND_PENDING_EVENTS);
                    pending.setLong(1, cutoff);
                    pending.setInt(2, limit - due.size());
                    for (String id : JdbcCaseReads.readIds(pending)) {
                        if (!due.contains(id)) {
                            due.add(id);
                        }
                    }
                }
                return List.copyOf(due);
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("find due cases", e);
        }
    }

    /**
     * One statement per batch claims the cases ({@link DueClaims}: {@code FOR UPDATE SKIP LOCKED} on
     * PostgreSQL, its closest equivalent on H2), and one more reads them, parts included, in the same
     * transaction, so the engine runs each without reading or leasing it again.
     */
    List<ClaimedCase> claimDue(String owner, Instant now, Duration lease, int limit) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        long cutoff = CaseStoreRules.epochMillis(now, "now");
        long until = CaseStoreRules.epochMillis(Instant.ofEpochMilli(cutoff).plus(lease), "lease");
        CaseStoreRules.checkLimit(limit);
        try {
            return pool.runWriting(connection -> {
                Connection physical = connection.connection();
                physical.setAutoCommit(false);
                try {
                    Map<String, Optional<String>> claimed = claims.claim(connection, owner, cutoff, until, limit);
                    List<JdbcCaseReads.UnreadableCase> unreadable = new ArrayList<>();
                    List<CaseRecord> records = claimed.isEmpty() ? List.of()
                            : readClaimed(connection, claimed, unreadable::add);
                    long setAsideUntil = CaseStoreRules.epochMillis(Instant.ofEpochMilli(cutoff)
                            .plus(UNREADABLE_SET_ASIDE), "set aside");
                    for (JdbcCaseReads.UnreadableCase bad : unreadable) {
                        setAside(connection, bad.caseId(), owner, setAsideUntil);
                    }
                    physical.commit();
                    for (JdbcCaseReads.UnreadableCase bad : unreadable) {
                        LOG.error("Claimed case {} cannot be read and is set aside, leased to {} until {}, so that the"
                                + " other due cases still run; it is claimed again then, or when repaired and its lease"
                                + " cleared: {}", bad.caseId(), owner, Instant.ofEpochMilli(setAsideUntil),
                                bad.problem().getMessage());
                    }
                    return records.stream().sorted(claimOrder(cutoff))
                            .map(record -> new ClaimedCase(record, claimed.get(record.caseId()))).toList();
                } catch (SQLException | RuntimeException e) {
                    physical.rollback();
                    throw e;
                } finally {
                    physical.setAutoCommit(true);
                }
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("claim due cases", e);
        }
    }

    /** Due cases by wake time, then the cases claimed for their pending events by update time, as findDue. */
    private static Comparator<CaseRecord> claimOrder(long now) {
        Instant cutoff = Instant.ofEpochMilli(now);
        return Comparator.comparing((CaseRecord record) -> !(record.open()
                        && record.wakeAt().filter(wake -> !wake.isAfter(cutoff)).isPresent()))
                .thenComparing(record -> record.open() && record.wakeAt().isPresent()
                        && !record.wakeAt().get().isAfter(cutoff) ? record.wakeAt().get() : record.updatedAt())
                .thenComparing(CaseRecord::caseId);
    }

    /** Keeps an unreadable case's claim for {@link #UNREADABLE_SET_ASIDE}, in the claim's transaction. */
    private static void setAside(ConnectionPool.PooledConnection connection, String caseId, String owner,
            long until) throws SQLException {
        PreparedStatement keep = connection.prepare(RENEW_LEASE);
        keep.setLong(1, until);
        keep.setString(2, caseId);
        keep.setString(3, owner);
        keep.executeUpdate();
    }

    private List<CaseRecord> readClaimed(ConnectionPool.PooledConnection connection,
            Map<String, Optional<String>> claimed, Consumer<JdbcCaseReads.UnreadableCase> unreadable)
            throws SQLException {
        String marks = String.join(", ", Collections.nCopies(claimed.size(), "?"));
        // Ordered by case id so that a case's rows (one per part) come together, as readCases needs.
        try (PreparedStatement read = connection.connection().prepareStatement("SELECT "
                + JdbcCaseReads.CASE_WITH_PARTS + " FROM posunbind_case c LEFT JOIN posunbind_case_part p"
                + " ON p.case_id = c.case_id WHERE c.case_id IN (" + marks + ") ORDER BY c.case_id")) {
            int index = 1;
            for (String caseId : claimed.keySet()) {
                read.setString(index++, caseId);
            }
            return reads.readCases(read, unreadable);
        }
    }

    boolean renewLease(String caseId, String owner, Instant until) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(owner, "owner");
        long untilMillis = CaseStoreRules.epochMillis(until, "until");
        try {
            return pool.runWriting(connection -> {
                PreparedStatement renew = connection.prepare(RENEW_LEASE);
                renew.setLong(1, untilMillis);
                renew.setString(2, caseId);
                renew.setString(3, owner);
                return renew.executeUpdate() == 1;
            });
        } catch (SQLException e) {
            throw JdbcFailures.failure("renew the lease of case " + caseId, e);
        }
    }
}
