package io.posunbind.internal.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of one provider's limits among the instances on one database: an even split
 * announced through the database ({@link LimitBoard}), as db-scheduler finds dead executions, by heartbeats
 * and not by locks.
 *
 * <p>Each instance that calls the provider renews a row of its own every {@link #HEARTBEAT} and reads the
 * others' rows in the same round trip; the instances whose heartbeat is younger than {@link #EXPIRY}
 * ({@value #MISSED_HEARTBEATS} missed heartbeats) are live, and each takes its {@link EvenSplit} of the calls
 * a second and of the calls open at once. A pause a provider's 429 caused is written to the row of the
 * instance that was told, and every instance keeps the latest pause of any row from its next heartbeat on.
 *
 * <p>Why an even split rather than one budget in the database: a shared budget (a token bucket row per
 * provider) costs a write on one hot row for every provider call, 400 a second at a limit of 400, which is
 * the contention batch claims removed, and every call stalls while the database is slow. The split costs
 * one round trip a second per instance and provider, and the calls themselves touch no database. Its price
 * is that an idle instance's share is unused; an instance that makes no call sends no heartbeat, though, so
 * after {@link #EXPIRY} it drops out and the others take its share.
 *
 * <p>It errs on the safe side whenever the instances' views differ:
 * <ul>
 *   <li>A share never grows when an instance joins and never shrinks when one drops out (see
 *       {@link EvenSplit}), so instances that have not yet seen a change keep the sum within the limit.
 *   <li>An instance joining while others are live calls nothing until {@link #EXPIRY} has passed, by when
 *       every instance still calling has read its row and lowered its own share.
 *   <li>An instance uses a share only until {@code EXPIRY - HEARTBEAT} after its last successful heartbeat
 *       (a lease): the others take its share only after {@code EXPIRY}, so its last calls have left their
 *       one-second window by then. When the database is unreachable it therefore stops calling the
 *       provider, and comes back as a joining instance.
 * </ul>
 * A limit whose window is longer than a second (an operation's {@code CallLimit.perMinute(20)}) keeps the
 * same guarantees with an {@link #expiryFor(Duration) expiry} longer by the window's excess over a second:
 * an instance's calls stay in the window for the whole window, so the others take a silent instance's share,
 * and a joining instance starts calling, only once they have left it.
 * Heartbeats are read against each instance's own clock, so instances' clocks should agree to well within
 * a second, as for the case leases. A call open when its instance's lease ran out counts against nobody's
 * concurrency share until it returns.
 *
 * <p>The heartbeat is made by the thread that asks for a permit when one is due (one thread at a time, the
 * others go on with the share as it stands), so an idle instance sends nothing. Thread-safe.
 */
public final class FleetShare {

    /** How often a calling instance renews its row and reads the others'. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /** How many heartbeats an instance may miss before the others take its share. */
    public static final int MISSED_HEARTBEATS = 5;

    /** The age from which a heartbeat is dead: its instance's share goes to the others. */
    public static final Duration EXPIRY = HEARTBEAT.multipliedBy(MISSED_HEARTBEATS);

    /** How long a dead instance's row stays before a heartbeat deletes it (its pause passed). */
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(FleetShare.class);

    private final LimitBoard board;
    private final LimitScope scope;
    private final String instanceId;
    private final Clock clock;
    /** When another instance's heartbeat is dead, and how long a joining instance waits, for this limit's window. */
    private final Duration expiry;
    private final ReentrantLock beating = new ReentrantLock();

    /** The split as last read; null before the first heartbeat. Guarded by this. */
    private EvenSplit split;
    /** When the last heartbeat succeeded (this instance's clock); null before. Guarded by this. */
    private Instant lastBeat;
    /** When the last heartbeat was tried. Guarded by this. */
    private Instant lastTry = Instant.MIN;
    /** Until when a joining instance calls nothing. Guarded by this. */
    private Instant holdUntil = Instant.MIN;
    private volatile boolean failing;

    /** The share of provider {@code providerId}'s one-second limits for instance {@code instanceId}, on {@code board}. */
    public FleetShare(LimitBoard board, String providerId, String instanceId, Clock clock) {
        this(board, LimitScope.wholeProvider(providerId), instanceId, clock, Duration.ofSeconds(1));
    }

    /**
     * The share of the limit of {@code scope}, counted over windows of length {@code window}, for instance
     * {@code instanceId}, announced on {@code board}.
     */
    public FleetShare(LimitBoard board, LimitScope scope, String instanceId, Clock clock, Duration window) {
        this.board = Objects.requireNonNull(board, "board");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.expiry = expiryFor(window);
    }

    /**
     * The age from which a heartbeat is dead for a limit counted over {@code window}: {@link #EXPIRY} for a
     * window of a second or less, longer by the rest of a longer window. An instance calls until
     * {@code expiry - HEARTBEAT} after its last heartbeat, and its last call leaves the window {@code window}
     * later, which is when the others may take its share; an instance joining waits as long, by when the
     * calls the others made under their larger shares have left the window.
     */
    static Duration expiryFor(Duration window) {
        Duration second = Duration.ofSeconds(1);
        return window.compareTo(second) <= 0 ? EXPIRY : EXPIRY.plus(window).minus(second);
    }

    /**
     * What this instance may use of the provider's limits at {@code now}: the split, or why and until when it
     * may call nothing. Renews the heartbeat first when one is due.
     */
    public Share at(Instant now) {
        if (heartbeatDue(now) && beating.tryLock()) {
            try {
                if (heartbeatDue(now)) {
                    beat(now);
                }
            } finally {
                beating.unlock();
            }
        }
        synchronized (this) {
            if (lastBeat == null || !now.isBefore(leaseEnd())) {
                return Share.held("its share of the limits of " + scope + " is unknown (the database did not answer"
                        + " its heartbeat)", now.plus(HEARTBEAT), lastSplit());
            }
            if (now.isBefore(holdUntil)) {
                return Share.held("joining " + (split.instances() - 1) + " other instance(s); their shares"
                        + " shrink first", holdUntil, split);
            }
            return new Share(split, Optional.empty(), "");
        }
    }

    /** Records the provider's pause for every instance; the pause holds here whether or not the write succeeds. */
    public void pause(Instant until) {
        try {
            board.pause(scope, instanceId, until, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Could not record the pause of {} until {} for the other instances: {}", scope, until,
                    e.toString());
        }
    }

    /** The split as last read, without a heartbeat: this instance alone before the first one. */
    public synchronized EvenSplit lastSplit() {
        return split != null ? split : EvenSplit.alone(instanceId);
    }

    private synchronized boolean heartbeatDue(Instant now) {
        return !now.isBefore(lastTry.plus(HEARTBEAT));
    }

    private Instant leaseEnd() {
        return lastBeat.plus(expiry).minus(HEARTBEAT);
    }

    private void beat(Instant now) {
        synchronized (this) {
            lastTry = now;
        }
        List<ShareRow> rows;
        try {
            rows = board.beat(scope, instanceId, now, now.minus(FORGET_AFTER));
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Could not renew this instance's share of the limits of {}; it calls the provider"
                        + " only while its last share holds: {}", scope, e.toString());
            }
            return;
        }
        failing = false;
        EvenSplit seen = EvenSplit.of(rows, instanceId, now, expiry);
        synchronized (this) {
            boolean joining = lastBeat == null || !now.isBefore(leaseEnd());
            if (joining) {
                holdUntil = seen.shared() ? now.plus(expiry) : now;
            }
            lastBeat = now;
            split = seen;
        }
    }

    /**
     * This instance's part of the limits at one moment.
     *
     * @param split     the split as last read (this instance alone before the first heartbeat)
     * @param holdUntil when present, the instance calls nothing before it
     * @param why       why it holds, for the deferral's message
     */
    public record Share(EvenSplit split, Optional<Instant> holdUntil, String why) {

        /** The share of an instance that is alone, without a board (the in-memory store). */
        public static Share alone(String instanceId) {
            return new Share(EvenSplit.alone(instanceId), Optional.empty(), "");
        }

        static Share held(String why, Instant until, EvenSplit split) {
            return new Share(split, Optional.of(until), why);
        }
    }
}
