package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.CaseChanges.emit;
import static io.posunbind.internal.engine.CaseChanges.requireOpen;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.InvalidRequestException;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What each command does to a case: it validates the command against the case as stored, records the
 * change (history, events, the step made due) and hands the case to the {@link CaseRunner}. Thread-safe.
 */
final class CaseCommands {

    private final CaseRunner runner;
    private final CaseChanges changes;
    private final Clock clock;
    private final ProviderRegistry providers;

    CaseCommands(CaseRunner runner, CaseChanges changes, Clock clock, ProviderRegistry providers) {
        this.runner = runner;
        this.changes = changes;
        this.clock = clock;
        this.providers = providers;
    }

    /** Advances a case as far as it goes now, on the caller's thread whatever the commands' wait. */
    CaseSnapshot advance(CaseId caseId) {
        return runner.advance(caseId, () -> false);
    }

    /** Adds or replaces documents (one per kind) and advances. */
    CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(documents, "documents");
        if (documents.stream().anyMatch(Objects::isNull)) {
            throw new InvalidRequestException("The documents are invalid", List.of(new RuleViolation(
                    CoreErrorCode.INVALID_REQUEST.code(), "documents", "A document is null")));
        }
        List<Document> submitted = List.copyOf(documents);
        return command(caseId, "SUBMIT_DOCUMENTS", actor, document -> {
            requireOpen(document);
            for (Document added : submitted) {
                document.documents.removeIf(existing -> existing.kind() == added.kind());
                document.documents.add(added);
            }
            changes.history(document, actor, "DOCUMENTS_SUBMITTED",
                    submitted.stream().map(d -> d.kind().name()).toList().toString());
            changes.wakeIfWaitingFor(document, WaitReason.DOCUMENTS);
        });
    }

    /** Records the merchant's consent to the current fee quote and advances. */
    CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent) {
        Objects.requireNonNull(consent, "consent");
        return command(caseId, "CONSENT_TO_FEES", consent.consentedBy(), document -> {
            requireOpen(document);
            if (document.feeQuote == null || document.waitingFor != WaitReason.FEE_CONSENT) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for fee consent");
            }
            if (!document.feeQuote.quoteId().equals(consent.quoteId())
                    || !document.feeQuote.total().equals(consent.total())) {
                throw new PosUnbindException(CoreErrorCode.CONSENT_DOES_NOT_MATCH_QUOTE,
                        "The consent is for quote " + consent.quoteId() + " totalling " + consent.total()
                                + " but the merchant is asked to agree to quote " + document.feeQuote.quoteId()
                                + " totalling " + document.feeQuote.total());
            }
            document.feeConsent = consent;
            changes.history(document, consent.consentedBy(), "FEES_AGREED",
                    "quote " + consent.quoteId() + ", total " + consent.total());
            changes.wakeIfWaitingFor(document, WaitReason.FEE_CONSENT);
        });
    }

    /** Records that the merchant declines the fees: the case is cancelled before any fee is incurred. */
    CaseSnapshot declineFees(CaseId caseId, Actor actor) {
        Objects.requireNonNull(actor, "actor");
        return command(caseId, "DECLINE_FEES", actor, document -> {
            requireOpen(document);
            if (document.waitingFor != WaitReason.FEE_CONSENT) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for fee consent");
            }
            changes.history(document, actor, "FEES_DECLINED", "quote " + document.feeQuote.quoteId());
            CancelPolicy.stopOpenSteps(document, clock.instant());
            changes.end(document, CaseState.CANCELLED, CoreErrorCode.FEES_DECLINED.code(),
                    "The merchant declined the fees");
            CaseLog.cancelled(document.id, CaseState.CANCELLED, CoreErrorCode.FEES_DECLINED.code());
            emit(document, seq -> new UnbindEvent.CaseFinished(caseId, seq, clock.instant(), CaseState.CANCELLED,
                    CoreErrorCode.FEES_DECLINED.code() + ": The merchant declined the fees"));
        });
    }

    /**
     * Passes the merchant's answer to a verification challenge (an SMS code) to the provider and
     * advances. The answer is never stored or logged.
     */
    CaseSnapshot answerVerification(CaseId caseId, Actor actor, String answer) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(answer, "answer");
        if (answer.isEmpty() || answer.length() > 64) {
            throw new InvalidRequestException("The answer is invalid", List.of(new RuleViolation(
                    CoreErrorCode.INVALID_REQUEST.code(), "answer", "An answer has 1 to 64 characters")));
        }
        return command(caseId, "ANSWER_VERIFICATION", actor, document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || document.waitingFor != WaitReason.VERIFICATION || step.challengeId == null) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for a verification answer");
            }
            step.deliveredAnswer = answer;
            changes.dueNow(step);
            changes.history(document, actor, "VERIFICATION_ANSWERED", step.kind + " challenge " + step.challengeId);
        });
    }

    /**
     * The platform's own reviewer approves or rejects the case. Four eyes: the reviewer must not be the
     * actor who requested the unbind.
     */
    CaseSnapshot reviewInternally(CaseId caseId, Actor reviewer, boolean approve, String note) {
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(note, "note");
        return command(caseId, "INTERNAL_REVIEW", reviewer, document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || step.kind != StepKind.INTERNAL_REVIEW) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for an internal review");
            }
            if (reviewer.id().equals(document.request.requestedBy().id())) {
                // Kept in the history (and the audit trail, as a refused command): who tried matters.
                changes.history(document, reviewer, "FOUR_EYES_REFUSED", "the requester tried to "
                        + (approve ? "approve" : "reject") + " its own request");
                throw new RecordedRefusal(new PosUnbindException(CoreErrorCode.FOUR_EYES_VIOLATION, "Reviewer "
                        + reviewer.id() + " requested this unbind; another person must review it"));
            }
            document.internalReviewer = reviewer.id();
            document.internalReviewApproved = approve;
            changes.history(document, reviewer, approve ? "INTERNAL_APPROVAL" : "INTERNAL_REJECTION", note);
            changes.dueNow(step);
        });
    }

    /** Records the institution's decision (from a callback or a person) and advances. */
    CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(decision, "decision");
        return command(caseId, "RECORD_DECISION", actor, decisionChange(actor, decision));
    }

    /** Records the institution's decision on a case that waits for it. */
    Consumer<CaseDocument> decisionChange(Actor actor, InstitutionDecision decision) {
        return document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || step.kind != StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for the institution's decision");
            }
            if (document.supersededApplications.contains(decision.applicationReference())) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED, "Application "
                        + decision.applicationReference() + " was superseded after the institution asked for more"
                        + " information; its decision no longer counts");
            }
            if (document.applicationReference == null
                    && providers.require(document.request.providerId()).applicationAdapter().isPresent()) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED, "Case " + document.id
                        + " has no application under review yet; submit the documents the institution asked for");
            }
            if (document.applicationReference != null
                    && !document.applicationReference.equals(decision.applicationReference())) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "The decision is for application " + decision.applicationReference()
                                + " but the case's application is " + document.applicationReference);
            }
            document.decision = decision;
            changes.history(document, actor, "DECISION_RECORDED", decision.outcome() + " " + decision.reasonCode());
            changes.dueNow(step);
        };
    }

    /**
     * Completes a pending provider operation from the provider's callback and advances.
     *
     * @param providerReference the reference the provider gave when it answered pending
     */
    CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(outcome, "outcome");
        return command(caseId, "COMPLETE_OPERATION", actor, completionChange(actor, providerReference, outcome));
    }

    /** Delivers the outcome of the case's pending operation. */
    Consumer<CaseDocument> completionChange(Actor actor, String providerReference, OperationOutcome outcome) {
        return document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            // A provider that answered pending without a reference names the operation by its key.
            if (step == null || !(providerReference.equals(step.providerReference)
                    || (step.pending || step.outcomeUnknown)
                            && providerReference.equals(ProviderOperations.operationKey(document, step).value()))) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " has no pending operation " + providerReference);
            }
            step.deliveredOutcome = outcome;
            changes.dueNow(step);
            changes.history(document, actor, "OPERATION_CALLBACK", step.kind + " "
                    + outcome.getClass().getSimpleName());
        };
    }

    /**
     * Cancels an open or failed case, recording who and why, by the rules of {@link CancelPolicy}: refused
     * while an operation is in flight, {@code CANCELLED} before any change at the provider,
     * {@code CANCELLED_PARTIALLY} after one.
     */
    CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        return command(caseId, "CANCEL", actor, document -> {
            if (!document.state.isOpen() && document.state != CaseState.FAILED) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " is " + document.state + " and cannot be cancelled");
            }
            CancelPolicy.Outcome outcome;
            try {
                outcome = CancelPolicy.judge(document, actor.id(), reason, clock.instant());
            } catch (PosUnbindException refused) {
                changes.history(document, actor, "CANCEL_REFUSED", refused.errorCode().code() + ": "
                        + refused.getMessage());
                throw new RecordedRefusal(refused);
            }
            changes.history(document, actor, "CASE_CANCELLED", reason);
            CancelPolicy.stopOpenSteps(document, clock.instant());
            changes.end(document, outcome.state(), outcome.code(), outcome.message());
            emit(document, seq -> new UnbindEvent.OperatorAction(caseId, seq, clock.instant(), actor.id(), "CANCEL",
                    reason));
            emit(document, seq -> new UnbindEvent.CaseFinished(caseId, seq, clock.instant(), outcome.state(),
                    outcome.code() + ": " + reason));
            CaseLog.cancelled(document.id, outcome.state(), outcome.code());
        });
    }

    /**
     * Puts a failed case back to work at the step that failed, recording who and why. A refused
     * operation is sent anew under a new idempotency key; one whose outcome was unknown is reconciled
     * first under its old key.
     */
    CaseSnapshot retry(CaseId caseId, Actor actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        return command(caseId, "RETRY", actor, document -> {
            if (document.state != CaseState.FAILED) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Only a failed case can be retried; case " + document.id + " is " + document.state);
            }
            StepRecord step = document.steps.stream().filter(s -> s.status == StepStatus.FAILED).findFirst()
                    .orElseThrow(() -> new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                            "Case " + document.id + " has no failed step to retry"));
            if (!step.outcomeUnknown && !step.pending && !step.lookUpBeforeResend) {
                // The operation was refused for good: send it anew, as a new request under a new key.
                step.round++;
                step.providerReference = null;
                step.verified = false;
                step.challengeId = null;
                step.challengesIssued = 0;
            }
            step.consecutiveFailures = 0;
            if (CoreErrorCode.APPROVAL_EXPIRED.code().equals(document.failureCode)) {
                document.approvalDeadlineAt = null; // a fresh deadline starts with the next wait
            }
            step.status = StepStatus.WAITING;
            step.attempts = 0;
            step.lookupFailures = 0;
            step.nextAttemptAt = null;
            document.state = CaseState.RUNNING;
            document.failureCode = null;
            document.failureMessage = null;
            changes.history(document, actor, "OPERATOR_RETRY", step.kind + ": " + reason);
            emit(document, seq -> new UnbindEvent.OperatorAction(caseId, seq, clock.instant(), actor.id(), "RETRY",
                    reason));
        });
    }

    /**
     * Loads a case, takes its lease, applies a change and works on the case until it waits or ends.
     * The lease is taken with the first write (which also stores the change), so no provider is called
     * before this instance owns the case, and given back with the last write.
     */
    CaseSnapshot command(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change) {
        return runner.command(caseId, name, actor, change, () -> {
        });
    }
}
