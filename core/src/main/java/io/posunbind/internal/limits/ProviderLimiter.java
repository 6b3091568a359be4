package io.posunbind.internal.limits;

import io.posunbind.ProviderLimitStats;
import io.posunbind.spi.CallLimit;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one provider's limits for every worker and command of the process: a token bucket on the injected
 * clock for the rate, a semaphore for the calls open at once, and a pause while a Retry-After runs.
 *
 * <p>The bucket holds as many tokens as calls are allowed in a second, and a token comes back one second
 * after the provider answered the call that spent it (a sliding window: the bucket remembers when its last
 * calls were answered, and counts the calls still open). The provider counts a call when the request reaches
 * it, some time between our permit and its answer: a token that came back one second after its permit would
 * let a call that the network (or a busy CPU) delayed share its second, as the provider counts, with a call let
 * through a second later and delivered at once; 401 calls in one second were seen that way at a sandbox
 * allowing 400. Counting to the answer costs a call's latency per token (5% of the rate for calls of 50 ms), and
 * no one-second window the provider can count ever holds more calls than the limit, while a step that reads a
 * few things in a row finds them allowed together. (A bucket that refills continuously, as deep as the rate,
 * would allow the full rate at the end of one second and again at the start of the next: twice the limit in
 * the window between; one only a token deep would space every call, and a step needing three reads in a row
 * would never get them together.) A rate below one a second allows one call per {@code 1 / rate} seconds; a
 * fractional rate above one is kept as its whole part per second.
 *
 * <p>A step started must be able to finish, else contending cases would each get one read of the inventory's
 * three and start over, for ever. At a slow rate, within a step ({@link StepCalls}), the first call needs room
 * for as many calls in a row as steps of its kind have been seen to need, and keeps that many tokens for the
 * step's next calls until the step ends. At a fast rate (a token back every {@link #KEEP_NOTHING_BELOW_SPACING}
 * or sooner) a step keeps nothing, as kept tokens lie idle through its earlier calls: a step under way whose
 * next token comes back within {@link #STEP_WAIT} waits for it, once, ahead of new steps. Outside a step (a
 * preview) a call takes one token.
 *
 * <p>Apart from that wait, nobody waits for a permit: {@link #acquire} answers at once, with a permit or with a
 * {@link CallDeferred} that says when to come back, so a worker thread is not blocked and no lock is ever held
 * across a call or a wait. A caller the rate deferred comes back when a token comes back for it, after those
 * promised to the callers deferred before it; callers deferred for another reason (a pause, no share) are given wake times
 * one {@code 1 / rate} apart, so they do not all come back at the same instant and find the bucket empty again.
 *
 * <p>The same class keeps an operation's own limit ({@link CallLimit}, a number of calls in a window of any
 * length), for the calls that perform the operation ({@link ProviderGate}); such a limiter keeps no
 * concurrency limit and no reads in a row (an operation is one call), and gives a permit back unused
 * ({@link Permit#refund()}) when the provider-wide limiter then finds no room.
 *
 * <p>On a database shared by several instances (the JDBC store) the limiter keeps only this instance's
 * share of the limits ({@link FleetShare}): its part of the window's calls and of the calls open at once,
 * re-read at each heartbeat, and the pauses any instance recorded. With the in-memory store it keeps the
 * whole limits.
 *
 * <p>Thread-safe; its lock guards a few fields for nanoseconds, never a call (a heartbeat, when one is due,
 * is made before it is taken).
 */
public final class ProviderLimiter {

    /**
     * When a caller that found every concurrent call taken comes back: the length of a call is unknown,
     * so a short fixed delay (or the rate's spacing, when longer).
     */
    static final Duration CONCURRENCY_RECHECK = Duration.ofMillis(100);

    /** The most calls one step makes in a row (the inventory's reads). */
    static final int CALLS_IN_A_ROW = 5;

    /**
     * At a rate this fast (a token back every 10 ms or sooner), a step keeps no tokens for its next calls: it
     * waits for them, ahead of new steps. A kept token lies idle while the step's earlier calls run (at 400
     * calls a second and calls of 50 ms, some 5% of the limit in a fleet); at a fast rate the next token comes
     * back within a few milliseconds, so waiting for it costs the step less than keeping one cost everyone.
     */
    static final Duration KEEP_NOTHING_BELOW_SPACING = Duration.ofMillis(10);

    /**
     * The longest a step under way waits for its next call's token (at a fast rate only); a longer wait defers
     * the step, which runs again from its start and repeats its earlier calls, each spending a token for a
     * window. Measured at 400 calls a second and calls of 50 ms: waiting up to 50 ms restarted four steps in
     * five cases (a token comes back in waves, echoing the first second's burst), up to 400 ms none.
     */
    static final Duration STEP_WAIT = Duration.ofMillis(500);

    /**
     * The longest a step that makes more calls in a row than its window holds waits for its next token: long
     * enough for a provider allowing one call every 5 seconds, short enough that a few such steps do not keep a
     * worker's threads from other providers' cases for long. A longer wait defers the step.
     */
    static final Duration OUTGROWN_STEP_WAIT = Duration.ofSeconds(5);

    /** The pause after a rate-limited answer that came without a Retry-After (a read's exception). */
    static final Duration PAUSE_WITHOUT_RETRY_AFTER = Duration.ofSeconds(1);

    private final LimitScope scope;
    /** The provider's limits in force (provider-wide and per operation), for its stats. */
    private final ProviderLimits limits;
    private final Clock clock;
    private volatile Sleeper sleeper = Thread::sleep;
    private final Optional<FleetShare> fleet;
    private final String instanceId;
    /** The share of an instance alone: the whole limits, when there is no fleet. */
    private final FleetShare.Share alone;
    /** Whether calls are counted per window, how many the window allows to all instances together, and how long it is. */
    private final boolean limitsRate;
    private final int allTokens;
    private final Duration window;
    /** Calls allowed open at once over all instances; {@link ProviderLimits#UNLIMITED} for no limit. */
    private final int concurrentCalls;
    /** Whether a step's reads in a row are kept together ({@link StepCalls}): the provider-wide limit only. */
    private final boolean keepsReadsInARow;
    /** The limit in words, for a deferral's message. */
    private final String rateText;

    /** Calls open now. Guarded by this. */
    private int open;

    /** When the answered calls of the current window were answered, oldest first. Guarded by this. */
    private final ArrayDeque<Instant> spent = new ArrayDeque<>();
    /** Calls let through and not answered yet, each holding its token until a window after its answer. Guarded by this. */
    private int unanswered;
    /** Tokens kept for steps under way, for their next reads in a row. Guarded by this. */
    private int reserved;
    /**
     * How many calls in a row a step of each kind must find room for when it starts: learnt, growing each time
     * a step of that kind ran out of tokens midway. Per kind, since the tokens a step keeps and does not use yet
     * lie idle meanwhile: learnt for all steps together, the inventory's three reads made every one-call step
     * keep two tokens through its call. Guarded by this.
     */
    private final Map<Object, Integer> inARow = new HashMap<>();
    /** The callers deferred with a promise and the steps waiting for a token, served in turn. Guarded by this. */
    private final WaitingCallers waiting = new WaitingCallers();
    /** The next wake time to hand a caller deferred for another reason, to spread them out. Guarded by this. */
    private Instant nextDeferredSlot = Instant.MIN;
    /** Until when every call waits, after a Retry-After. Guarded by this. */
    private Instant pausedUntil = Instant.MIN;

    private final AtomicLong permitted = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong deferredByPause = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();

    /** A limiter keeping the whole limits: this instance is the only one calling the provider. */
    ProviderLimiter(String providerId, ProviderLimits limits, Clock clock) {
        this(providerId, limits, clock, "this-instance", Optional.empty());
    }

    /** A limiter keeping this instance's share of the provider-wide limits, when {@code fleet} is present. */
    ProviderLimiter(String providerId, ProviderLimits limits, Clock clock, String instanceId,
            Optional<FleetShare> fleet) {
        this(LimitScope.wholeProvider(providerId), limits, limits.limitsRate(), tokensOf(limits), windowOf(limits),
                limits.concurrentCalls(), true, "at most " + limits.callsPerSecond() + " calls a second", clock,
                instanceId, fleet);
    }

    /**
     * A limiter keeping this instance's share of {@code operation}'s own limit, when {@code fleet} is present.
     *
     * @param limits the provider's limits in force, of which {@code operation}'s is one
     */
    ProviderLimiter(String providerId, OperationKind operation, ProviderLimits limits, Clock clock,
            String instanceId, Optional<FleetShare> fleet) {
        this(LimitScope.operation(providerId, operation), limits, true, limitOf(limits, operation).calls(),
                limitOf(limits, operation).window(), ProviderLimits.UNLIMITED, false,
                "at most " + limitOf(limits, operation) + " for " + operation, clock, instanceId, fleet);
    }

    private ProviderLimiter(LimitScope scope, ProviderLimits limits, boolean limitsRate, int allTokens,
            Duration window, int concurrentCalls, boolean keepsReadsInARow, String rateText, Clock clock,
            String instanceId, Optional<FleetShare> fleet) {
        this.scope = scope;
        this.limits = limits;
        this.limitsRate = limitsRate;
        this.allTokens = allTokens;
        this.window = window;
        this.concurrentCalls = concurrentCalls;
        this.keepsReadsInARow = keepsReadsInARow;
        this.rateText = rateText;
        this.clock = clock;
        this.instanceId = instanceId;
        this.fleet = fleet;
        this.alone = FleetShare.Share.alone(instanceId);
    }

    private static CallLimit limitOf(ProviderLimits limits, OperationKind operation) {
        return limits.operationLimit(operation).orElseThrow(() -> new IllegalArgumentException(operation
                + " has no limit of its own in " + limits));
    }

    /** How many calls a window of the provider-wide rate holds: a fractional rate above one keeps its whole part. */
    private static int tokensOf(ProviderLimits limits) {
        double rate = limits.callsPerSecond();
        return rate >= 1 ? (int) Math.floor(rate) : 1;
    }

    /** The provider-wide rate's window: a second, or {@code 1 / rate} seconds for a rate below one. */
    static Duration windowOf(ProviderLimits limits) {
        double rate = limits.callsPerSecond();
        return !limits.limitsRate() || rate >= 1 ? Duration.ofSeconds(1)
                : Duration.ofNanos((long) Math.ceil(1_000_000_000d / rate));
    }

    /**
     * A permit for one call now.
     *
     * @throws CallDeferred when none is free now: nothing must be sent, and the case comes back at its
     *                      {@link CallDeferred#wakeAt()}
     */
    public Permit acquire() {
        Object first = attempt(0);
        if (first instanceof Permit permit) {
            return permit;
        }
        StepWait wait = (StepWait) first;
        try {
            try {
                sleeper.sleep(Math.max(1, wait.millis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return (Permit) attempt(wait.ticket());
        } finally {
            synchronized (this) {
                waiting.stepLeaves(wait.ticket()); // in case the look failed before it took its ticket back
            }
        }
    }

    /** How a step waits for its next token: the thread sleeps, unless a test says otherwise. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** For tests on a clock they move by hand: how a waiting step passes its time. */
    void sleepWith(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * A permit, or a {@link StepWait} for a step under way whose next call's token comes back within
     * {@link #STEP_WAIT}; throws {@link CallDeferred} otherwise.
     *
     * @param ticket the ticket of a step that waited, 0 for none: it sees only the waiters before it
     */
    private Object attempt(long ticket) {
        Instant before = clock.instant();
        FleetShare.Share share = fleet.isPresent() ? fleet.get().at(before) : alone;
        EvenSplit split = share.split();
        int tokens = split.shareOf(allTokens);
        Duration spacing = limitsRate ? window.dividedBy(Math.max(tokens, 1)) : Duration.ZERO;
        Instant now;
        synchronized (this) {
            // Read again under the lock: tokens that came back during a heartbeat or a wait for this lock count.
            // (A call's token is stamped at its answer, later than anything read here, so it never comes back early.)
            Instant read = clock.instant();
            now = read.isAfter(before) ? read : before;
            // A step that waited leaves the queue whatever it finds now: it waits at most once.
            int waitersAhead = ticket == 0 ? waiting.stepsWaiting() : waiting.stepLeaves(ticket);
            Instant paused = split.pausedUntil().isAfter(pausedUntil) ? split.pausedUntil() : pausedUntil;
            if (now.isBefore(paused)) {
                deferredByPause.incrementAndGet();
                throw defer("paused until the provider's Retry-After passes", spread(paused, spacing));
            }
            if (share.holdUntil().isPresent()) {
                throw defer(share.why(), spread(share.holdUntil().get(), spacing));
            }
            if (limitsRate && tokens == 0) {
                throw defer("its share of " + rateText + " among " + split.instances() + " instances is none now",
                        spread(now.plus(FleetShare.HEARTBEAT), spacing));
            }
            StepCalls.Reservation mine = keepsReadsInARow ? StepCalls.reservation(this) : null;
            boolean reservedForMe = mine != null && mine.kept > 0;
            // A step's first call needs room for the step's reads in a row, which are then kept for it: a step
            // started is a step finished, instead of every step getting one read of its three and starting over.
            boolean waitsInsteadOfKeeping = spacing.compareTo(KEEP_NOTHING_BELOW_SPACING) <= 0;
            int need = mine != null && !reservedForMe && mine.calls == 0 && !waitsInsteadOfKeeping
                    ? Math.min(tokens, inARow.getOrDefault(mine.stepKind, 1)) : 1;
            if (limitsRate && !reservedForMe) {
                while (!spent.isEmpty() && !now.isBefore(spent.peekFirst().plus(window))) {
                    spent.pollFirst(); // its token is back
                }
                int missing = spent.size() + unanswered + reserved + waitersAhead + need - tokens;
                if (missing > 0) {
                    boolean underWay = mine != null && mine.calls > 0;
                    // A step that makes more calls in a row than a window holds (an inventory's five reads at a
                    // share of four a second) can never find them all together: restarted, it would read again
                    // for ever. It waits for its next token instead, up to a window, at most OUTGROWN_STEP_WAIT.
                    boolean outgrowsTheWindow = underWay && mine.calls >= tokens;
                    Duration mayWait = outgrowsTheWindow ? shorter(window, OUTGROWN_STEP_WAIT)
                            : waitsInsteadOfKeeping ? STEP_WAIT : Duration.ZERO;
                    // No wait when every call allowed open is open: the token would not let it through.
                    boolean slotFree = concurrentCalls <= 0 || open < split.shareOf(concurrentCalls);
                    if (underWay && ticket == 0 && slotFree && missing <= spent.size() && !mayWait.isZero()) {
                        Duration wait = Duration.between(now, nth(missing).plus(window));
                        if (wait.compareTo(mayWait) <= 0) {
                            return new StepWait(waiting.stepWaits(), wait.toMillis() + 1);
                        }
                    }
                    if (underWay) {
                        // A step ran out midway: keep more for the next step of its kind.
                        inARow.merge(mine.stepKind, mine.calls + 1, Math::max);
                    }
                    throw defer(rateWhy(tokens, split), promise(missing, need, now, spacing));
                }
            }
            if (concurrentCalls > 0 && open >= split.shareOf(concurrentCalls)) {
                Duration recheck = spacing.compareTo(CONCURRENCY_RECHECK) > 0 ? spacing : CONCURRENCY_RECHECK;
                throw defer("at most " + concurrentCalls + " calls open at once"
                        + (split.shared() ? " among " + split.instances() + " instances" : ""), now.plus(recheck));
            }
            if (concurrentCalls > 0) {
                open++;
            }
            if (limitsRate) {
                unanswered++;
                if (reservedForMe) {
                    mine.kept--;
                    reserved--;
                } else if (mine != null && need > 1) {
                    mine.kept = need - 1;
                    reserved += need - 1;
                }
            }
            if (mine != null) {
                mine.calls++;
            }
        }
        permitted.incrementAndGet();
        return new Permit(this, limitsRate, concurrentCalls > 0);
    }

    /** How many steps under way wait for their next call's token now. */
    synchronized int stepsWaiting() {
        return waiting.stepsWaiting();
    }

    /** A step under way waits {@code millis}, then asks again with its {@code ticket}. */
    private record StepWait(long ticket, long millis) {
    }

    private String rateWhy(int tokens, EvenSplit split) {
        return split.shared() ? "its share of " + tokens + " calls of " + rateText + " among " + split.instances()
                + " instances" : rateText;
    }

    void answered(boolean heldToken, boolean heldOpen) {
        Instant answeredAt = clock.instant();
        synchronized (this) {
            if (heldToken) {
                unanswered--;
                // Kept in order for the window's count, should the clock step back.
                Instant last = spent.peekLast();
                spent.addLast(last != null && last.isAfter(answeredAt) ? last : answeredAt);
            }
            if (heldOpen) {
                open--;
            }
        }
    }

    void refunded(boolean heldToken, boolean heldOpen) {
        if (keepsReadsInARow) {
            throw new IllegalStateException("a permit of " + scope + " may have tokens a step keeps; it is not refunded");
        }
        synchronized (this) {
            if (heldToken) {
                unanswered--;
            }
            if (heldOpen) {
                open--;
            }
        }
        permitted.decrementAndGet();
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Renews this instance's share of the limits, when a heartbeat is due. */
    void heartbeat() {
        fleet.ifPresent(shares -> shares.at(clock.instant()));
    }

    /** Gives back what a step kept for its reads in a row and did not use. */
    synchronized void release(int unused) {
        reserved -= unused;
    }

    /** The {@code n}-th oldest call of the window, from 1. */
    private Instant nth(int n) {
        int seen = 0;
        for (Instant at : spent) {
            if (++seen == n) {
                return at;
            }
        }
        return spent.peekLast();
    }

    /**
     * Pauses every call within this limiter's scope (the provider, or one operation) until {@code retryAfter}
     * from now has passed (a 429 told us to): every case slows down, not only the one that was told. A later, shorter Retry-After does
     * not shorten a pause in force. The rate is not lowered afterwards: the declared limit is what the
     * provider promised, and a provider that answers 429 under it should declare (or be given) a lower one.
     */
    public void pause(Duration retryAfter) {
        Instant until = clock.instant().plus(retryAfter.isNegative() ? Duration.ZERO : retryAfter);
        synchronized (this) {
            if (!until.isAfter(pausedUntil)) {
                return;
            }
            pausedUntil = until;
            pauses.incrementAndGet();
        }
        fleet.ifPresent(shares -> shares.pause(until)); // outside the lock: a database write
    }

    /** What it did so far. */
    public ProviderLimitStats stats() {
        EvenSplit split = fleet.isPresent() ? fleet.get().lastSplit() : alone.split();
        Instant pause;
        synchronized (this) {
            pause = split.pausedUntil().isAfter(pausedUntil) ? split.pausedUntil() : pausedUntil;
        }
        Optional<Instant> paused = clock.instant().isBefore(pause) ? Optional.of(pause) : Optional.empty();
        return new ProviderLimitStats(scope.providerId(), limits, permitted.get(), deferred.get(), deferredByPause.get(),
                pauses.get(), paused, split.instances());
    }

    /** The provider's limits in force, of which it keeps the provider-wide ones or one operation's. */
    public ProviderLimits limits() {
        return limits;
    }

    /** What it limits. */
    LimitScope scope() {
        return scope;
    }

    /**
     * The wake time of a caller the rate deferred, that is {@code missing} tokens short of the {@code need} it
     * came for: when the last of them comes back, counting the tokens promised to callers deferred before it,
     * whose wake times have not passed. A caller that does not come back (its case went elsewhere) keeps its
     * promise only until its wake time. Before, each deferred caller came back one {@code 1 / rate} after the
     * last one, whatever the tokens did: callers deferred again took further slots, the slots ran ahead of the
     * tokens, and a fleet under a limit of 400 calls a second made 344 a second.
     */
    private Instant promise(int missing, int need, Instant now, Duration spacing) {
        int nth = missing + waiting.promisedAfter(now);
        // An answered call's token comes back one window after its answer; a call still open answers later than
        // every answered one, at the earliest now: its token is reckoned one spacing after the one before it.
        Instant wake = nth <= spent.size() ? nth(nth).plus(window)
                : later(spent.isEmpty() ? now : spent.peekLast(), now).plus(window)
                        .plus(spacing.multipliedBy(nth - spent.size() - 1));
        return waiting.promise(wake, need);
    }

    /** The wake time of a caller deferred for another reason: not before {@code earliest}, a spacing after the last. */
    private Instant spread(Instant earliest, Duration spacing) {
        Instant wake = nextDeferredSlot.isAfter(earliest) ? nextDeferredSlot : earliest;
        nextDeferredSlot = wake.plus(spacing);
        return wake;
    }

    private CallDeferred defer(String why, Instant wakeAt) {
        deferred.incrementAndGet();
        return new CallDeferred(scope.toString(), why, wakeAt);
    }
}
