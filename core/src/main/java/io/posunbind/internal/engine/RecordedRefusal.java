package io.posunbind.internal.engine;

import io.posunbind.spi.PosUnbindException;
import java.util.Objects;

/**
 * Thrown by a command's change when it refuses the command after recording the refusal in the case's
 * history (a four-eyes violation, a cancel while an operation is in flight): the engine stores the case
 * with that entry, then throws {@link #refusal()} to the caller. The change must not have altered
 * anything but the history before throwing.
 */
final class RecordedRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final PosUnbindException refusal;

    RecordedRefusal(PosUnbindException refusal) {
        super(refusal.getMessage(), refusal, false, false);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    /** What the caller is told. */
    PosUnbindException refusal() {
        return refusal;
    }
}
