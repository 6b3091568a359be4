package io.posunbind.internal.engine;

import java.time.Instant;

/**
 * Where a case the provider's limits deferred may wait in this process instead of in the store: a worker's
 * {@link HeldCases}. The runner asks before it writes, and hands the case over once it is stored as it must
 * be (leased) and held in {@link LocalLeases}.
 */
interface CaseHold {

    /** No hold: a deferred case is given back to the store with its wake time (commands, runDueWork). */
    CaseHold NONE = new CaseHold() {
        @Override
        public boolean accepts(Instant wakeAt) {
            return false;
        }

        @Override
        public void keep(HeldCase held) {
            throw new IllegalStateException("Nothing is held without a worker");
        }
    };

    /** Whether a case deferred until {@code wakeAt} may be held here. */
    boolean accepts(Instant wakeAt);

    /** Takes a case to run again at its wake time; from then on the hold, not the caller, owns its lease. */
    void keep(HeldCase held);
}
