package io.posunbind.observe;

import io.posunbind.CaseId;
import io.posunbind.StepKind;
import io.posunbind.spi.API;
import java.util.Objects;

/**
 * A step about to run. The case id is an identifier of the application's choosing: fine for a trace, too
 * many values for a metric's tag.
 *
 * @param caseId     the case
 * @param providerId the case's provider
 * @param step       the step's kind
 * @param number     the step's number in the case's plan, from 1
 * @param attempt    1 for the first run after a success, n + 1 after n failures in a row
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record StepStart(CaseId caseId, String providerId, StepKind step, int number, int attempt) {

    /** Checks the fields. */
    public StepStart {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(step, "step");
        if (number < 1 || attempt < 1) {
            throw new IllegalArgumentException("A step's number and attempt start at 1");
        }
    }
}
