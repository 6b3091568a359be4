package io.posunbind.internal.observe;

import io.posunbind.CaseId;
import io.posunbind.StepKind;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.StepOutcome;
import io.posunbind.observe.StepScope;
import io.posunbind.observe.StepStart;
import java.util.Optional;

/**
 * A step running on this thread, as observed: it tells the observer around the step and lets the provider
 * calls the step makes name their case and step ({@link ObservedProvider}). Opened and ended on one thread.
 */
public final class CurrentStep {

    private static final ThreadLocal<StepStart> RUNNING = new ThreadLocal<>();

    private final StepScope scope;
    private final StepStart previous;
    private boolean ended;

    private CurrentStep(StepScope scope, StepStart previous) {
        this.scope = scope;
        this.previous = previous;
    }

    /** Tells the observer that the step starts, and marks it running on this thread. */
    public static CurrentStep start(EngineObserver observer, StepStart step) {
        StepStart previous = RUNNING.get();
        RUNNING.set(step);
        return new CurrentStep(observer.stepStarted(step), previous);
    }

    /** The case whose step runs on this thread, if any. */
    static Optional<CaseId> caseId() {
        return Optional.ofNullable(RUNNING.get()).map(StepStart::caseId);
    }

    /** The step running on this thread, if any. */
    static Optional<StepKind> step() {
        return Optional.ofNullable(RUNNING.get()).map(StepStart::step);
    }

    /** Ends the step, once: tells the observer what it came to and unmarks it. */
    public void end(StepOutcome outcome, Optional<String> code) {
        if (ended) {
            return;
        }
        ended = true;
        if (previous == null) {
            RUNNING.remove();
        } else {
            RUNNING.set(previous);
        }
        scope.end(outcome, code);
    }
}
