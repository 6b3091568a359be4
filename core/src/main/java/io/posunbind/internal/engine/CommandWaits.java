package io.posunbind.internal.engine;

import io.posunbind.WaitPolicy;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The wait one call of a command asked for ({@code unbinder.commands(policy)}), in place of the engine's default,
 * for the commands that call runs on its thread. Kept with the thread rather than passed down, so that every
 * command, the callbacks included, honours it without a second signature each; set only around one call, and
 * restored after it, so it never outlives that call or leaks into a thread of a pool.
 */
public final class CommandWaits {

    private static final ThreadLocal<WaitPolicy> CHOSEN = new ThreadLocal<>();

    private CommandWaits() {
    }

    /** Runs {@code command} with {@code wait} as the wait of the commands it runs on this thread. */
    public static <T> T with(WaitPolicy wait, Supplier<T> command) {
        Objects.requireNonNull(wait, "wait");
        WaitPolicy before = CHOSEN.get();
        CHOSEN.set(wait);
        try {
            return command.get();
        } finally {
            if (before == null) {
                CHOSEN.remove();
            } else {
                CHOSEN.set(before);
            }
        }
    }

    /** The wait a call chose for the command running on this thread, else {@code otherwise}. */
    static WaitPolicy orElse(WaitPolicy otherwise) {
        return Optional.ofNullable(CHOSEN.get()).orElse(otherwise);
    }
}
