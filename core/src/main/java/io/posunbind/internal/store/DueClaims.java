package io.posunbind.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The statements that claim a batch of due cases for one owner, one statement per batch and kind (cases
 * whose wake time came, then cases whose events are still pending), run inside the caller's transaction.
 * Each raises the claimed cases' versions, like every other lease change, so a writer whose lease expired
 * and was taken over is refused.
 *
 * <p>PostgreSQL: {@code UPDATE … FROM (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)}. The inner select locks
 * the rows it picks and passes over rows another claimer has locked, so concurrent claimers take disjoint
 * batches without waiting on each other; under READ COMMITTED a row changed since the snapshot is checked
 * again against the inner condition when it is locked. The join hands back the previous lease owner, which
 * {@code RETURNING} alone could not (it sees the new row), to tell a takeover from a free case.
 *
 * <p>H2 (2.4): no {@code FOR UPDATE SKIP LOCKED}. H2 accepts it but, as tried against 2.4.240, locks every
 * row the inner select matches before it applies the limit: with 3,000 cases due a claim of two took 40-86 ms
 * and wrote a lock on each of the 3,000 into the file's next save, against 7-9 ms without, and the long crash
 * campaign's final worker spent most of its processor there. On an H2 file the writes of a process run one at a
 * time anyway ({@link EmbeddedWrites}), so no claimer races another. Where one could (an H2 server), the outer
 * {@code WHERE} repeats the lease condition: a claimer that updates a row another claimer changed after its
 * inner select (H2 re-reads a row it waited for) finds the case no longer matches and leaves it alone, so two
 * claimers never both win it. H2 has no {@code UPDATE … FROM}; {@code OLD TABLE (UPDATE …)} returns the rows
 * as they were, previous owner included.
 */
public final class DueClaims {

    private static final String PG_CLAIM = "UPDATE posunbind_case c SET version = c.version + 1, lease_owner = ?,"
            + " lease_until = ? FROM (SELECT case_id, lease_owner FROM posunbind_case WHERE %s"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY %s LIMIT ? FOR UPDATE SKIP LOCKED) due"
            + " WHERE c.case_id = due.case_id AND (c.lease_until IS NULL OR c.lease_until <= ?)"
            + " RETURNING c.case_id, due.lease_owner";
    private static final String H2_CLAIM = "SELECT case_id, lease_owner FROM OLD TABLE (UPDATE posunbind_case"
            + " SET version = version + 1, lease_owner = ?, lease_until = ? WHERE case_id IN (SELECT case_id"
            + " FROM posunbind_case WHERE %s AND (lease_until IS NULL OR lease_until <= ?) ORDER BY %s LIMIT ?)"
            + " AND (lease_until IS NULL OR lease_until <= ?))";
    private static final String DUE = "is_open = TRUE AND wake_at <= ?";
    private static final String DUE_ORDER = "wake_at, case_id";
    private static final String PENDING = "events_pending = TRUE AND 0 <= ?";
    private static final String PENDING_ORDER = "updated_at, case_id";

    private final String claimDue;
    private final String claimPending;

    /** The statements for a dialect. */
    public DueClaims(SqlDialect dialect) {
        String claim = dialect == SqlDialect.H2 ? H2_CLAIM : PG_CLAIM;
        this.claimDue = String.format(claim, DUE, DUE_ORDER);
        this.claimPending = String.format(claim, PENDING, PENDING_ORDER);
    }

    /**
     * Claims up to {@code limit} cases, due ones first; the caller commits.
     *
     * @return the claimed case ids, in claim order, each with its previous lease owner (an expired lease)
     */
    public Map<String, Optional<String>> claim(ConnectionPool.PooledConnection connection, String owner,
            long now, long until, int limit) throws SQLException {
        Map<String, Optional<String>> claimed = new LinkedHashMap<>();
        run(connection.prepare(claimDue), owner, now, until, limit, claimed);
        if (claimed.size() < limit) {
            run(connection.prepare(claimPending), owner, now, until, limit - claimed.size(), claimed);
        }
        return claimed;
    }

    private static void run(PreparedStatement claim, String owner, long now, long until, int limit,
            Map<String, Optional<String>> claimed) throws SQLException {
        claim.setString(1, owner);
        claim.setLong(2, until);
        claim.setLong(3, now);
        claim.setLong(4, now);
        claim.setInt(5, limit);
        claim.setLong(6, now);
        try (ResultSet rows = claim.executeQuery()) {
            while (rows.next()) {
                claimed.put(rows.getString(1), Optional.ofNullable(rows.getString(2)));
            }
        }
    }
}
