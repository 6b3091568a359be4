package io.posunbind.internal.engine;

import io.posunbind.ClaimStats;
import io.posunbind.observe.ClaimBatch;
import io.posunbind.observe.EngineObserver;
import java.util.concurrent.atomic.LongAdder;

/** Counts an instance's claims, claimed cases, takeovers and lease heartbeats. Thread-safe, never blocks. */
final class ClaimCounters {

    private final EngineObserver observer;
    private final String instanceId;

    private final LongAdder claims = new LongAdder();
    private final LongAdder casesClaimed = new LongAdder();
    private final LongAdder takeovers = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();

    ClaimCounters() {
        this(EngineObserver.NONE, "-");
    }

    /** Counters that also tell {@code observer} of every claim of {@code instanceId}. */
    ClaimCounters(EngineObserver observer, String instanceId) {
        this.observer = observer;
        this.instanceId = instanceId;
    }

    void claimed(int cases, int takenOver) {
        claims.increment();
        casesClaimed.add(cases);
        takeovers.add(takenOver);
        if (observer != EngineObserver.NONE) {
            observer.claimed(new ClaimBatch(instanceId, cases, takenOver));
        }
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
