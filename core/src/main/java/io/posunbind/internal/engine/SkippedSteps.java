package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.HistoryEntry;
import io.posunbind.StepStatus;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.internal.plan.PlannedStep;
import java.time.Instant;

/**
 * Records steps that do not apply at the case's provider: the step keeps its place in the plan with
 * status {@link StepStatus#SKIPPED}, its code and reason as last code and message, and the history says
 * why, so operators and merchants see what was left out and why rather than a shorter plan.
 */
final class SkippedSteps {

    /** The history event of a skipped step. */
    static final String EVENT = "STEP_SKIPPED";

    private SkippedSteps() {
    }

    /** A step record for a planned step, already skipped (with its history line) when the plan says so. */
    static StepRecord record(CaseDocument document, PlannedStep planned, Instant now) {
        StepRecord step = new StepRecord(document.nextStepNumber++, planned.kind(), planned.target());
        planned.skip().ifPresent(skip -> mark(document, step, skip.code().code(), skip.reason(), now));
        return step;
    }

    /** Marks a step skipped for the reason and says so in the history. */
    static void mark(CaseDocument document, StepRecord step, String code, String reason, Instant now) {
        // Provider texts end up here; a careless provider may quote a card number, so scrub what is kept.
        String scrubbed = DetailScrubber.scrub(reason);
        step.status = StepStatus.SKIPPED;
        step.lastCode = code;
        step.lastMessage = scrubbed;
        step.nextAttemptAt = null;
        step.pending = false;
        step.outcomeUnknown = false;
        step.lookUpBeforeResend = false;
        step.finishedAt = now;
        document.history.add(new HistoryEntry(now, Actor.system().id(), EVENT, step.kind
                + (step.target.isEmpty() ? "" : " [" + step.target + "]") + ": " + code + " " + scrubbed));
    }
}
