package io.posunbind;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a case's history: who did what, when.
 *
 * @param at     when
 * @param actorId who (see {@link Actor#id()})
 * @param event  what happened, a short code such as {@code "CASE_OPENED"} or {@code "STEP_DONE"}
 * @param detail details for people, never with a clear sensitive number
 */
@API(status = API.Status.STABLE, since = "0.1")
public record HistoryEntry(Instant at, String actorId, String event, String detail) {

    /** Checks the fields. */
    public HistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(detail, "detail");
    }
}
