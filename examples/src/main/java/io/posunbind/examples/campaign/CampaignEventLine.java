package io.posunbind.examples.campaign;

import io.posunbind.event.UnbindEvent;
import java.time.Instant;

/**
 * The {@code EVENT} line a {@link CampaignWorker} prints per engine event with {@code --events}: the event's
 * time in epoch milliseconds, its case, its kind and what it says, for the campaign's tests to read back.
 */
final class CampaignEventLine {

    private CampaignEventLine() {
    }

    /** The line, without a line break. */
    static String of(String instanceId, UnbindEvent event) {
        return "EVENT " + instanceId + " " + eventMillis(event) + " " + event.caseId() + " "
                + event.getClass().getSimpleName() + " " + describe(event);
    }

    private static long eventMillis(UnbindEvent event) {
        Instant at;
        if (event instanceof UnbindEvent.StepStarted started) {
            at = started.at();
        } else if (event instanceof UnbindEvent.StepFinished finished) {
            at = finished.at();
        } else if (event instanceof UnbindEvent.CaseWaiting waiting) {
            at = waiting.at();
        } else {
            at = ((UnbindEvent.CaseFinished) event).at();
        }
        return at.toEpochMilli();
    }

    private static String describe(UnbindEvent event) {
        if (event instanceof UnbindEvent.StepStarted started) {
            return started.step() + "#" + started.number();
        }
        if (event instanceof UnbindEvent.StepFinished finished) {
            return finished.step() + "#" + finished.number() + (finished.succeeded() ? " ok" : " failed");
        }
        if (event instanceof UnbindEvent.CaseWaiting waiting) {
            return waiting.step() + " " + waiting.reason();
        }
        return ((UnbindEvent.CaseFinished) event).state().name();
    }
}
