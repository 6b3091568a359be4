package io.posunbind.internal.engine;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepStatus;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What cancelling a case means at the point it has reached; the rule table is documented on
 * {@code Unbinder.cancel}:
 * <ul>
 *   <li>an operation in flight (sent and its outcome unknown, or pending at the provider): refused with
 *       {@link CoreErrorCode#CANCEL_IN_FLIGHT}, because nobody can say yet what the provider did;</li>
 *   <li>nothing changed at the provider yet: {@link CaseState#CANCELLED};</li>
 *   <li>something changed at the provider: {@link CaseState#CANCELLED_PARTIALLY}, listing what was done
 *       and what was not carried out, for an operator to undo or finish by hand.</li>
 * </ul>
 * Either way no step is left {@link StepStatus#WAITING} or {@link StepStatus#PLANNED}.
 *
 * <p>Stateless; works on a document confined to the caller's thread.
 */
final class CancelPolicy {

    private CancelPolicy() {
    }

    /** How a cancel ends: the case's end state, its code and the message that says what was done. */
    record Outcome(CaseState state, String code, String message) {
    }

    /**
     * Judges a cancel of the case as it stands.
     *
     * @return how the case ends
     * @throws PosUnbindException with {@link CoreErrorCode#CANCEL_IN_FLIGHT} while an operation is in flight
     */
    static Outcome judge(CaseDocument document, String actorId, String reason) {
        String done = describe(document.steps.stream()
                .filter(step -> step.status == StepStatus.DONE && step.kind.changesProvider()).toList());
        for (StepRecord step : document.steps) {
            if (step.status != StepStatus.DONE && step.status != StepStatus.SKIPPED
                    && (step.pending || step.outcomeUnknown)) {
                throw new PosUnbindException(CoreErrorCode.CANCEL_IN_FLIGHT, "Case " + document.id
                        + " cannot be cancelled now: " + describe(List.of(step)) + " is in flight at the provider"
                        + (step.providerReference == null ? "" : " as " + step.providerReference)
                        + " and its outcome is not known yet. Changed at the provider so far: "
                        + (done.isEmpty() ? "nothing" : done)
                        + ". The case goes on; cancel again once the operation has finished");
            }
        }
        if (done.isEmpty()) {
            return new Outcome(CaseState.CANCELLED, CoreErrorCode.CANCELLED.code(), "Cancelled by " + actorId + ": " + reason);
        }
        // A skipped step was never going to be carried out: it is not part of what a cancel leaves undone.
        String notDone = describe(document.steps.stream()
                .filter(step -> step.status != StepStatus.DONE && step.status != StepStatus.SKIPPED).toList());
        return new Outcome(CaseState.CANCELLED_PARTIALLY, CoreErrorCode.CANCELLED_PARTIALLY.code(),
                "Cancelled by " + actorId + ": " + reason + ". Already changed at the provider: " + done
                        + ". Not carried out: " + (notDone.isEmpty() ? "nothing" : notDone)
                        + ". An operator must undo the changes or finish the rest by hand");
    }

    /** Marks every step that did not finish as not carried out, so none is left waiting or planned. */
    static void stopOpenSteps(CaseDocument document, Instant now) {
        for (StepRecord step : document.steps) {
            if (step.status == StepStatus.PLANNED || step.status == StepStatus.WAITING) {
                step.status = StepStatus.CANCELLED;
                step.nextAttemptAt = null;
                if (step.startedAt != null) {
                    step.finishedAt = now;
                }
            }
        }
    }

    private static String describe(List<StepRecord> steps) {
        return steps.stream().map(step -> step.kind + (step.target.isEmpty() ? "" : "[" + step.target + "]"))
                .collect(Collectors.joining(", "));
    }
}
