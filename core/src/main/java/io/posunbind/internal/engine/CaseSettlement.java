package io.posunbind.internal.engine;

import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a caller wait, at most a timeout, for a case a worker runs to reach its next wait: the runner
 * signals whenever a run of a case in this process ends, and the waiter reads the case again; a case run
 * by another instance is read again every {@link #RECHECK}. A case has settled when it is closed, or when
 * no instance holds its lease and it is not due (it waits for input or for a later timer).
 *
 * <p>Thread-safe. The timeout is a real duration: threads are waited for, not the case's clock.
 */
final class CaseSettlement {

    /** How often a waiter looks at the store again without a signal (another instance runs the case). */
    static final Duration RECHECK = Duration.ofMillis(50);

    private final CaseStore store;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ranSomething = lock.newCondition();

    CaseSettlement(CaseStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Called when a run of a case ended in this process: waiters look again. */
    void ran() {
        lock.lock();
        try {
            ranSomething.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the case settles or the timeout passes.
     *
     * @return the case as stored then, settled or not; empty when it is gone
     */
    Optional<CaseRecord> await(String caseId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<CaseRecord> record = store.load(caseId);
            long remaining = deadline - System.nanoTime();
            if (record.isEmpty() || settled(record.get()) || remaining <= 0) {
                return record;
            }
            lock.lock();
            try {
                ranSomething.awaitNanos(Math.min(remaining, RECHECK.toNanos()));
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean settled(CaseRecord record) {
        if (!record.open()) {
            return true;
        }
        boolean leased = record.leaseOwner().isPresent()
                && record.leaseUntil().filter(until -> until.isAfter(clock.instant())).isPresent();
        return !leased && record.wakeAt().filter(wake -> !wake.isAfter(clock.instant())).isEmpty()
                && !record.eventsPending();
    }
}
