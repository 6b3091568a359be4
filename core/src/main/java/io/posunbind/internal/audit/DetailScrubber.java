package io.posunbind.internal.audit;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence that keeps card, account, identity and mobile numbers out of audit details.
 * Callers must pass masked values (the SDK's sensitive number types mask themselves); this scrub catches
 * the ones that slip through, before the detail is hashed and stored:
 * <ul>
 *   <li>an 18-character resident identity number ending in {@code X} (17 digits and {@code X}) becomes
 *       17 {@code *} and the {@code X};</li>
 *   <li>any run of 12 or more digits, optionally grouped by single spaces or dashes (card and account
 *       numbers have 12 to 19, identity numbers 18), keeps its last four digits only;</li>
 *   <li>an 11-digit Chinese mobile number ({@code 1[3-9]} and 9 digits) keeps its first three and last four
 *       digits, like {@code PhoneNumber.masked()};</li>
 *   <li>control characters other than tab and line feed become spaces (PostgreSQL cannot store NUL, and
 *       they hide text from people reading the log); unpaired surrogates become U+FFFD;</li>
 *   <li>the result is cut to {@link #MAX_LENGTH} characters.</li>
 * </ul>
 * A digit run of 12 or more is masked even when it was not a card number (a timestamp in milliseconds,
 * a merchant number): details are for people, and the merchant number has its own field in the record's
 * affected resource. Stateless and thread-safe.
 */
public final class DetailScrubber {

    /** The longest detail kept, in characters. */
    public static final int MAX_LENGTH = 1000;

    private static final Pattern IDENTITY_WITH_X = Pattern.compile("(?<![0-9])[0-9]{17}[Xx](?![0-9A-Za-z])");
    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){11,}+");
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");

    private DetailScrubber() {
    }

    /** The detail as it may be stored: see the class comment. */
    public static String scrub(String detail) {
        String text = replaceControlsAndLoneSurrogates(detail);
        text = IDENTITY_WITH_X.matcher(text).replaceAll(match -> "*".repeat(17) + "X");
        text = replace(LONG_DIGIT_RUN, text, DetailScrubber::keepLastFourDigits);
        text = replace(MOBILE, text, mobile -> mobile.substring(0, 3) + "****" + mobile.substring(7));
        if (text.length() > MAX_LENGTH) {
            int end = MAX_LENGTH;
            // Never cut a surrogate pair in two.
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text = text.substring(0, end);
        }
        return text;
    }

    private static String replace(Pattern pattern, String text, UnaryOperator<String> masking) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            matcher.appendReplacement(out, Matcher.quoteReplacement(masking.apply(matcher.group())));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }

    private static String keepLastFourDigits(String run) {
        char[] chars = run.toCharArray();
        int digitsToKeep = 4;
        for (int i = chars.length - 1; i >= 0; i--) {
            if (Character.isDigit(chars[i])) {
                if (digitsToKeep > 0) {
                    digitsToKeep--;
                } else {
                    chars[i] = '*';
                }
            }
        }
        return new String(chars);
    }

    private static String replaceControlsAndLoneSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char replacement = c;
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                replacement = ' ';
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                replacement = '\uFFFD';
            } else if (Character.isLowSurrogate(c)) {
                replacement = '\uFFFD';
            }
            if (replacement != c && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement);
            }
        }
        return out == null ? text : out.toString();
    }
}
