package io.posunbind.event;

import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.WaitReason;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/** Something that happened to a case. Immutable. */
@API(status = API.Status.STABLE, since = "0.1")
public sealed interface UnbindEvent {

    /** The case concerned. */
    CaseId caseId();

    /** When it happened. */
    Instant at();

    /**
     * The event's number within its case, from 1. Events are delivered at least once, in order: a
     * listener that must not see one twice remembers the highest number it saw per case.
     */
    long sequence();

    /**
     * A step started (or resumed after a wait).
     *
     * @param caseId the case
     * @param sequence the event's number within the case
     * @param at     when
     * @param step   the step's kind
     * @param number the step's number within the case
     * @param target what it acts on, or empty
     */
    record StepStarted(CaseId caseId, long sequence, Instant at, StepKind step, int number, String target) implements UnbindEvent {
        /** Checks the fields. */
        public StepStarted {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * A step finished.
     *
     * @param caseId    the case
     * @param sequence  the event's number within the case
     * @param at        when
     * @param step      the step's kind
     * @param number    the step's number within the case
     * @param target    what it acted on, or empty
     * @param succeeded whether it succeeded
     * @param detail    a short description for people
     */
    record StepFinished(CaseId caseId, long sequence, Instant at, StepKind step, int number, String target, boolean succeeded,
            String detail) implements UnbindEvent {
        /** Checks the fields. */
        public StepFinished {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The case waits.
     *
     * @param caseId the case
     * @param sequence the event's number within the case
     * @param at     when
     * @param step   the step that waits
     * @param reason what for
     * @param detail a short description for people
     */
    record CaseWaiting(CaseId caseId, long sequence, Instant at, StepKind step, WaitReason reason, String detail)
            implements UnbindEvent {
        /** Checks the fields. */
        public CaseWaiting {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The case reached an end state.
     *
     * @param caseId the case
     * @param sequence the event's number within the case
     * @param at     when
     * @param state  the end state
     * @param detail a short description (the failure code and message, if any)
     */
    record CaseFinished(CaseId caseId, long sequence, Instant at, CaseState state, String detail) implements UnbindEvent {
        /** Checks the fields. */
        public CaseFinished {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * A case has waited for input for a long time: remind whoever must act. Fired once per reminder
     * interval, durably (a restart neither loses nor repeats it).
     *
     * @param caseId       the case
     * @param sequence     the event's number within the case
     * @param at           when
     * @param reason       what the case waits for
     * @param waitingSince since when
     */
    record Reminder(CaseId caseId, long sequence, Instant at, WaitReason reason, Instant waitingSince)
            implements UnbindEvent {
        /** Checks the fields. */
        public Reminder {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(waitingSince, "waitingSince");
        }
    }

    /**
     * An operator acted on a case outside its normal flow (retry of a failed case, cancellation).
     *
     * @param caseId   the case
     * @param sequence the event's number within the case
     * @param at       when
     * @param actorId  who
     * @param action   what, for example {@code "RETRY"}
     * @param reason   why, in the operator's words
     */
    record OperatorAction(CaseId caseId, long sequence, Instant at, String actorId, String action, String reason)
            implements UnbindEvent {
        /** Checks the fields. */
        public OperatorAction {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
