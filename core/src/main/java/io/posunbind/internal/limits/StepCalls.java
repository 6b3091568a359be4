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

    private final Map<ProviderLimiter, Reservation> byLimiter = new HashMap<>();
    /** What kind of step it is: a limiter learns per kind how many calls such a step makes in a row. */
    private final Object kind;
    private final boolean outermost;

    private StepCalls(Object kind, boolean outermost) {
        this.kind = kind;
        this.outermost = outermost;
    }

    /**
     * Opens the scope of a step of {@code kind} on this thread (a nested open shares the outer one); close it
     * when the step ends.
     */
    public static StepCalls open(Object kind) {
        if (CURRENT.get() != null) {
            return new StepCalls(kind, false);
        }
        StepCalls calls = new StepCalls(kind, true);
        CURRENT.set(calls);
        return calls;
    }

    /** What the current step keeps at {@code limiter}, or null outside a step. */
    static Reservation reservation(ProviderLimiter limiter) {
        StepCalls calls = CURRENT.get();
        return calls == null ? null : calls.byLimiter.computeIfAbsent(limiter, key -> new Reservation(calls.kind));
    }

    /** One step's use of one limiter: the tokens it keeps for its next calls, and the calls it made. */
    static final class Reservation {
        final Object stepKind;
        int kept;
        int calls;

        private Reservation(Object stepKind) {
            this.stepKind = stepKind;
        }
    }

    /** Gives back the tokens the step kept and did not use. */
    @Override
    public void close() {
        if (!outermost) {
            return;
        }
        CURRENT.remove();
        byLimiter.forEach((limiter, state) -> {
            if (state.kept > 0) {
                limiter.release(state.kept);
            }
        });
    }
}
