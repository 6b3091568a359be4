package io.posunbind;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request or command was malformed. Lists every problem at once, each with its field.
 */
public final class InvalidRequestException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleViolation> violations;

    /** Creates the exception with the standard {@link CoreErrorCode#INVALID_REQUEST} code. */
    public InvalidRequestException(String message, List<RuleViolation> violations) {
        this(CoreErrorCode.INVALID_REQUEST, message, violations);
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
