package io.posunbind;

import io.posunbind.spi.API;

/** Where an unbind case stands. */
@API(status = API.Status.STABLE, since = "0.1")
public enum CaseState {
    /** Ready for the engine to take its next step. */
    RUNNING,
    /** Waiting for input (documents, consent, a decision) or for a timer (retry, poll, settlement). */
    WAITING,
    /** Every binding in scope is unbound and the replacement, if any, is tested. */
    COMPLETED,
    /** The institution rejected the application. */
    REJECTED,
    /** A rule forbids the unbind (for example a terminal bound to several merchants). */
    BLOCKED,
    /** A provider refused an operation, or retries ran out; an operator must look. */
    FAILED,
    /** Cancelled by a person before anything changed at the provider. */
    CANCELLED,
    /**
     * Cancelled by a person after the case had changed something at the provider (a terminal disabled,
     * unbound, an account changed): the steps that were done stay {@link StepStatus#DONE}, the others are
     * {@link StepStatus#CANCELLED}, and an operator must undo the changes or finish the rest by hand. See
     * {@link CaseSnapshot#changesMade()} and {@link Unbinder#cancel}.
     */
    CANCELLED_PARTIALLY;

    /** Whether the engine still works on the case. */
    public boolean isOpen() {
        return this == RUNNING || this == WAITING;
    }
}
