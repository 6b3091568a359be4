package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates a POS terminal's serial number (SN, 序列号) against the serial-number pattern of the
 * terminal's provider or manufacturer, for example the SN the merchant reads off the label when the
 * provider's inventory has to be matched.
 *
 * <p>The whole value must match the pattern. Values longer than {@value #MAX_LENGTH} characters are
 * rejected without matching, so huge input costs nothing; the pattern itself should still be one that
 * cannot backtrack exponentially (no nested quantifiers such as {@code (a+)+}). Every problem is
 * reported as one {@link ValidationCodes#SN_FORMAT} violation.
 *
 * <p>Immutable and thread-safe ({@link Pattern} is).
 *
 * <p>Example:
 * <pre>{@code
 * FieldValidator pax = TerminalSerialNumberValidator.forPattern("\\d{10}");
 * FieldValidator any = new TerminalSerialNumberValidator(TerminalSerialNumberValidator.defaultPattern());
 * pax.validate("terminal.serialNumber", "0820123456"); // empty: valid
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class TerminalSerialNumberValidator implements FieldValidator {

    /** The longest serial number matched against the pattern; no terminal has a longer one. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern DEFAULT_PATTERN = Pattern.compile("[A-Za-z0-9-]{6,32}");

    private final Pattern pattern;

    /**
     * Creates a validator for one provider's serial numbers.
     *
     * @param pattern the pattern the whole serial number must match
     */
    public TerminalSerialNumberValidator(Pattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    /**
     * A validator for the given regular expression.
     *
     * @param regex a {@link Pattern} expression the whole serial number must match
     * @return the validator
     * @throws PatternSyntaxException if the expression is malformed
     */
    public static TerminalSerialNumberValidator forPattern(String regex) {
        return new TerminalSerialNumberValidator(Pattern.compile(Objects.requireNonNull(regex, "regex")));
    }

    /**
     * The pattern to use when the provider publishes none: 6 to 32 characters from
     * {@code A-Z a-z 0-9} and the hyphen.
     *
     * @return the pattern {@code [A-Za-z0-9-]{6,32}}
     */
    public static Pattern defaultPattern() {
        return DEFAULT_PATTERN;
    }

    /**
     * The pattern this validator matches.
     *
     * @return the pattern
     */
    public Pattern pattern() {
        return pattern;
    }

    @Override
    public List<RuleViolation> validate(String field, String value) {
        var missing = RequiredValue.missing(field, value,
                "The terminal serial number is missing. Enter the SN printed on the terminal's label.");
        if (missing.isPresent()) {
            return List.of(missing.get());
        }
        if (value.length() > MAX_LENGTH) {
            return List.of(new RuleViolation(ValidationCodes.SN_FORMAT, field,
                    "The terminal serial number is far too long (over " + MAX_LENGTH + " characters). Enter only"
                            + " the SN printed on the terminal's label."));
        }
        if (!pattern.matcher(value).matches()) {
            return List.of(new RuleViolation(ValidationCodes.SN_FORMAT, field,
                    "The terminal serial number does not have the form this provider uses (" + pattern.pattern()
                            + "). Copy the SN again from the terminal's label or its settings screen, without"
                            + " spaces."));
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "TerminalSerialNumberValidator[" + pattern.pattern() + "]";
    }
}
