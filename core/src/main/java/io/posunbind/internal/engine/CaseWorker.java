package io.posunbind.internal.engine;

import io.posunbind.ClaimStats;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.ClaimedCase;
import java.time.Duration;
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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due cases on a pool of threads: a claim loop asks the {@link DueWorkSource} for as many due cases as
 * it has free threads, and each case runs on a pool thread under its lease until it waits or ends. No lock
 * is held across a provider call; a case another thread or instance works on is skipped.
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
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private volatile boolean stopping;
    /** Set when due work may have appeared since the last look; guarded by {@link #lock}. */
    private boolean lookAgain;
    private final DueSignal dueSignal;
    private final Runnable onDue = this::wake;
    private Thread claimLoop;

    CaseWorker(CaseRunner runner, DueWorkSource source, ClaimCounters counters, LocalLeases local, String name,
            int threads, int batchSize, Duration pollInterval, Duration shutdownDeadline, boolean virtualThreads,
            Runnable beforeLook, DueSignal dueSignal) {
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
        return running.size();
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
            started.add(pool.submit(() -> advance(claim)));
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
     * The claim loop: as many due cases as there are free threads, each on a thread of the pool; a pause
     * when fewer were due than it could take. Never interrupted (an interrupt may close an embedded
     * database's file under a query): it ends when it sees {@link #stopping}.
     */
    private void claimUntilStopped() {
        while (!stopping) {
            try {
                int free = awaitFreeThreads();
                if (stopping) {
                    return;
                }
                int wanted = Math.min(batchSize, free);
                List<ClaimedCase> due = claim(wanted);
                for (ClaimedCase claim : due) {
                    if (stopping || !freeThreads.tryAcquire()) {
                        source.giveBack(claim); // claimed but not to be run here: due again for any worker
                        continue;
                    }
                    pool.execute(() -> {
                        try {
                            advance(claim);
                        } finally {
                            freeThreads.release();
                            wake();
                        }
                    });
                }
                if (due.size() < wanted) {
                    pause(pollInterval); // nothing more is due now
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Worker {} could not look for due work; trying again in {}: {}", name, pollInterval,
                        e.toString());
                try {
                    pause(pollInterval);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** Waits until a thread of the pool is free (or the worker stops); how many are free then. */
    private int awaitFreeThreads() throws InterruptedException {
        lock.lock();
        try {
            while (!stopping && freeThreads.availablePermits() == 0) {
                woken.await();
            }
            return freeThreads.availablePermits();
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

    /** Runs one claimed case until it waits, ends, or this worker stops; false when it did not run here. */
    private boolean advance(ClaimedCase claim) {
        String caseId = claim.record().caseId();
        if (!running.add(caseId)) {
            source.giveBack(claim);
            return false;
        }
        try {
            runner.advanceClaimed(claim, this::stopping);
            return true;
        } catch (PosUnbindException e) {
            if (e.errorCode() == CoreErrorCode.CASE_BUSY || e.errorCode() == CoreErrorCode.UNBINDER_CLOSED) {
                // Refused before anything was written: hand the claimed lease back rather than let it expire.
                source.giveBack(claim);
                LOG.debug("Case {} is being worked on by another thread or the engine closes", caseId);
            } else if (e.errorCode() == CoreErrorCode.STALE_CASE_VERSION) {
                LOG.debug("Case {} is being worked on elsewhere or the engine closes", caseId);
            } else if (e.errorCode() == CoreErrorCode.ENGINE_FAULT) {
                LOG.debug("Case {} stopped on an engine fault, logged above", caseId);
            } else {
                LOG.warn("Case {} could not be advanced: {}", caseId, e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            LOG.error("Engine fault while taking due case {}: {}", caseId, CoreErrorCode.ENGINE_FAULT.code(),
                    ScrubbedFault.of(e));
            return false;
        } finally {
            running.remove(caseId);
            source.done(claim);
        }
    }

    private void pause(Duration duration) throws InterruptedException {
        lock.lock();
        try {
            if (!stopping && !lookAgain) {
                woken.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            }
            lookAgain = false;
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            lookAgain = true;
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
        wake();
        try {
            if (loop != null) {
                loop.join(Math.max(1, shutdownDeadline.toMillis())); // it sees stopping after its current look
            }
            pool.shutdown();
            if (!pool.awaitTermination(shutdownDeadline.toNanos(), TimeUnit.NANOSECONDS)) {
                pool.shutdownNow();
                if (!pool.awaitTermination(INTERRUPT_GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
                    LOG.warn("{} case(s) still ran on worker {} after its shutdown deadline of {}; their leases"
                            + " expire and another instance takes them over", running.size(), name,
                            shutdownDeadline);
                }
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
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
