package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.List;

/**
 * Validates a mainland Chinese mobile number, such as the merchant's registered mobile that receives
 * an acquirer's SMS code.
 *
 * <p>Accepted: 11 digits starting {@code 13} to {@code 19}, optionally after the country code
 * {@code +86} or {@code 86}, with spaces and hyphens anywhere, so {@code "+86 138-0013-8000"} is
 * accepted. Not accepted: the international prefix {@code 0086}, other country codes, landline
 * numbers. Every problem is reported as one {@link ValidationCodes#MOBILE_FORMAT} violation whose
 * message says what is wrong. Number ranges are not checked against carriers' allocations, which
 * change.
 *
 * <p>Messages never repeat any digit of the number.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Example:
 * <pre>{@code
 * new ChineseMobileNumberValidator().validate("merchant.registeredMobile", "+86 138 0013 8000"); // empty
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ChineseMobileNumberValidator implements FieldValidator {

    /** The digits of a mobile number without the country code. */
    public static final int DIGITS = 11;
    /** The longest value read at all: the number, +86 and generous room for separators. */
    public static final int MAX_INPUT_LENGTH = 32;

    /** Creates the validator; it has no settings. */
    public ChineseMobileNumberValidator() {
    }

    @Override
    public List<RuleViolation> validate(String field, String value) {
        var missing = RequiredValue.missing(field, value,
                "The mobile number is missing. Enter the 11-digit mobile number.");
        if (missing.isPresent()) {
            return List.of(missing.get());
        }
        String problem = problem(value);
        return problem == null ? List.of() : List.of(new RuleViolation(ValidationCodes.MOBILE_FORMAT, field, problem));
    }

    /** The message for what is wrong with a non-blank value, or null if it is a mobile number. */
    private static String problem(String value) {
        if (value.length() > MAX_INPUT_LENGTH) {
            return "The mobile number is far too long. Enter the 11-digit mobile number, optionally after +86.";
        }
        StringBuilder digits = new StringBuilder(DIGITS + 2);
        boolean plus = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && !plus && digits.length() == 0) {
                plus = true;
            } else if (c != ' ' && c != '-') {
                return "Character " + (i + 1) + " of the mobile number is not allowed: use digits, optionally +86"
                        + " in front, with spaces or hyphens between groups if you like.";
            }
        }
        String national = digits.toString();
        if (national.length() == DIGITS + 2 && national.startsWith("86")) {
            national = national.substring(2);
        } else if (plus) {
            return "Only the country code +86 is accepted in front of a mobile number. Enter a mainland Chinese"
                    + " mobile number.";
        }
        if (national.length() != DIGITS) {
            return "A mobile number has 11 digits (after +86, if given), but this one has " + national.length()
                    + ". Check that no digit is missing or repeated.";
        }
        if (national.charAt(0) != '1' || national.charAt(1) < '3') {
            return "A mainland Chinese mobile number starts with 13 to 19; this one does not. Enter a mobile, not a"
                    + " landline, number.";
        }
        return null;
    }
}
