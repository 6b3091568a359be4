package io.posunbind.internal.engine;

import io.posunbind.internal.audit.DetailScrubber;

/**
 * What the engine logs of a fault of its own: the fault's type and message with card, account, identity
 * and phone numbers scrubbed, and its stack frames, never its raw message. A JDK exception quotes its
 * input ({@code NumberFormatException: For input string: "6222..."}), and a stack trace printed as is
 * would put that number in the log. Causes are scrubbed alike.
 *
 * <p>Immutable once built; only ever logged, never thrown.
 */
final class ScrubbedFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Causes deeper than this are left out: a cycle or a runaway chain must not stall the log. */
    private static final int MAX_CAUSES = 8;

    private ScrubbedFault(String description) {
        super(description);
    }

    /** The fault as it may be logged. */
    static ScrubbedFault of(Throwable fault) {
        return of(fault, 0);
    }

    private static ScrubbedFault of(Throwable fault, int depth) {
        String message = fault.getMessage();
        ScrubbedFault scrubbed = new ScrubbedFault(fault.getClass().getName()
                + (message == null ? "" : ": " + DetailScrubber.scrub(message)));
        scrubbed.setStackTrace(fault.getStackTrace());
        Throwable cause = fault.getCause();
        if (cause != null && cause != fault && depth < MAX_CAUSES) {
            scrubbed.initCause(of(cause, depth + 1));
        }
        return scrubbed;
    }
}
