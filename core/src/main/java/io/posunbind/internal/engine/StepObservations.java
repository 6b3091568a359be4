package io.posunbind.internal.engine;

import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.internal.observe.CurrentStep;
import io.posunbind.observe.StepOutcome;
import java.util.Optional;

/** What a step's result is to an observer. Stateless. */
final class StepObservations {

    private StepObservations() {
    }

    /**
     * Ends an observed step with its result; a null result is a step that threw past the executor (an
     * {@link Error}), which stops the case as an engine fault.
     */
    static void end(CurrentStep observed, StepRecord step, StepResult result) {
        if (result instanceof StepResult.Done) {
            observed.end(StepOutcome.DONE, Optional.empty());
        } else if (result instanceof StepResult.Wait wait) {
            boolean retry = wait.reason() == WaitReason.RETRY;
            // A retry's cause stays on the step (the operator's log line names it too).
            observed.end(retry ? StepOutcome.RETRY : StepOutcome.WAITING,
                    retry ? Optional.ofNullable(step.lastCode) : Optional.empty());
        } else if (result instanceof StepResult.Skipped skipped) {
            observed.end(StepOutcome.SKIPPED, Optional.ofNullable(skipped.code()));
        } else if (result instanceof StepResult.Deferred) {
            observed.end(StepOutcome.DEFERRED, Optional.empty());
        } else if (result instanceof StepResult.Stop stop) {
            observed.end(StepOutcome.STOPPED, Optional.ofNullable(stop.code()));
        } else {
            observed.end(StepOutcome.STOPPED, Optional.of(CoreErrorCode.ENGINE_FAULT.code()));
        }
    }
}
