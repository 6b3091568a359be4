package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import java.util.Objects;
import java.util.Optional;

/** The presence check that every validator runs first, built so that it can neither throw nor be slow. */
final class RequiredValue {

    /**
     * Longer values are not scanned for blankness: they are too long for any field here, and the
     * validator reports that after a look at the length alone.
     */
    private static final int BLANK_SCAN_LIMIT = 1024;

    private RequiredValue() {
    }

    /**
     * The violation for a missing value, if it is missing: {@code null}, empty or whitespace only.
     *
     * @param field the field name, checked for null here so every validator fails the same way
     * @param value the value, possibly null
     * @param message what is missing and where to find it, such as {@code "The card number is missing.
     *                Enter the number printed on the front of the card."}
     */
    static Optional<RuleViolation> missing(String field, String value, String message) {
        Objects.requireNonNull(field, "field");
        if (value == null || (value.length() <= BLANK_SCAN_LIMIT && value.isBlank())) {
            return Optional.of(new RuleViolation(ValidationCodes.REQUIRED, field, message));
        }
        return Optional.empty();
    }
}
