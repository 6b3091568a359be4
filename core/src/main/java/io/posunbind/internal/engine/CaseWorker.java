package io.posunbind.internal.engine;

import io.posunbind.ClaimStats;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.ClaimedCase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due cases on a pool of threads: a claim loop asks the {@link DueWorkSource} for as many due cases as
 * it has free threads, and each case runs on a pool thread under its lease until it waits or ends. No lock
 * is held across a provider call; a case another thread or instance works on is skipped. A case whose call the
 * provider's limits defer for a moment stays leased in the worker's {@link HeldCases} and runs again at its
 * wake time, before new cases are claimed, instead of going back to the store.
 *
 * <p>{@link #close()} stops claiming, lets running cases finish their current step (each stops between two
 * steps, stores its result and gives its lease back, the case left due for any worker), waits for them up
 * to the shutdown deadline, then interrupts what still runs. Thread-safe.
 */
public final class CaseWorker implements AutoCloseable {

    /** The engine's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    /** How long cases interrupted at the deadline get to end. */
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);

    /** The shortest pause for a held case not yet due. */
    private static final long MIN_HELD_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final CaseRunner runner;
    private final DueWorkSource source;
    private final ClaimCounters counters;
    private final LocalLeases local;
    private final String name;
    private final int threads;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration shutdownDeadline;
    private final boolean virtualThreads;
    /** Runs before every look for due work: the audit trail's checkpoint when one is due. */
    private final Runnable beforeLook;
    private final ExecutorService pool;
    private final Semaphore freeThreads;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Held cases running again now (not in {@link #running}, which guards claims). */
    private final AtomicInteger resumed = new AtomicInteger();
    private final HeldCases held;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private volatile boolean stopping;
    /** Set when due work may have appeared since the last look; guarded by {@link #lock}. */
    private boolean lookAgain;
    /** Set when the claim loop should not pause: a thread freed, a case held; guarded by {@link #lock}. */
    private boolean signalled;
    /** Claimed cases waiting for a thread, leased (the heartbeat keeps them); guarded by {@link #lock}. */
    private final ArrayDeque<ClaimedCase> ready = new ArrayDeque<>();
    /** How many claimed cases may wait for a thread. */
    private final int readyCapacity;
    private final DueSignal dueSignal;
    private final Runnable onDue = () -> wake(true);
    private Thread claimLoop;

    CaseWorker(CaseRunner runner, DueWorkSource source, ClaimCounters counters, LocalLeases local, String name,
            int threads, int batchSize, Duration pollInterval, Duration shutdownDeadline, boolean virtualThreads,
            Runnable beforeLook, DueSignal dueSignal, Clock clock) {
        this.runner = runner;
        this.source = source;
        this.counters = counters;
        this.local = local;
        this.name = name;
        this.threads = threads;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.shutdownDeadline = shutdownDeadline;
        this.virtualThreads = virtualThreads && WorkerThreads.virtualThreadsAvailable();
        this.beforeLook = beforeLook;
        this.dueSignal = dueSignal;
        this.pool = Executors.newFixedThreadPool(threads, WorkerThreads.factory(name, virtualThreads));
        this.freeThreads = new Semaphore(threads);
        this.held = new HeldCases(clock, threads);
        this.readyCapacity = Math.max(1, threads / 4);
    }

    /** Starts the claim loop on a thread of its own; a second call does nothing. */
    public synchronized void start() {
        if (claimLoop != null || stopping) {
            return;
        }
        dueSignal.subscribe(onDue);
        claimLoop = WorkerThreads.factory(name + "-claims", false).newThread(this::claimUntilStopped);
        claimLoop.start();
    }

    /** Whether {@link #close()} was called. */
    public boolean stopping() {
        return stopping;
    }

    /** How this instance claimed due work so far (its workers and {@code runDueWork} together). */
    public ClaimStats stats() {
        return counters.snapshot();
    }

    /** How many cases run on this worker's threads now. */
    public int running() {
        return running.size() + resumed.get();
    }

    /**
     * Takes one batch of due cases, runs them on the pool, and waits until they ran: for schedulers that
     * drive the worker themselves, and for tests.
     *
     * @return how many cases were advanced
     */
    public int runOnce() throws InterruptedException {
        if (stopping) {
            return 0;
        }
        List<Future<Boolean>> started = new ArrayList<>();
        for (ClaimedCase claim : claim(batchSize)) {
            started.add(pool.submit(() -> advance(claim, CaseHold.NONE)));
        }
        int advanced = 0;
        for (Future<Boolean> future : started) {
            try {
                advanced += future.get() ? 1 : 0;
            } catch (ExecutionException e) {
                LOG.warn("Worker {} failed on a case: {}", name, e.getCause().toString());
            }
        }
        return advanced;
    }

    /**
     * The claim loop. A thread of the pool that ends a run takes the next local work itself (a held case that
     * is due, then a claimed case waiting for a thread); the loop hands local work to idle threads, and claims
     * due cases from the store for the free threads and a few more ({@link #readyCapacity}), so that a thread
     * that frees while a claim is under way finds a case waiting instead of idling through the claim's commit.
     * A look that found fewer cases than it asked for is not repeated before the poll interval, unless work was
     * recorded meanwhile. Never interrupted (an interrupt may close an embedded database's file under a query):
     * it ends when it sees {@link #stopping}.
     */
    private void claimUntilStopped() {
        long nextLook = System.nanoTime();
        while (!stopping) {
            try {
                int free = startLocalWork();
                int wanted = Math.min(batchSize, free + readyRoom());
                if (wanted > 0 && (takeLookAgain() || System.nanoTime() - nextLook >= 0)) {
                    List<ClaimedCase> due = claim(wanted);
                    for (ClaimedCase claim : due) {
                        if (!stopping && freeThreads.tryAcquire()) {
                            startOnPool(() -> advance(claim, new RunHold()));
                        } else if (stopping || !addReady(claim)) {
                            source.giveBack(claim); // claimed but not to be run here: due again for any worker
                        }
                    }
                    // Nothing more is due now: look again after the poll interval, or when work is recorded.
                    nextLook = System.nanoTime() + (due.size() < wanted ? pollInterval.toNanos() : 0);
                }
                if (wanted > 0) {
                    pauseUntil(nextLook, true);
                } else {
                    // Every thread busy and enough claimed: the thread that frees takes the next case itself, and
                    // recorded work waits for a free thread (or room among the claimed cases) to be looked for.
                    pauseUntil(System.nanoTime() + pollInterval.toNanos(), false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Worker {} could not look for due work; trying again in {}: {}", name, pollInterval,
                        e.toString());
                nextLook = System.nanoTime() + pollInterval.toNanos();
                try {
                    pauseUntil(nextLook, false);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** Hands local work to free threads; how many threads are free then. */
    private int startLocalWork() {
        while (!stopping && freeThreads.tryAcquire()) {
            Runnable next = nextLocalWork();
            if (next == null) {
                freeThreads.release();
                break;
            }
            startOnPool(next);
        }
        return freeThreads.availablePermits();
    }

    /** Runs {@code work} on a thread of the pool whose permit the caller took, then the local work that follows. */
    private void startOnPool(Runnable work) {
        pool.execute(() -> {
            try {
                Runnable next = work;
                while (next != null) {
                    next.run();
                    next = stopping ? null : nextLocalWork();
                }
            } finally {
                freeThreads.release();
                wake(false);
            }
        });
    }

    /** A held case that is due, else a claimed case waiting for a thread, else null. */
    private Runnable nextLocalWork() {
        List<HeldCase> due = held.takeDue(1);
        if (!due.isEmpty()) {
            HeldCase next = due.get(0);
            return () -> {
                resumed.incrementAndGet();
                try {
                    resume(next);
                } finally {
                    resumed.decrementAndGet();
                }
            };
        }
        lock.lock();
        try {
            ClaimedCase claim = ready.poll();
            if (claim == null) {
                return null;
            }
            woken.signalAll(); // room for the claim loop to claim again
            signalled = true;
            return () -> advance(claim, new RunHold());
        } finally {
            lock.unlock();
        }
    }

    private boolean addReady(ClaimedCase claim) {
        lock.lock();
        try {
            if (ready.size() >= readyCapacity) {
                return false;
            }
            ready.add(claim);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private int readyRoom() {
        lock.lock();
        try {
            return readyCapacity - ready.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims due cases, at most {@code limit}, each leased to this instance; one that a thread of this instance
     * works on now (a command running it inline) is given back at once.
     */
    private List<ClaimedCase> claim(int limit) {
        beforeLook.run();
        List<ClaimedCase> due = new ArrayList<>();
        for (ClaimedCase claim : source.claim(limit)) {
            String caseId = claim.record().caseId();
            if (!local.isTaken(caseId) && !running.contains(caseId)) {
                due.add(claim);
            } else {
                source.giveBack(claim);
            }
        }
        return due;
    }

    /**
     * Runs one claimed case until it waits, ends, or this worker stops, or until {@code hold} keeps it; false
     * when it did not run here.
     */
    private boolean advance(ClaimedCase claim, CaseHold hold) {
        String caseId = claim.record().caseId();
        if (!running.add(caseId)) {
            source.giveBack(claim);
            return false;
        }
        boolean kept = false;
        try {
            runner.advanceClaimed(claim, this::stopping, hold);
            kept = hold instanceof RunHold run && run.kept;
            return true;
        } catch (PosUnbindException e) {
            if (e.errorCode() == CoreErrorCode.CASE_BUSY || e.errorCode() == CoreErrorCode.UNBINDER_CLOSED) {
                // Refused before anything was written: hand the claimed lease back rather than let it expire.
                source.giveBack(claim);
                LOG.debug("Case {} is being worked on by another thread or the engine closes", caseId);
            } else {
                logNotAdvanced(caseId, e);
            }
            return false;
        } catch (RuntimeException e) {
            LOG.error("Engine fault while taking due case {}: {}", caseId, CoreErrorCode.ENGINE_FAULT.code(),
                    ScrubbedFault.of(e));
            return false;
        } finally {
            running.remove(caseId);
            if (!kept) {
                source.done(claim); // a held case keeps its lease's heartbeat
            }
        }
    }

    /** Runs a held case again from where its call was deferred. */
    private void resume(HeldCase due) {
        try {
            runner.resume(due, this::stopping, new RunHold());
        } catch (PosUnbindException e) {
            if (e.errorCode() == CoreErrorCode.UNBINDER_CLOSED) {
                runner.giveBack(due); // still held: refused before it ran
            } else {
                logNotAdvanced(due.caseId(), e);
            }
        } catch (RuntimeException e) {
            LOG.error("Engine fault while running held case {}: {}", due.caseId(), CoreErrorCode.ENGINE_FAULT.code(),
                    ScrubbedFault.of(e));
        }
    }

    /** Says why a case this worker took could not be advanced, at the level its code deserves. */
    private static void logNotAdvanced(String caseId, PosUnbindException e) {
        if (e.errorCode() == CoreErrorCode.STALE_CASE_VERSION) {
            LOG.debug("Case {} is being worked on elsewhere or the engine closes", caseId);
        } else if (e.errorCode() == CoreErrorCode.ENGINE_FAULT) {
            LOG.debug("Case {} stopped on an engine fault, logged above", caseId);
        } else {
            LOG.warn("Case {} could not be advanced: {}", caseId, e.getMessage());
        }
    }

    /** The hold of one run on this worker's threads, which tells whether the case ended in it. */
    private final class RunHold implements CaseHold {
        private boolean kept;

        @Override
        public boolean accepts(Instant wakeAt) {
            return !stopping && held.accepts(wakeAt);
        }

        @Override
        public void keep(HeldCase deferred) {
            kept = true;
            held.add(deferred);
            wake(false); // the claim loop's pause may end before the poll interval, at the held case's wake time
        }
    }

    /**
     * Waits until {@code nextLook} (a {@link System#nanoTime()}), or a signal: a thread freed, a claimed case
     * taken from {@link #ready}, a case held. When {@code canStart} (a thread or room is free), also until the
     * earliest held case's wake time, or work recorded; otherwise those wait for the signal that makes room.
     */
    private void pauseUntil(long nextLook, boolean canStart) throws InterruptedException {
        long wait = nextLook - System.nanoTime();
        Duration untilHeld = canStart ? held.untilNext().orElse(null) : null;
        if (untilHeld != null) {
            // At least a millisecond: a clock that stands still (a test's) must not make this loop spin.
            wait = Math.min(wait, Math.max(MIN_HELD_WAIT_NANOS, untilHeld.toNanos()));
        }
        lock.lock();
        try {
            if (!stopping && !(canStart && lookAgain) && !signalled && wait > 0) {
                woken.awaitNanos(wait);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether work may have appeared since the last look, clearing the mark. */
    private boolean takeLookAgain() {
        lock.lock();
        try {
            boolean look = lookAgain;
            lookAgain = false;
            return look;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the claim loop's pause: with {@code look}, work was recorded and a look at the store is due; without,
     * a thread freed or a case was held, and the store is looked at only if a look is due anyway.
     */
    private void wake(boolean look) {
        lock.lock();
        try {
            if (look) {
                lookAgain = true;
            } else {
                signalled = true;
            }
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops claiming, lets running cases store their current step and give their leases back, up to the
     * shutdown deadline, then interrupts what still runs and waits a short grace for it. A case whose
     * provider call ignores the interrupt keeps its lease until it expires; then any instance takes it
     * over and reconciles the call. Calling it again does nothing.
     */
    @Override
    public void close() {
        Thread loop;
        synchronized (this) {
            if (stopping && claimLoop == null && pool.isShutdown()) {
                return;
            }
            stopping = true;
            dueSignal.unsubscribe(onDue);
            loop = claimLoop;
            claimLoop = null;
        }
        wake(true);
        long deadline = System.nanoTime() + shutdownDeadline.toNanos();
        try {
            if (loop != null) {
                loop.join(Math.max(1, shutdownDeadline.toMillis())); // it sees stopping after its current look
            }
            pool.shutdown(); // running cases get what the claim loop left of the deadline, not one of their own
            if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                pool.shutdownNow();
                if (!pool.awaitTermination(INTERRUPT_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
                    LOG.warn("{} case(s) still ran on worker {} after its shutdown deadline of {}; their leases"
                            + " expire and another instance takes them over", running(), name,
                            shutdownDeadline);
                }
            }
            giveBackHeld();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Gives every held case and claimed case still waiting for a thread back to the store, for any worker. */
    private void giveBackHeld() {
        List<ClaimedCase> waiting;
        lock.lock();
        try {
            waiting = new ArrayList<>(ready);
            ready.clear();
        } finally {
            lock.unlock();
        }
        waiting.forEach(source::giveBack);
        held.giveBackAll(runner, name);
    }

    /** This worker's name, the prefix of its threads' names. */
    public String name() {
        return name;
    }

    /** Whether its threads are virtual threads. */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    /** How many cases it runs at once. */
    public int threads() {
        return threads;
    }
}
