package io.posunbind.internal.plan;

import io.posunbind.StepKind;
import java.util.Objects;

/**
 * One step of a plan.
 *
 * @param kind   what the step does
 * @param target what it acts on when a kind repeats (a peripheral id), otherwise empty
 */
public record PlannedStep(StepKind kind, String target) {

    /** Checks the fields. */
    public PlannedStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
    }

    /** A step without target. */
    public static PlannedStep of(StepKind kind) {
        return new PlannedStep(kind, "");
    }
}
