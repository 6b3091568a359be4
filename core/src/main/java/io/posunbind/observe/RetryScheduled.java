package io.posunbind.observe;

import io.posunbind.CaseId;
import io.posunbind.StepKind;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/**
 * A step scheduled to run again after a transient failure or an unknown outcome, as stored.
 *
 * @param caseId        the case
 * @param providerId    the case's provider
 * @param step          the step that failed
 * @param code          why: the error code of the failure, such as {@code PRV-UNAVAILABLE}
 * @param failures      the step's failures in a row so far, at least 1
 * @param nextAttemptAt when it runs again
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record RetryScheduled(CaseId caseId, String providerId, StepKind step, String code, int failures,
        Instant nextAttemptAt) {

    /** Checks the fields. */
    public RetryScheduled {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (failures < 1) {
            throw new IllegalArgumentException("A retry follows at least one failure");
        }
    }
}
