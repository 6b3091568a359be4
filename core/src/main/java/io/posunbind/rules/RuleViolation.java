package io.posunbind.rules;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One precondition that does not hold, or one field that is missing or invalid. Cases and validators
 * report every violation at once, never one by one.
 *
 * @param code    a stable code such as {@code "RULE-DOCUMENT-MISSING"}; see {@link RuleCode}
 * @param field   what the violation is about: a document kind, a field path such as
 *                {@code "businessLicence.unifiedSocialCreditCode"}, or a binding
 * @param message what is wrong and what to do, never with a clear card, account or identity number
 */
@API(status = API.Status.STABLE, since = "0.1")
public record RuleViolation(String code, String field, String message) {

    /** Checks the fields. */
    public RuleViolation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** Creates a violation with one of the standard codes. */
    public static RuleViolation of(RuleCode code, String field, String message) {
        return new RuleViolation(code.code(), field, message);
    }
}
