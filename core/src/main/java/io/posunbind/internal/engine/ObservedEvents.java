package io.posunbind.internal.engine;

import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.observe.DeadLetter;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.RetryScheduled;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the observer of retries and dead letters from the events of a stored change, as they are delivered:
 * so it hears of each once it is stored, whichever path (a step, a timer, an engine fault) led there.
 * Stateless and thread-safe.
 */
final class ObservedEvents {

    /** The code told when a case or step carries none (never expected; the record requires one). */
    private static final String NO_CODE = "-";

    private final EngineObserver observer;

    ObservedEvents(EngineObserver observer) {
        this.observer = observer;
    }

    void delivered(CaseDocument document, UnbindEvent event) {
        if (observer == EngineObserver.NONE) {
            return;
        }
        if (event instanceof UnbindEvent.CaseWaiting waiting && waiting.reason() == WaitReason.RETRY) {
            StepRecord step = document.currentStep();
            boolean same = step != null && step.kind == waiting.step();
            observer.retryScheduled(new RetryScheduled(waiting.caseId(), document.request.providerId(), waiting.step(),
                    same ? Objects.requireNonNullElse(step.lastCode, NO_CODE) : NO_CODE,
                    same ? Math.max(1, step.consecutiveFailures) : 1,
                    same && step.nextAttemptAt != null ? step.nextAttemptAt : waiting.at()));
        } else if (event instanceof UnbindEvent.CaseFinished finished && finished.state() == CaseState.FAILED) {
            observer.deadLettered(new DeadLetter(finished.caseId(), document.request.providerId(), failedStep(document),
                    Objects.requireNonNullElse(document.failureCode, NO_CODE)));
        }
    }

    private static Optional<StepKind> failedStep(CaseDocument document) {
        return document.steps.stream().filter(step -> step.status == StepStatus.FAILED).reduce((first, last) -> last)
                .map(step -> step.kind);
    }
}
