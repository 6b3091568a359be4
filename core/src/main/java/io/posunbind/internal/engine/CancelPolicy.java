package io.posunbind.internal.engine;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What cancelling a case means at the point it has reached; the rule table is documented on
 * {@code Unbinder.cancel}:
 * <ul>
 *   <li>an operation in flight: refused with {@link CoreErrorCode#CANCEL_IN_FLIGHT} while the case is open,
 *       because nobody can say yet what the provider did, and the case goes on to learn it. In flight
 *       means any of: sent and its outcome unknown; pending at the provider; refused "for now" (a provider
 *       that answers "busy" may still have acted, so it is looked up before anything else); or possibly
 *       sent without a trace, which is the case when the stored case is {@link CaseState#RUNNING} at a step
 *       that changes something at the provider (an instance was inside that step; a provider that honours
 *       idempotency keys gets no checkpoint before the call, so a crash there leaves no other mark) or
 *       when such a step's retry is due (an instance may have sent it again). Refusing is the safe choice
 *       over looking the operation up here: the engine reconciles it under its own key when it runs the
 *       case, which an open case does by itself;</li>
 *   <li>the same in a {@link CaseState#FAILED} case: refused with
 *       {@link CoreErrorCode#CANCEL_NEEDS_RECONCILE}, not retryable, because a failed case does not go on
 *       by itself: an operator retries it, which reconciles the operation first, then cancels;</li>
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
     * @param now the time of the cancel, to tell whether a retry is due
     * @return how the case ends
     * @throws PosUnbindException with {@link CoreErrorCode#CANCEL_IN_FLIGHT} while an operation is in flight
     *         in an open case, {@link CoreErrorCode#CANCEL_NEEDS_RECONCILE} in a failed one
     */
    static Outcome judge(CaseDocument document, String actorId, String reason, Instant now) {
        String done = describe(document.steps.stream()
                .filter(step -> step.status == StepStatus.DONE && step.kind.changesProvider()).toList());
        String changedSoFar = "Changed at the provider so far: " + (done.isEmpty() ? "nothing" : done);
        for (StepRecord step : document.steps) {
            if (step.status == StepStatus.DONE || step.status == StepStatus.SKIPPED
                    || !inFlight(document, step, now)) {
                continue;
            }
            String operation = describe(List.of(step));
            String reference = step.providerReference == null ? "" : " as " + step.providerReference;
            if (document.state == CaseState.FAILED) {
                throw new PosUnbindException(CoreErrorCode.CANCEL_NEEDS_RECONCILE, "Case " + document.id
                        + " cannot be cancelled yet: the outcome of " + operation + " at the provider" + reference
                        + " is not known, and a failed case does not go on by itself to learn it. " + changedSoFar
                        + ". Retry the case so it reconciles the operation first, then cancel");
            }
            throw new PosUnbindException(CoreErrorCode.CANCEL_IN_FLIGHT, "Case " + document.id
                    + " cannot be cancelled now: " + operation + " is in flight at the provider" + reference
                    + " and its outcome is not known yet. " + changedSoFar
                    + ". The case goes on; cancel again once the operation has finished");
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

    /** Whether a step's operation may have taken effect without the case knowing: see the class comment. */
    private static boolean inFlight(CaseDocument document, StepRecord step, Instant now) {
        if (step.pending || step.outcomeUnknown || step.lookUpBeforeResend) {
            return true;
        }
        if (!step.kind.changesProvider() || step != document.currentStep()) {
            return false;
        }
        if (document.state == CaseState.RUNNING) {
            return true;
        }
        return document.state == CaseState.WAITING && document.waitingFor == WaitReason.RETRY
                && step.nextAttemptAt != null && !step.nextAttemptAt.isAfter(now);
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
