package io.posunbind;

import io.posunbind.internal.engine.CaseWorker;
import io.posunbind.spi.API;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs unbind cases: takes the cases that are due (a command recorded a change, a timer fired, an instance
 * died mid-step) and runs their steps, provider calls included, on a pool of threads — virtual threads where
 * the JDK has them. The application starts as many workers as it likes, in one process or many; commands
 * given {@link WaitPolicy#none()} only record, and workers run. Apart from its {@link Unbinder}, a worker
 * has its own lifecycle, like a Temporal worker apart from its client:
 *
 * <pre>{@code
 * try (Unbinder unbinder = Unbinder.builder().store(store).commandWait(WaitPolicy.none()).build();
 *      UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(16).build()).start()) {
 *     unbinder.open(request);   // returns once the case is stored; the worker runs it
 *     ...
 * }
 * }</pre>
 *
 * <p>No lock is held while a provider answers: each case runs under its lease only, so a slow provider call
 * holds one thread and one case, never another case. {@link #close()} stops taking cases, lets the running
 * ones store their current step and give their leases back (the cases stay due, for any worker of any
 * instance) up to {@link WorkerOptions#shutdownDeadline()}, then returns. Closing the {@link Unbinder} closes
 * its workers too.
 *
 * <p>Thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class UnbindWorker implements AutoCloseable {

    private final CaseWorker worker;
    private final WorkerOptions options;
    private final Consumer<UnbindWorker> onClose;

    UnbindWorker(CaseWorker worker, WorkerOptions options, Consumer<UnbindWorker> onClose) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.options = Objects.requireNonNull(options, "options");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    /**
     * Starts taking due cases on a thread of its own; a second call does nothing.
     *
     * @return this worker
     */
    public UnbindWorker start() {
        worker.start();
        return this;
    }

    /**
     * Takes one batch of due cases (at most {@link WorkerOptions#batchSize()}), runs them on the worker's
     * threads and waits until each waits or ends: for applications whose own scheduler drives the work,
     * and for tests. Needs no {@link #start()}.
     *
     * @return how many cases were advanced; 0 once closed
     * @throws InterruptedException when the calling thread is interrupted while the cases run
     */
    public int runDueWorkOnce() throws InterruptedException {
        return worker.runOnce();
    }

    /**
     * How this worker's engine instance has claimed due work so far: claims (one store statement per batch on
     * the JDBC store), cases claimed, takeovers of expired leases, and lease heartbeats. The counts are the
     * instance's, shared by its workers and {@link Unbinder#runDueWork()}, as leases are the instance's.
     */
    public ClaimStats stats() {
        return worker.stats();
    }

    /** How many cases run on this worker's threads now. */
    public int running() {
        return worker.running();
    }

    /**
     * Whether {@link #close()} was called: the worker takes no more cases, and a case it runs stops at its
     * next step boundary. For health checks, and for tests that must know the close began.
     */
    public boolean closing() {
        return worker.stopping();
    }

    /** Whether its threads are virtual threads (asked for, and the JDK has them). */
    public boolean usesVirtualThreads() {
        return worker.virtualThreads();
    }

    /** The options it was built with. */
    public WorkerOptions options() {
        return options;
    }

    /** The prefix of its threads' names. */
    public String name() {
        return worker.name();
    }

    /**
     * Stops taking cases, lets running cases store their current step and give their leases back, waiting
     * for them at most {@link WorkerOptions#shutdownDeadline()}, then interrupts what still runs (a provider
     * call that ignores the interrupt keeps its case's lease until it expires; then another instance takes
     * the case over and reconciles the call). Calling it again does nothing.
     */
    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "UnbindWorker[" + worker.name() + ", " + options.threads() + " thread(s)]";
    }
}
