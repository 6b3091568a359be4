package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;

/**
 * Checks an identifier that people compare and systems look up by equality: a merchant number, a
 * terminal serial number, a case or actor id. Two identifiers must never look alike while being
 * different, and an identifier must survive any database unchanged, so it holds no spaces, no control,
 * zero-width, direction (bidi) or other invisible characters, no unpaired surrogates (PostgreSQL stores
 * each as {@code ?}, so two different serials became the same), no private-use or unassigned code
 * points, and is in Unicode normal form C.
 *
 * <p>Problems are reported as {@link ValidationCodes#REQUIRED}, {@link ValidationCodes#TOO_LONG} or
 * {@link ValidationCodes#UNSAFE_CHARACTERS}; the message names the offending character by code point,
 * never the value. Immutable and thread-safe.
 *
 * <pre>{@code
 * new IdentifierValidator(64).validate("terminalSerial", "SN\u202E0001"); // one VAL-UNSAFE-CHARACTERS
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class IdentifierValidator implements FieldValidator {

    private final int maxLength;

    /**
     * Creates a validator.
     *
     * @param maxLength the longest identifier accepted, in UTF-16 characters; at least 1
     */
    public IdentifierValidator(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** The longest identifier accepted. */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public List<RuleViolation> validate(String field, String value) {
        var missing = RequiredValue.missing(field, value, field + " is required");
        if (missing.isPresent()) {
            return List.of(missing.get());
        }
        if (value.length() > maxLength) {
            return List.of(new RuleViolation(ValidationCodes.TOO_LONG, field,
                    field + " has at most " + maxLength + " characters"));
        }
        return UnsafeCharacters.inIdentifier(value)
                .map(what -> List.of(new RuleViolation(ValidationCodes.UNSAFE_CHARACTERS, field, field
                        + " must hold no spaces, invisible, control or direction characters; found " + what)))
                .orElse(List.of());
    }

    @Override
    public String toString() {
        return "IdentifierValidator[maxLength=" + maxLength + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdentifierValidator that && that.maxLength == maxLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxLength);
    }
}
