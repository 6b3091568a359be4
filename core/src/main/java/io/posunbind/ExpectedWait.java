package io.posunbind;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * A wait a case is expected to go through, as a preview foresees it.
 *
 * @param step        the step that will wait
 * @param reason      what it will wait for
 * @param description how long, typically, and why, for people
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ExpectedWait(StepKind step, WaitReason reason, String description) {

    /** Checks the fields. */
    public ExpectedWait {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(description, "description");
    }
}
