package io.posunbind.validation;

import io.posunbind.spi.API;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks card, account, identity and mobile numbers that people type into free text (a reason note, a
 * name, a file reference), so that they are not stored, exported or printed in clear. A number is a run
 * of digits (ASCII or full-width, as Chinese input methods type them), optionally grouped by single
 * spaces or hyphens:
 * <ul>
 *   <li>16 digits or more: a card, account or identity number; all but its last four digits become
 *       {@code *};</li>
 *   <li>12 to 15 digits that pass the bank-card check ({@link BankCardNumberValidator}, Luhn): a card
 *       number; all but its last four digits become {@code *};</li>
 *   <li>17 digits and an {@code X} whose check character is right ({@link ResidentIdentityNumberValidator}):
 *       an identity number; all but its last four characters become {@code *};</li>
 *   <li>11 digits starting with 13 to 19: a mobile number, masked like {@code 138****5678}.</li>
 * </ul>
 * Shorter runs, and 12 to 15 digits that are no card number (a merchant number such as
 * {@code 898310058120001}), stay as they are: they are how people refer to things. Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * SensitiveNumberScrubber.scrub("refund to card 6222 0210 0112 3456 789 please");
 * // "refund to card **** **** **** ***6 789 please"
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class SensitiveNumberScrubber {

    private static final String DIGIT = "[0-9\\uFF10-\\uFF19]";
    private static final Pattern NUMBER = Pattern.compile(
            "(?<!" + DIGIT + ")" + DIGIT + "(?:[ \\-]?" + DIGIT + ")*+(?:[Xx\\uFF38\\uFF58](?![0-9A-Za-z]))?");
    private static final int LONG_NUMBER = 16;
    private static final int SHORTEST_CARD = BankCardNumberValidator.MIN_DIGITS;
    private static final int MOBILE = 11;
    private static final FieldValidator CARDS = new BankCardNumberValidator();

    private SensitiveNumberScrubber() {
    }

    /**
     * The text with every card, account, identity and mobile number masked (see the class comment).
     *
     * @param text any text
     * @return the masked text, of the same length; the text itself when it holds no such number
     */
    public static String scrub(String text) {
        Matcher matcher = NUMBER.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (matcher.find()) {
            String run = matcher.group();
            String masked = mask(run);
            if (masked.equals(run)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, matcher.start()).append(masked);
            copied = matcher.end();
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static String mask(String run) {
        StringBuilder digits = new StringBuilder(run.length());
        for (int i = 0; i < run.length(); i++) {
            int digit = Character.digit(run.charAt(i), 10);
            if (digit >= 0) {
                digits.append((char) ('0' + digit));
            }
        }
        char last = run.charAt(run.length() - 1);
        boolean endsWithX = Character.digit(last, 10) < 0 && last != ' ' && last != '-';
        int count = digits.length();
        if (endsWithX && count == ResidentIdentityNumberValidator.LENGTH - 1
                && ResidentIdentityNumberValidator.checkDigit(digits.toString()) == 'X') {
            return keepLast(run, 4, 0);
        }
        String number = endsWithX ? run.substring(0, run.length() - 1) : run;
        String suffix = endsWithX ? run.substring(run.length() - 1) : "";
        if (count >= LONG_NUMBER
                || (count >= SHORTEST_CARD && CARDS.validate("card", digits.toString()).isEmpty())) {
            return keepLast(number, 4, 0) + suffix;
        }
        if (count == MOBILE && digits.charAt(0) == '1' && digits.charAt(1) >= '3') {
            return keepLast(number, 4, 3) + suffix;
        }
        return run;
    }

    /** Replaces every digit (and a trailing X) by {@code *}, except the first {@code head} and last {@code tail}. */
    private static String keepLast(String number, int tail, int head) {
        char[] chars = number.toCharArray();
        int total = 0;
        for (char c : chars) {
            if (c != ' ' && c != '-') {
                total++;
            }
        }
        int seen = 0;
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == ' ' || chars[i] == '-') {
                continue;
            }
            seen++;
            if (seen > head && seen <= total - tail) {
                chars[i] = '*';
            }
        }
        return new String(chars);
    }
}
