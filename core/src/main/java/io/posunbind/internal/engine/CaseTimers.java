package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.internal.limits.CallDeferred;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.InstitutionDecision;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The case's durable timers: reminders while it waits for input, the approval deadline, and when the
 * engine must next look at the case by itself (its wake time in the store). Each firing is stored with
 * its event in one write, so it happens once however often instances restart. Thread-safe: no state.
 */
final class CaseTimers {

    private final Clock clock;
    private final EngineSettings settings;
    private final CaseChanges changes;

    CaseTimers(Clock clock, EngineSettings settings, CaseChanges changes) {
        this.clock = clock;
        this.settings = settings;
        this.changes = changes;
    }

    static boolean waitsForInput(WaitReason reason) {
        return reason == WaitReason.DOCUMENTS || reason == WaitReason.FEE_CONSENT
                || reason == WaitReason.INTERNAL_REVIEW
                || reason == WaitReason.INSTITUTION_DECISION;
    }

    /**
     * Starts a new wait's clock: since when the case waits (for operators' searches, every wait) and,
     * for input, the reminders. Repeating the same wait (a poll) keeps both.
     */
    void startInputTimers(CaseDocument document, StepRecord step, WaitReason reason, boolean sameWait,
            Instant now) {
        if (!sameWait || document.waitingSince == null) {
            document.waitingSince = now;
            document.nextReminderAt = waitsForInput(reason) ? now.plus(settings.reminderInterval()) : null;
        }
        if (!waitsForInput(reason)) {
            return;
        }
        if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL && reason == WaitReason.INSTITUTION_DECISION
                && document.approvalDeadlineAt == null) {
            document.approvalDeadlineAt = now.plus(settings.approvalDeadline());
        }
    }

    static void clearInputTimers(CaseDocument document) {
        document.waitingSince = null;
        document.nextReminderAt = null;
    }

    /**
     * Fires the case's due timers. Each firing is stored with its event in one write, so it happens
     * once however often instances restart.
     *
     * @return whether something fired (and must be stored)
     */
    boolean fireTimers(CaseDocument document, StepRecord step, Instant now, PaymentProvider provider) {
        if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL && document.decision == null
                && document.approvalDeadlineAt != null && !now.isBefore(document.approvalDeadlineAt)
                && !decidedMeanwhile(document, provider)) {
            step.status = StepStatus.FAILED;
            step.finishedAt = now;
            step.lastCode = CoreErrorCode.APPROVAL_EXPIRED.code();
            String message = "The institution did not decide by " + document.approvalDeadlineAt
                    + "; the application lapsed. Apply again with a new case";
            step.lastMessage = message;
            changes.stopCase(document, step, CaseState.FAILED, CoreErrorCode.APPROVAL_EXPIRED.code(), message);
            return true;
        }
        if (document.state == CaseState.WAITING && document.waitingFor != null
                && waitsForInput(document.waitingFor) && document.nextReminderAt != null
                && !now.isBefore(document.nextReminderAt)) {
            WaitReason reason = document.waitingFor;
            Instant since = document.waitingSince == null ? now : document.waitingSince;
            CaseChanges.emit(document, seq -> new UnbindEvent.Reminder(CaseId.of(document.id), seq, now, reason,
                    since));
            changes.history(document, Actor.system(), "REMINDER", "still waiting for " + reason + " since " + since);
            while (!now.isBefore(document.nextReminderAt)) {
                document.nextReminderAt = document.nextReminderAt.plus(settings.reminderInterval());
            }
            return true;
        }
        return false;
    }

    /** One last look at the institution before an application is declared lapsed. */
    boolean decidedMeanwhile(CaseDocument document, PaymentProvider provider) {
        if (document.applicationReference == null || provider.applicationAdapter().isEmpty()) {
            return false;
        }
        try {
            Optional<InstitutionDecision> decision = provider.applicationAdapter().get()
                    .readDecision(document.applicationReference);
            decision.ifPresent(found -> document.decision = found);
            return decision.isPresent();
        } catch (CallDeferred deferred) {
            throw deferred; // the last look is owed: the case comes back for it, the application not lapsed yet
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** When the engine must next look at the case by itself: the earliest of its timers, if any. */
    static Optional<Instant> wakeAt(CaseDocument document) {
        Optional<Instant> wakeAt;
        if (document.state == CaseState.RUNNING) {
            // A running case is due at once: if this process dies mid-step, any instance picks it up
            // (after the lease expires).
            wakeAt = Optional.of(document.updatedAt);
        } else if (document.state == CaseState.WAITING) {
            StepRecord step = document.currentStep();
            boolean approving = step != null && step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL;
            wakeAt = hasWorkNow(document, step) ? Optional.of(document.updatedAt)
                    : earliest(step == null ? null : step.nextAttemptAt, document.nextReminderAt,
                            approving ? document.approvalDeadlineAt : null);
        } else {
            wakeAt = Optional.empty();
        }
        return wakeAt;
    }

    /**
     * Whether a waiting case has work to do now although its step has no next attempt: no step at all
     * (the case only needs completing), a wait that no input ends (a provider operation, a verification
     * or a retry: they always carry a next attempt, so none means an answer arrived that no step took up,
     * as cases stored before commands kept a time did), or input that has arrived.
     */
    static boolean hasWorkNow(CaseDocument document, StepRecord step) {
        if (step == null || document.waitingFor == null) {
            return true;
        }
        if (step.nextAttemptAt != null) {
            return false;
        }
        return switch (document.waitingFor) {
            case FEE_CONSENT -> document.feeConsent != null;
            case INTERNAL_REVIEW -> document.internalReviewApproved != null;
            case INSTITUTION_DECISION -> document.decision != null;
            // The documents' check runs with the step: the submitting command makes it due by a time.
            case DOCUMENTS -> false;
            default -> true;
        };
    }

    static Optional<Instant> earliest(Instant... instants) {
        Instant earliest = null;
        for (Instant instant : instants) {
            if (instant != null && (earliest == null || instant.isBefore(earliest))) {
                earliest = instant;
            }
        }
        return Optional.ofNullable(earliest);
    }
}
