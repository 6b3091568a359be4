package io.posunbind.observe;

import io.posunbind.spi.API;

/**
 * Told what the engine does, for metrics and tracing: around every step and every provider call, and when
 * a retry is scheduled, a case is dead-lettered or due work is claimed. Set it with
 * {@code Unbinder.builder().observer(observer)}; the {@code posunbind-micrometer} module has one that
 * records meters and Micrometer observations.
 *
 * <pre>{@code
 * EngineObserver tracing = new EngineObserver() {
 *     public StepScope stepStarted(StepStart step) {
 *         Span span = tracer.spanBuilder("posunbind.step").startSpan();
 *         Scope current = span.makeCurrent();            // provider calls of the step nest under it
 *         return (outcome, code) -> { current.close(); span.end(); };
 *     }
 * };
 * }</pre>
 *
 * <p>Scopes are around-style: {@link #stepStarted} and {@link #providerCallStarted} are called on the
 * thread that then runs the step or the call, and the scope they return is ended exactly once, on that
 * same thread, when it is over, so a scope may make a span current (thread-local) meanwhile. A provider
 * call made by a step is started and ended inside the step's scope.
 *
 * <p>Implementations must be thread-safe and quick: they run on the engine's threads, between a case's
 * steps and around its provider calls. An exception thrown by an observer is logged and ignored; it never
 * changes a case. Every method does nothing by default, and {@link #NONE} (the engine's default) costs
 * nothing but a call.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface EngineObserver {

    /** An observer that observes nothing: the default. */
    EngineObserver NONE = new EngineObserver() {
    };

    /**
     * A step of a case starts running on this thread (again, on a retry or a poll).
     *
     * @return the scope the engine ends when the step has run, on this thread
     */
    default StepScope stepStarted(StepStart step) {
        return StepScope.NONE;
    }

    /**
     * A call into a provider's adapter is about to be made on this thread: a call the provider's limits let
     * through (a call deferred for want of a permit is not made, and not observed). Calls into the provider
     * object itself (its id, its declarations) and its callback parser never reach the provider and are not
     * observed.
     *
     * @return the scope the engine ends when the adapter answered or threw, on this thread
     */
    default CallScope providerCallStarted(ProviderCall call) {
        return CallScope.NONE;
    }

    /** A step failed transiently (or its outcome is unknown) and was scheduled again; told once stored. */
    default void retryScheduled(RetryScheduled retry) {
    }

    /** A case failed and waits for an operator ({@code FAILED}: dead-lettered); told once stored. */
    default void deadLettered(DeadLetter deadLetter) {
    }

    /** This instance claimed due work (a worker's or {@code runDueWork()}'s batch), possibly none. */
    default void claimed(ClaimBatch claim) {
    }
}
