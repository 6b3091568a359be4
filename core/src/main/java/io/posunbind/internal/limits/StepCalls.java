package io.posunbind.internal.limits;

import java.util.HashMap;
import java.util.Map;

/**
 * The provider calls of one step run on the current thread: which limiters it has called already and the
 * tokens each keeps for its next reads in a row (see {@link ProviderLimiter}). Opened by the engine around a
 * step; calls made outside a step (a preview) take one token at a time.
 */
public final class StepCalls implements AutoCloseable {

    private static final ThreadLocal<StepCalls> CURRENT = new ThreadLocal<>();

    /** Per limiter: {tokens kept, calls made by the step}. */
    private final Map<ProviderLimiter, int[]> byLimiter = new HashMap<>();
    private final boolean outermost;

    private StepCalls(boolean outermost) {
        this.outermost = outermost;
    }

    /** Opens the step's scope on this thread (a nested open shares the outer one); close it when the step ends. */
    public static StepCalls open() {
        if (CURRENT.get() != null) {
            return new StepCalls(false);
        }
        StepCalls calls = new StepCalls(true);
        CURRENT.set(calls);
        return calls;
    }

    /** The tokens the current step keeps at {@code limiter}, or null outside a step. */
    static int[] reservation(ProviderLimiter limiter) {
        StepCalls calls = CURRENT.get();
        return calls == null ? null : calls.byLimiter.computeIfAbsent(limiter, key -> new int[2]);
    }

    /** Gives back the tokens the step kept and did not use. */
    @Override
    public void close() {
        if (!outermost) {
            return;
        }
        CURRENT.remove();
        byLimiter.forEach((limiter, state) -> {
            if (state[0] > 0) {
                limiter.release(state[0]);
            }
        });
    }
}
