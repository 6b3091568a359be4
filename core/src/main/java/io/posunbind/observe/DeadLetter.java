package io.posunbind.observe;

import io.posunbind.CaseId;
import io.posunbind.StepKind;
import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Optional;

/**
 * A case that failed and now waits for an operator ({@code CaseState.FAILED}), as stored; an operator may
 * {@code retry} it once the cause is fixed.
 *
 * @param caseId     the case
 * @param providerId the case's provider
 * @param step       the step it failed at, when a step failed
 * @param code       the error code it failed with, such as {@code UNB-RETRIES-EXHAUSTED}
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record DeadLetter(CaseId caseId, String providerId, Optional<StepKind> step, String code) {

    /** Checks the fields. */
    public DeadLetter {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(code, "code");
    }
}
