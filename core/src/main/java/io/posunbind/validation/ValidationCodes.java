package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;

/**
 * The stable codes of the violations that the validators of this package report. They appear in
 * {@link RuleViolation#code()}; callers may switch on them, show their own text for
 * them, or count them. A released code never changes its meaning.
 *
 * <p>Every code starts with {@code VAL-}, names the kind of number, then the problem.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ValidationCodes {

    /** The value is missing: {@code null}, empty or only whitespace. */
    public static final String REQUIRED = "VAL-REQUIRED";

    /**
     * The unified social credit code does not have the form GB 32100 prescribes: 18 characters from
     * {@code 0-9} and the upper-case letters {@code A-H J-N P-R T U W-Y}.
     */
    public static final String USCC_FORMAT = "VAL-USCC-FORMAT";
    /** The first character of the unified social credit code names no registration authority. */
    public static final String USCC_AUTHORITY = "VAL-USCC-AUTHORITY";
    /** The second character names no institution type that the registration authority assigns. */
    public static final String USCC_INSTITUTION_TYPE = "VAL-USCC-INSTITUTION-TYPE";
    /** Characters 3 to 8, the administrative division code of the registering office, are not digits. */
    public static final String USCC_DIVISION = "VAL-USCC-DIVISION";
    /** The 18th character is not the check character that the first 17 call for. */
    public static final String USCC_CHECK = "VAL-USCC-CHECK";

    /** The resident identity number is not 17 digits followed by a digit or {@code X}. */
    public static final String ID_FORMAT = "VAL-ID-FORMAT";
    /** The birth date inside the identity number is no real date, lies in the future or before 1900. */
    public static final String ID_BIRTH_DATE = "VAL-ID-BIRTH-DATE";
    /** The last character of the identity number is not the ISO 7064 MOD 11-2 check character. */
    public static final String ID_CHECK = "VAL-ID-CHECK";

    /** The card number contains characters other than digits, spaces and hyphens. */
    public static final String CARD_FORMAT = "VAL-CARD-FORMAT";
    /** The card number has too few or too many digits (12 to 19; 16 to 19 for UnionPay). */
    public static final String CARD_LENGTH = "VAL-CARD-LENGTH";
    /** The card number fails the Luhn check: a digit is wrong or two digits are swapped. */
    public static final String CARD_LUHN = "VAL-CARD-LUHN";

    /** The value is not a Chinese mobile number (11 digits starting 13 to 19, optionally after +86). */
    public static final String MOBILE_FORMAT = "VAL-MOBILE-FORMAT";

    /** The terminal serial number does not match the provider's serial-number pattern. */
    public static final String SN_FORMAT = "VAL-SN-FORMAT";

    /**
     * The value holds a character that is invisible or changes how text is shown, so that two different
     * values could look alike: a control, zero-width or direction (bidi) character, an unpaired surrogate,
     * a private-use or unassigned code point, a letter written with a separate combining mark, and in an
     * identifier also any space. See {@link IdentifierValidator} and {@link FreeTextValidator}.
     */
    public static final String UNSAFE_CHARACTERS = "VAL-UNSAFE-CHARACTERS";
    /** The value is longer than the field allows. */
    public static final String TOO_LONG = "VAL-TOO-LONG";

    private ValidationCodes() {
    }
}
