package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.HistoryEntry;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.spi.PosUnbindException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongFunction;

/**
 * The small changes every part of the engine makes to a case in memory: its history, its events (into the
 * outbox, stored with the change), making a step due, and ending the case. Thread-safe: it keeps no state.
 */
final class CaseChanges {

    private final Clock clock;

    CaseChanges(Clock clock) {
        this.clock = clock;
    }

    void history(CaseDocument document, Actor actor, String event, String detail) {
        // Provider texts end up here; a careless provider may quote a card number, so scrub what is kept.
        document.history.add(new HistoryEntry(clock.instant(), actor.id(), event,
                DetailScrubber.scrub(detail)));
    }

    void end(CaseDocument document, CaseState state, String code, String message) {
        document.state = state;
        document.waitingFor = null;
        document.failureCode = code;
        document.failureMessage = message == null ? null : DetailScrubber.scrub(message);
        document.wakeAt = null;
        document.nextReminderAt = null;
        document.waitingSince = null;
    }

    void complete(CaseDocument document, Instant now) {
        end(document, CaseState.COMPLETED, null, null);
        CaseLog.completed(document.id);
        history(document, Actor.system(), "CASE_COMPLETED", "all steps done");
        emit(document, seq -> new UnbindEvent.CaseFinished(CaseId.of(document.id), seq, now, CaseState.COMPLETED, ""));
    }

    void stopCase(CaseDocument document, StepRecord step, CaseState state, String code, String message) {
        CaseId caseId = CaseId.of(document.id);
        Instant now = clock.instant();
        end(document, state, code, message);
        CaseLog.ended(document.id, state, step.kind, code);
        history(document, Actor.system(), "CASE_" + state, code + ": " + message);
        emit(document, seq -> new UnbindEvent.StepFinished(caseId, seq, now, step.kind, step.number, step.target,
                false, message));
        emit(document, seq -> new UnbindEvent.CaseFinished(caseId, seq, now, state, code + ": " + message));
    }

    static void emit(CaseDocument document, LongFunction<UnbindEvent> event) {
        document.outbox.add(event.apply(document.nextEventSequence++));
    }

    static void requireOpen(CaseDocument document) {
        if (!document.state.isOpen()) {
            throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                    "Case " + document.id + " is " + document.state + " and takes no more commands");
        }
    }

    void wakeIfWaitingFor(CaseDocument document, WaitReason reason) {
        StepRecord step = document.currentStep();
        if (step != null && document.waitingFor == reason) {
            dueNow(step);
        }
    }

    /**
     * Makes the case's current step due now: what it waited for has arrived. Kept as a time rather than
     * cleared, so that the stored wake time finds the case even when no step runs before this instance
     * stops (a shutdown that begins before the step, a crash): a step that waits for input and has none
     * keeps no next attempt.
     */
    void dueNow(StepRecord step) {
        step.nextAttemptAt = clock.instant();
    }

    /** Whether the last entry, reminders aside (they remind of the wait, they do not end it), is this step's event. */
    static boolean lastHistoryIs(CaseDocument document, String event, StepRecord step) {
        for (int i = document.history.size() - 1; i >= 0; i--) {
            HistoryEntry entry = document.history.get(i);
            if (!entry.event().equals("REMINDER")) {
                return entry.event().equals(event) && entry.detail().startsWith(step.kind + stepTarget(step) + " ");
            }
        }
        return false;
    }

    static String stepTarget(StepRecord step) {
        return step.target.isEmpty() ? "" : "[" + step.target + "]";
    }
}
