package io.posunbind.internal.limits;

/**
 * A call a {@link ProviderLimiter} let through: close it when the call returns, so the next may start; or, when the call is not
 * made after all, {@link #refund()} it, which also gives its place in the window back. Not thread-safe:
 * one caller holds it.
 */
public final class Permit implements AutoCloseable {
    private final ProviderLimiter limiter;
    /** Whether it spent a token of the rate (false when the rate is not limited). */
    private final boolean holdsToken;
    private final boolean holdsConcurrency;
    private boolean released;

    Permit(ProviderLimiter limiter, boolean holdsToken, boolean holdsConcurrency) {
        this.limiter = limiter;
        this.holdsToken = holdsToken;
        this.holdsConcurrency = holdsConcurrency;
    }

    /**
     * The call was answered (or failed): its concurrency comes back now and its token one window from now.
     * Once however often it is called.
     */
    @Override
    public void close() {
        if (!released) {
            released = true;
            if (holdsToken || holdsConcurrency) {
                limiter.answered(holdsToken, holdsConcurrency);
            }
        }
    }

    /**
     * The call is not made: its token goes back to the window and it is not counted as permitted. Only for
     * a limiter that keeps no reads in a row (an operation's), whose tokens no step reserved.
     */
    public void refund() {
        if (released) {
            return;
        }
        released = true;
        limiter.refunded(holdsToken, holdsConcurrency);
    }
}
