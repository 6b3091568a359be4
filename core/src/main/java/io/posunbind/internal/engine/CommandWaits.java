package io.posunbind.internal.engine;

import io.posunbind.WaitPolicy;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The wait one call of a command asked for ({@code unbinder.commands(policy)}), in place of the engine's default,
 * for the command that call starts on its thread. Kept with the thread rather than passed down, so that every
 * command, the callbacks included, honours it without a second signature each; taken by the command as it starts
 * (the commands it leads to follow the default), and cleared after the call, so it never outlives that call or
 * leaks into a thread of a pool.
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

    /**
     * The wait a call chose for the command starting on this thread, else {@code otherwise}; taken, so that a
     * command the first one leads to on this thread (a listener that advances another case) follows the default.
     */
    static WaitPolicy take(WaitPolicy otherwise) {
        WaitPolicy chosen = CHOSEN.get();
        if (chosen == null) {
            return otherwise;
        }
        CHOSEN.remove();
        return chosen;
    }
}
