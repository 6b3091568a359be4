package io.posunbind.internal.engine;

import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import java.time.Instant;

/** What executing a step led to. */
sealed interface StepResult {

    /** The step finished; go on with the next. */
    record Done(String detail) implements StepResult {
    }

    /** The step waits for input ({@code wakeAt} null) or a timer. */
    record Wait(WaitReason reason, Instant wakeAt, String detail) implements StepResult {
    }

    /** The case stops in an end state. */
    record Stop(CaseState state, String code, String message) implements StepResult {
    }
}
