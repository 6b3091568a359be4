package io.posunbind;

/** Where an unbind case stands. */
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
    /** Cancelled by a person. */
    CANCELLED;

    /** Whether the engine still works on the case. */
    public boolean isOpen() {
        return this == RUNNING || this == WAITING;
    }
}
