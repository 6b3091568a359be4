package io.posunbind.internal.engine;

import io.posunbind.store.CaseStore;
import java.time.Instant;
import java.util.List;

/**
 * Where a worker finds the cases to run now. Today it reads the store's due cases
 * ({@link CaseStore#findDue}) and each case's lease is then taken by the runner, one write per case; two
 * instances may read the same cases and race on their versions (the loser is told {@code UNB-CASE-BUSY}
 * or a stale version and skips the case).
 *
 * <p>The seam for claims that scale (issue 12, point 2): an implementation that claims a batch with one
 * statement ({@code UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING}) returns
 * cases already leased to this instance, so instances never fetch the same case.
 */
@FunctionalInterface
interface DueWorkSource {

    /**
     * Ids of cases due at {@code now}, at most {@code limit}, oldest wake time first.
     *
     * @param limit at least 1
     */
    List<String> due(Instant now, int limit);

    /** Reads the store's due cases; the runner takes each case's lease. */
    static DueWorkSource scanning(CaseStore store) {
        return store::findDue;
    }
}
