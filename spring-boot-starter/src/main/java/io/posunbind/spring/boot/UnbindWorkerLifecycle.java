package io.posunbind.spring.boot;

import io.posunbind.UnbindWorker;
import io.posunbind.Unbinder;
import io.posunbind.WorkerOptions;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs an {@link UnbindWorker} for as long as the application context runs: started once every bean exists (in the
 * last lifecycle phase, after the web server), and on shutdown closed first, before the web server stops, so that
 * running steps store their result and give their leases back within the worker's shutdown deadline. The cases it
 * did not finish stay due, for this application's next start or another instance.
 *
 * <p>Thread-safe: Spring calls start and stop from its own thread; {@link #worker()} may be read from any.
 */
public final class UnbindWorkerLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(UnbindWorkerLifecycle.class);

    private final Unbinder unbinder;
    private final WorkerOptions options;
    private volatile UnbindWorker worker;

    /** A lifecycle that starts a worker of this unbinder with these options. */
    public UnbindWorkerLifecycle(Unbinder unbinder, WorkerOptions options) {
        this.unbinder = Objects.requireNonNull(unbinder, "unbinder");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public synchronized void start() {
        if (worker == null) {
            worker = unbinder.newWorker(options).start();
            LOG.info("posunbind worker {} started with {} thread(s)", worker.name(), options.threads());
        }
    }

    @Override
    public synchronized void stop() {
        UnbindWorker running = worker;
        if (running != null) {
            // Blocks up to the worker's shutdown deadline: Spring's phase timeout should be at least as long.
            running.close();
            worker = null;
            LOG.info("posunbind worker {} drained and stopped", running.name());
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }

    /** Last to start and first to stop: commands arriving over HTTP meanwhile are stored and stay due. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    /** The running worker, empty before start and after stop. */
    public Optional<UnbindWorker> worker() {
        return Optional.ofNullable(worker);
    }
}
