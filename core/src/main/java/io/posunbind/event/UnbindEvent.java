package io.posunbind.event;

import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.WaitReason;
import java.time.Instant;
import java.util.Objects;

/** Something that happened to a case. Immutable. */
public sealed interface UnbindEvent {

    /** The case concerned. */
    CaseId caseId();

    /** When it happened. */
    Instant at();

    /**
     * A step started (or resumed after a wait).
     *
     * @param caseId the case
     * @param at     when
     * @param step   the step's kind
     * @param number the step's number within the case
     * @param target what it acts on, or empty
     */
    record StepStarted(CaseId caseId, Instant at, StepKind step, int number, String target) implements UnbindEvent {
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
     * @param at        when
     * @param step      the step's kind
     * @param number    the step's number within the case
     * @param target    what it acted on, or empty
     * @param succeeded whether it succeeded
     * @param detail    a short description for people
     */
    record StepFinished(CaseId caseId, Instant at, StepKind step, int number, String target, boolean succeeded,
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
     * @param at     when
     * @param step   the step that waits
     * @param reason what for
     * @param detail a short description for people
     */
    record CaseWaiting(CaseId caseId, Instant at, StepKind step, WaitReason reason, String detail)
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
     * @param at     when
     * @param state  the end state
     * @param detail a short description (the failure code and message, if any)
     */
    record CaseFinished(CaseId caseId, Instant at, CaseState state, String detail) implements UnbindEvent {
        /** Checks the fields. */
        public CaseFinished {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
