package io.posunbind;

import io.posunbind.internal.engine.UnbindEngine;
import io.posunbind.spi.PosUnbindException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of one {@link Unbinder}: creates them, remembers those not closed yet, and closes them all when the
 * unbinder closes. A worker is either refused (the unbinder stopped taking work) or closed with the unbinder, never
 * left running after it: both checks happen under one lock. Thread-safe.
 */
final class UnbinderWorkers {

    private final UnbindEngine engine;
    private final Duration shutdownTimeout;
    private final Object lock = new Object();
    /** Every worker not closed yet. */
    private final Set<UnbindWorker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger created = new AtomicInteger();
    /** The worker {@link #startWorker(Duration)} started, if any. */
    private UnbindWorker started;

    UnbinderWorkers(UnbindEngine engine, Duration shutdownTimeout) {
        this.engine = engine;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** See {@link Unbinder#newWorker(WorkerOptions)}. */
    UnbindWorker newWorker(WorkerOptions options) {
        Objects.requireNonNull(options, "options");
        synchronized (lock) {
            refuseOnceClosed();
            UnbindWorker worker = new UnbindWorker(engine.newWorker("posunbind-worker-" + engine.instanceId() + "-"
                    + created.incrementAndGet(), options.threads(), options.batchSize(), options.pollInterval(),
                    options.shutdownDeadline(), options.virtualThreads()), options, workers::remove);
            workers.add(worker);
            return worker;
        }
    }

    /** See {@link Unbinder#startWorker(Duration)}. */
    void startWorker(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        synchronized (lock) {
            refuseOnceClosed();
            if (started != null) {
                throw new IllegalStateException("A worker runs already");
            }
            started = newWorker(WorkerOptions.builder().threads(1).pollInterval(interval)
                    .batchSize(Unbinder.DEFAULT_DUE_BATCH).shutdownDeadline(shutdownTimeout).virtualThreads(false)
                    .build()).start();
        }
    }

    /**
     * Closes every worker (each waits for its running cases up to its own deadline); call after the engine
     * stopped taking work, so that no worker is created meanwhile.
     */
    void closeAll() {
        List<UnbindWorker> stopping;
        synchronized (lock) {
            stopping = List.copyOf(workers);
            started = null;
        }
        for (UnbindWorker worker : stopping) {
            worker.close();
        }
    }

    private void refuseOnceClosed() {
        if (engine.stoppedTakingWork()) {
            throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                    "This unbinder is closed and starts no worker; build a new one");
        }
    }
}
