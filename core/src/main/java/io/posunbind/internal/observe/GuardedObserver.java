package io.posunbind.internal.observe;

import io.posunbind.observe.CallOutcome;
import io.posunbind.observe.CallScope;
import io.posunbind.observe.ClaimBatch;
import io.posunbind.observe.DeadLetter;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.ProviderCall;
import io.posunbind.observe.RetryScheduled;
import io.posunbind.observe.StepOutcome;
import io.posunbind.observe.StepScope;
import io.posunbind.observe.StepStart;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's observer as the engine calls it: an exception it throws (also from a scope) is logged
 * and swallowed, so metrics or tracing never change a case. {@link #of} hands back {@link EngineObserver#NONE}
 * itself, so that an engine without an observer pays nothing. Thread-safe as the observer it wraps.
 */
public final class GuardedObserver implements EngineObserver {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedObserver.class);

    private final EngineObserver observer;

    private GuardedObserver(EngineObserver observer) {
        this.observer = observer;
    }

    /** The observer guarded, or {@link EngineObserver#NONE} unchanged. */
    public static EngineObserver of(EngineObserver observer) {
        return observer == EngineObserver.NONE || observer instanceof GuardedObserver ? observer
                : new GuardedObserver(observer);
    }

    @Override
    public StepScope stepStarted(StepStart step) {
        try {
            StepScope scope = observer.stepStarted(step);
            if (scope == null || scope == StepScope.NONE) {
                return StepScope.NONE;
            }
            return (outcome, code) -> endStep(scope, outcome, code);
        } catch (RuntimeException e) {
            failed("stepStarted", e);
            return StepScope.NONE;
        }
    }

    private void endStep(StepScope scope, StepOutcome outcome, Optional<String> code) {
        try {
            scope.end(outcome, code);
        } catch (RuntimeException e) {
            failed("a step scope's end", e);
        }
    }

    @Override
    public CallScope providerCallStarted(ProviderCall call) {
        try {
            CallScope scope = observer.providerCallStarted(call);
            if (scope == null || scope == CallScope.NONE) {
                return CallScope.NONE;
            }
            return (outcome, code) -> endCall(scope, outcome, code);
        } catch (RuntimeException e) {
            failed("providerCallStarted", e);
            return CallScope.NONE;
        }
    }

    private void endCall(CallScope scope, CallOutcome outcome, Optional<String> code) {
        try {
            scope.end(outcome, code);
        } catch (RuntimeException e) {
            failed("a provider call scope's end", e);
        }
    }

    @Override
    public void retryScheduled(RetryScheduled retry) {
        try {
            observer.retryScheduled(retry);
        } catch (RuntimeException e) {
            failed("retryScheduled", e);
        }
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        try {
            observer.deadLettered(deadLetter);
        } catch (RuntimeException e) {
            failed("deadLettered", e);
        }
    }

    @Override
    public void claimed(ClaimBatch claim) {
        try {
            observer.claimed(claim);
        } catch (RuntimeException e) {
            failed("claimed", e);
        }
    }

    private void failed(String where, RuntimeException e) {
        LOG.warn("Engine observer {} failed in {}; the case goes on unobserved there: {}",
                observer.getClass().getName(), where, e.toString());
    }
}
