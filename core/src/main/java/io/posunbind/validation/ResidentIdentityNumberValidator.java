package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates an 18-character resident identity number (居民身份证号码) against GB 11643-1999, for
 * example the legal representative's or a micro-merchant's.
 *
 * <p>It checks, and reports every failure of:
 * <ul>
 *   <li>the form: 17 digits followed by a digit or {@code X} ({@link ValidationCodes#ID_FORMAT}). A
 *       lower-case {@code x} is accepted as {@code X}: phone keyboards and OCR produce it often, and it
 *       carries the same check value. Callers that store the number should upper-case it. The 15-digit
 *       numbers of GB 11643-1989, no longer valid on any card in use, are rejected. A form problem
 *       stops the other checks;</li>
 *   <li>the birth date in characters 7 to 14 ({@code YYYYMMDD}) is a real calendar date, not before
 *       1900-01-01 and not after today ({@link ValidationCodes#ID_BIRTH_DATE}). "Today" is the date in
 *       China (UTC+8) at the instant the injected {@link Clock} gives, because the number encodes a
 *       birth date in Chinese time whatever the server's zone;</li>
 *   <li>the last character is the ISO 7064 MOD 11-2 check character of the first 17
 *       ({@link ValidationCodes#ID_CHECK}).</li>
 * </ul>
 * The address code (characters 1 to 6) is not checked against the list of divisions, which changes
 * every year and keeps old codes valid for numbers already issued.
 *
 * <p>Messages never repeat any digit of the number.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Example:
 * <pre>{@code
 * var validator = new ResidentIdentityNumberValidator(clock);
 * validator.validate("legalRepresentative.idNumber", "11010519491231002X"); // empty: valid
 * validator.validate("legalRepresentative.idNumber", "110105199902300023");
 * // one VAL-ID-BIRTH-DATE violation: there is no 30 February (the check digit is right)
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ResidentIdentityNumberValidator implements FieldValidator {

    /** The length of a resident identity number. */
    public static final int LENGTH = 18;

    /** The earliest birth date accepted. */
    public static final LocalDate EARLIEST_BIRTH_DATE = LocalDate.of(1900, 1, 1);

    /** The zone the birth date is expressed in: China Standard Time. */
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** Weights 2^(17-i) mod 11 for positions 1 to 17. */
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

    /** The check character for each value of the weighted sum mod 11. */
    private static final String CHECK_CHARACTERS = "10X98765432";

    private final Clock clock;

    /** Creates a validator that reads today's date from {@link Clock#systemUTC()}. */
    public ResidentIdentityNumberValidator() {
        this(Clock.systemUTC());
    }

    /**
     * Creates a validator that reads today's date from the given clock; tests pass a fixed clock.
     *
     * @param clock the clock; its instant counts, its zone does not
     */
    public ResidentIdentityNumberValidator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The check character (character 18) for the first 17 digits of an identity number, for tests and
     * for generators of sample numbers.
     *
     * @param first17 17 ASCII digits
     * @return {@code '0'} to {@code '9'} or {@code 'X'}
     * @throws IllegalArgumentException if {@code first17} is not 17 ASCII digits
     * @throws NullPointerException     if {@code first17} is {@code null}
     */
    public static char checkDigit(String first17) {
        Objects.requireNonNull(first17, "first17");
        if (first17.length() != LENGTH - 1) {
            throw new IllegalArgumentException("Expected the first 17 digits of an identity number, got "
                    + first17.length() + " characters");
        }
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            char c = first17.charAt(i);
            if (!isAsciiDigit(c)) {
                throw new IllegalArgumentException("Character " + (i + 1) + " of the identity number is not a digit");
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    @Override
    public List<RuleViolation> validate(String field, String value) {
        var missing = RequiredValue.missing(field, value,
                "The identity number is missing. "
                        + "Enter the 18-character number printed on the identity card.");
        if (missing.isPresent()) {
            return List.of(missing.get());
        }
        String formProblem = formProblem(value);
        if (formProblem != null) {
            return List.of(new RuleViolation(ValidationCodes.ID_FORMAT, field, formProblem));
        }

        List<RuleViolation> violations = new ArrayList<>(2);
        String birthDateProblem = birthDateProblem(value);
        if (birthDateProblem != null) {
            violations.add(new RuleViolation(ValidationCodes.ID_BIRTH_DATE, field, birthDateProblem));
        }
        char last = Character.toUpperCase(value.charAt(LENGTH - 1));
        if (last != checkDigit(value.substring(0, LENGTH - 1))) {
            violations.add(new RuleViolation(ValidationCodes.ID_CHECK, field,
                    "The last character of the identity number does not match the first 17 digits, so at least one"
                            + " character was mistyped or two were swapped. Copy the number again from the identity"
                            + " card."));
        }
        return List.copyOf(violations);
    }

    /** The message for a value that is not 17 digits and a digit or X, or null if it has that form. */
    private static String formProblem(String value) {
        if (value.length() != LENGTH) {
            String found = value.length() == 15
                    ? "has 15, like the numbers of the first-generation cards, which are no longer valid; enter the"
                            + " 18-character number of the current identity card"
                    : "has " + (value.length() > 99 ? "far more" : String.valueOf(value.length()))
                            + " characters; copy it again from the identity card, without spaces";
            return "The identity number must have 18 characters (17 digits, then a digit or X) but " + found + ".";
        }
        for (int i = 0; i < LENGTH - 1; i++) {
            if (!isAsciiDigit(value.charAt(i))) {
                return "Character " + (i + 1) + " of the identity number is not a digit; only the 18th character may"
                        + " be X. Copy the number again from the identity card.";
            }
        }
        char last = value.charAt(LENGTH - 1);
        if (!isAsciiDigit(last) && last != 'X' && last != 'x') {
            return "The 18th character of the identity number must be a digit or X. Copy the number again from the"
                    + " identity card.";
        }
        return null;
    }

    /** The message for a birth date that is not real, too early or in the future, or null if it is fine. */
    private String birthDateProblem(String value) {
        int year = Integer.parseInt(value, 6, 10, 10);
        int month = Integer.parseInt(value, 10, 12, 10);
        int day = Integer.parseInt(value, 12, 14, 10);
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return "Characters 7 to 14 of the identity number are the holder's birth date (year, month, day), but"
                    + " they form no real calendar date. Check the number against the identity card.";
        }
        LocalDate birthDate = LocalDate.of(year, month, day);
        if (birthDate.isBefore(EARLIEST_BIRTH_DATE)) {
            return "The birth date in the identity number (characters 7 to 14) is before 1900-01-01, which is not"
                    + " accepted. Check the number against the identity card.";
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), CHINA);
        if (birthDate.isAfter(today)) {
            return "The birth date in the identity number (characters 7 to 14) lies in the future. Check the number"
                    + " against the identity card.";
        }
        return null;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
