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

    /**
     * The step does not apply at the provider and is not carried out; the case goes on.
     *
     * @param code   why, as a stable code ({@code UNB-OPERATION-NOT-APPLICABLE}, ...)
     * @param reason the explanation for people: the provider's own words when it gave them
     */
    record Skipped(String code, String reason) implements StepResult {
    }

    /**
     * The step's provider call was not made: the provider's limits allow none now ({@code CallDeferred}).
     * Nothing reached the provider, so no failure is counted and nothing is reported; the case comes back
     * at {@code wakeAt}.
     */
    record Deferred(Instant wakeAt) implements StepResult {
    }

    /** The case stops in an end state. */
    record Stop(CaseState state, String code, String message) implements StepResult {
    }
}
