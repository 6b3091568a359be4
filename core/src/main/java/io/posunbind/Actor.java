package io.posunbind;

import java.util.Objects;

/**
 * Who issues a command: a merchant's representative, an agent, an operator or the engine itself.
 * Recorded with every change of a case.
 *
 * @param id   a stable id in the caller's identity system, for example {@code "operator:zhang.wei"}
 * @param role what the actor acts as, for example {@code "merchant"}, {@code "operator"}, {@code "system"}
 */
public record Actor(String id, String role) {

    /** Checks the fields. */
    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        if (id.isBlank() || id.length() > 128) {
            throw new IllegalArgumentException("An actor id has 1 to 128 characters");
        }
    }

    /** The engine acting on its own (timers, polling). */
    public static Actor system() {
        return new Actor("posunbind", "system");
    }

    /** An operator of the merchant platform. */
    public static Actor operator(String id) {
        return new Actor(id, "operator");
    }

    /** The merchant's own representative. */
    public static Actor merchant(String id) {
        return new Actor(id, "merchant");
    }
}
