package io.posunbind.internal.engine;

import io.posunbind.ClaimStats;
import java.util.concurrent.atomic.LongAdder;

/** Counts an instance's claims, claimed cases, takeovers and lease heartbeats. Thread-safe, never blocks. */
final class ClaimCounters {

    private final LongAdder claims = new LongAdder();
    private final LongAdder casesClaimed = new LongAdder();
    private final LongAdder takeovers = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();

    void claimed(int cases, int takenOver) {
        claims.increment();
        casesClaimed.add(cases);
        takeovers.add(takenOver);
    }

    void heartbeat() {
        heartbeats.increment();
    }

    /** The counts now; read takeovers before cases, so a concurrent claim never shows more takeovers than cases. */
    ClaimStats snapshot() {
        long takenOver = takeovers.sum();
        long heartbeatCount = heartbeats.sum();
        long claimCount = claims.sum();
        return new ClaimStats(claimCount, Math.max(casesClaimed.sum(), takenOver), takenOver, heartbeatCount);
    }
}
