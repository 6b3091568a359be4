package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;

/**
 * Checks free text people type: a name, a file reference, a role, a note. Free text may hold spaces,
 * any script and emoji, and (when multi-line) line breaks, but no control, zero-width or direction
 * (bidi) characters that hide or reorder what a reader sees, no unpaired surrogates (which no UTF-8
 * database can store) and nothing longer than the field allows. Unlike a {@link FieldValidator}, it
 * accepts an empty or blank text: whether a text is required is the caller's rule.
 *
 * <p>Problems are reported as {@link ValidationCodes#TOO_LONG} or {@link ValidationCodes#UNSAFE_CHARACTERS};
 * a {@code null} value is one {@link ValidationCodes#REQUIRED}. Immutable and thread-safe. To keep card,
 * account and identity numbers typed into the text out of storage, pass it through
 * {@link SensitiveNumberScrubber#scrub} as well.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class FreeTextValidator {

    private final int maxLength;
    private final boolean multiLine;

    /**
     * Creates a validator.
     *
     * @param maxLength the longest text accepted, in UTF-16 characters; at least 1
     * @param multiLine whether line breaks are allowed (notes), or not (names, references, roles)
     */
    public FreeTextValidator(int maxLength, boolean multiLine) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
        }
        this.maxLength = maxLength;
        this.multiLine = multiLine;
    }

    /** The longest text accepted. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Checks a text.
     *
     * @param field the field's name, copied into each violation
     * @param value the text; {@code null} is one {@link ValidationCodes#REQUIRED} violation
     * @return every problem, or an empty list
     */
    public List<RuleViolation> validate(String field, String value) {
        Objects.requireNonNull(field, "field");
        if (value == null) {
            return List.of(new RuleViolation(ValidationCodes.REQUIRED, field, field + " is required"));
        }
        if (value.length() > maxLength) {
            return List.of(new RuleViolation(ValidationCodes.TOO_LONG, field,
                    field + " has at most " + maxLength + " characters"));
        }
        return UnsafeCharacters.inFreeText(value, multiLine)
                .map(what -> List.of(new RuleViolation(ValidationCodes.UNSAFE_CHARACTERS, field, field
                        + " must hold no control, invisible or direction characters"
                        + (multiLine ? "" : " nor line breaks") + "; found " + what)))
                .orElse(List.of());
    }

    @Override
    public String toString() {
        return "FreeTextValidator[maxLength=" + maxLength + (multiLine ? ", multi-line" : "") + "]";
    }
}
