package io.posunbind.internal.plan;

import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a plan.
 *
 * @param kind   what the step does
 * @param target what it acts on when a kind repeats (a peripheral id), otherwise empty
 * @param skip   why the step is not carried out at this provider, when it is not
 */
public record PlannedStep(StepKind kind, String target, Optional<Skip> skip) {

    /** Checks the fields. */
    public PlannedStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(skip, "skip");
    }

    /** A step that is carried out. */
    public PlannedStep(StepKind kind, String target) {
        this(kind, target, Optional.empty());
    }

    /** A step without target. */
    public static PlannedStep of(StepKind kind) {
        return new PlannedStep(kind, "");
    }

    /** A step shown in the plan but not carried out, with why. */
    public static PlannedStep skipped(StepKind kind, String target, CoreErrorCode code, String reason) {
        return new PlannedStep(kind, target, Optional.of(new Skip(code, reason)));
    }

    /**
     * Why a step is skipped.
     *
     * @param code   {@link CoreErrorCode#OPERATION_NOT_OFFERED} or {@link CoreErrorCode#APPROVAL_NOT_NEEDED}
     * @param reason the explanation for people
     */
    public record Skip(CoreErrorCode code, String reason) {
        /** Checks the fields. */
        public Skip {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
