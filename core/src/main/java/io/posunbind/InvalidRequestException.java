package io.posunbind;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.validation.ValidationCodes;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request or command was malformed. Lists every problem at once, each with its field (a JSON path such
 * as {@code documents[1].name} when read from JSON) and its own code.
 *
 * <p>The exception's code is {@link CoreErrorCode#UNSAFE_CHARACTERS} when any value holds characters that
 * could make two values look alike or hide text (a host may want to flag that as a possible spoofing
 * attempt), otherwise {@link CoreErrorCode#INVALID_REQUEST}, unless a constructor is given another code.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class InvalidRequestException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleViolation> violations;

    /**
     * Creates the exception with {@link CoreErrorCode#UNSAFE_CHARACTERS} when a violation is about unsafe
     * characters, otherwise with the standard {@link CoreErrorCode#INVALID_REQUEST} code.
     */
    public InvalidRequestException(String message, List<RuleViolation> violations) {
        this(codeFor(violations), message, violations);
    }

    /** Creates the exception with a specific code. */
    public InvalidRequestException(ErrorCode code, String message, List<RuleViolation> violations) {
        super(code, message + describe(violations));
        this.violations = List.copyOf(violations);
    }

    /** Every problem found. */
    public List<RuleViolation> violations() {
        return violations;
    }

    private static CoreErrorCode codeFor(List<RuleViolation> violations) {
        return violations.stream().anyMatch(violation -> ValidationCodes.UNSAFE_CHARACTERS.equals(violation.code()))
                ? CoreErrorCode.UNSAFE_CHARACTERS : CoreErrorCode.INVALID_REQUEST;
    }

    static RuleViolation problem(String field, String message) {
        return new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field, field + " " + message);
    }

    private static String describe(List<RuleViolation> violations) {
        if (violations.isEmpty()) {
            return "";
        }
        return ": " + violations.stream().map(RuleViolation::message).collect(Collectors.joining("; "));
    }
}
