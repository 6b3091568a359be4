package io.posunbind;

import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.List;

/**
 * Who issues a command: a merchant's representative, an agent, an operator or the engine itself.
 * Recorded with every change of a case. Immutable and thread-safe.
 *
 * @param id   a stable id in the caller's identity system, for example {@code "operator:zhang.wei"}: 1 to
 *             {@value #MAX_ID_LENGTH} characters, no spaces, invisible, control or direction characters
 * @param role what the actor acts as, for example {@code "merchant"}, {@code "operator"}, {@code "system"}:
 *             1 to {@value #MAX_ROLE_LENGTH} characters on one line
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Actor(String id, String role) {

    /** The longest actor id. */
    public static final int MAX_ID_LENGTH = 128;
    /** The longest role. */
    public static final int MAX_ROLE_LENGTH = 64;

    /**
     * Checks the fields.
     *
     * @throws InvalidRequestException listing every problem: {@link CoreErrorCode#UNSAFE_CHARACTERS} when
     *         a field holds invisible, control or direction characters, otherwise
     *         {@link CoreErrorCode#INVALID_REQUEST}
     */
    public Actor {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.identifier(problems, "id", id, MAX_ID_LENGTH);
        role = InputText.freeText(problems, "role", role, MAX_ROLE_LENGTH, false);
        if (role != null && role.isBlank()) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "role", "role is required"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The actor is invalid", problems);
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
