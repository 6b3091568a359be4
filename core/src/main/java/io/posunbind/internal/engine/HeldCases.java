package io.posunbind.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cases one worker holds in this process while the provider's limits defer their next call for a moment
 * ({@link HeldCase}), earliest wake time first. Giving such a case back to the store costs a write, and running
 * it again a claim (a write too) and a read; on H2 file each of those waits for the store's commit, and
 * meanwhile the claim loop, not the limit, decided how many cases ran: a fleet under a declared limit ended
 * about a fifth above the limit's bound. Held here, it runs again at its wake time, before any new case is
 * claimed, with no write unless the run changed it.
 *
 * <p>Held are only calls the limits let through within {@link #HORIZON} (a token back within the second, a
 * concurrent call ended), and at most as many cases as the worker has threads: a longer pause (a Retry-After)
 * or a full hold gives the case back to the store, as before, so memory stays bounded and other providers'
 * cases still find the worker's threads. The held cases do not count against the threads the worker claims
 * for. A held case runs again at its wake time exactly: the limiter counts a call until one window after its
 * answer, so coming back the instant a token returns never puts more calls into a window the provider counts
 * (before it did, a held case came back 10 ms late to leave room for a call that reached the provider late).
 * Thread-safe.
 */
final class HeldCases {

    private static final Logger LOG = LoggerFactory.getLogger(CaseWorker.class);

    /** The longest deferral a case is held for instead of given back to the store. */
    static final Duration HORIZON = Duration.ofSeconds(2);


    private final Clock clock;
    private final int capacity;
    /** Guarded by this. */
    private final PriorityQueue<HeldCase> queue = new PriorityQueue<>(Comparator.comparing(HeldCase::wakeAt));

    HeldCases(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Whether a case deferred until {@code wakeAt} may be held: soon enough, and room left. */
    synchronized boolean accepts(Instant wakeAt) {
        return queue.size() < capacity && !wakeAt.isAfter(clock.instant().plus(HORIZON));
    }

    synchronized void add(HeldCase held) {
        queue.add(held);
    }

    /** Takes the held cases due now, at most {@code max}, earliest first. */
    synchronized List<HeldCase> takeDue(int max) {
        Instant now = clock.instant();
        List<HeldCase> due = new ArrayList<>();
        while (due.size() < max && !queue.isEmpty() && !queue.peek().wakeAt().isAfter(now)) {
            due.add(queue.poll());
        }
        return due;
    }

    /** How long until the earliest held case is due, on the engine's clock; empty when none is held. */
    synchronized Optional<Duration> untilNext() {
        HeldCase next = queue.peek();
        return next == null ? Optional.empty()
                : Optional.of(Duration.between(clock.instant(), next.wakeAt()));
    }

    /** Takes every held case (the worker closes). */
    synchronized List<HeldCase> takeAll() {
        List<HeldCase> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    /**
     * Gives every held case back to the store, for any worker (a closing worker's): each one's wake time stored,
     * its lease released. One that cannot be given back keeps its lease until it expires.
     */
    void giveBackAll(CaseRunner runner, String workerName) {
        for (HeldCase deferred : takeAll()) {
            try {
                runner.giveBack(deferred);
            } catch (RuntimeException e) {
                LOG.warn("Worker {} could not give back held case {}; its lease expires: {}", workerName,
                        deferred.caseId(), e.toString());
            }
        }
    }

    synchronized int size() {
        return queue.size();
    }
}
