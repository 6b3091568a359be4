package io.posunbind.internal.http;

import java.util.Locale;
import java.util.Optional;

/**
 * Picks the language of an answer from a request's {@code Accept-Language} (RFC 9110, section 12.5.4): the
 * two languages posunbind speaks are simplified Chinese and English, so the answer is Chinese when a
 * {@code zh} range that means simplified Chinese ({@code zh}, {@code zh-CN}, {@code zh-Hans}, {@code zh-SG})
 * has a higher weight than every English (or wildcard) range, and English otherwise, also when the header
 * is absent or malformed. Equal weights go to the range listed first. Stateless and thread-safe.
 */
final class AcceptLanguage {

    private static final int MAX_RANGES = 32;

    private AcceptLanguage() {
    }

    /** The language to answer in: {@link Locale#SIMPLIFIED_CHINESE} or {@link Locale#ENGLISH}. */
    static Locale choose(Optional<String> header) {
        if (header.isEmpty()) {
            return Locale.ENGLISH;
        }
        double chinese = -1;
        double english = -1;
        String[] ranges = header.get().split(",", MAX_RANGES + 1);
        for (int i = 0; i < Math.min(ranges.length, MAX_RANGES); i++) {
            String[] parts = ranges[i].trim().split(";", -1);
            String range = parts[0].trim().toLowerCase(Locale.ROOT);
            double weight = weight(parts);
            if (weight <= 0) {
                continue;
            }
            if (isSimplifiedChinese(range)) {
                chinese = Math.max(chinese, weight);
            } else if (range.equals("en") || range.startsWith("en-") || range.equals("*")) {
                english = Math.max(english, weight);
            }
        }
        // The first of equal weights wins only if it came first; keep it simple and stable: ties go to Chinese
        // only when Chinese was asked for and English was not weighted higher.
        return chinese > english || (chinese >= 0 && chinese == english && firstIsChinese(ranges))
                ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    private static boolean firstIsChinese(String[] ranges) {
        for (String range : ranges) {
            String tag = range.trim().split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
            if (isSimplifiedChinese(tag)) {
                return true;
            }
            if (tag.equals("en") || tag.startsWith("en-") || tag.equals("*")) {
                return false;
            }
        }
        return false;
    }

    private static boolean isSimplifiedChinese(String range) {
        return range.equals("zh") || range.equals("zh-cn") || range.equals("zh-sg") || range.startsWith("zh-hans")
                || range.startsWith("zh-cn-");
    }

    /** The range's q-value: 1 when absent, 0 (not acceptable) when malformed. */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && (parameter.startsWith("q=") || parameter.startsWith("Q="))) {
                String value = parameter.substring(2).trim();
                if (!value.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
                    return 0;
                }
                return Double.parseDouble(value);
            }
        }
        return 1;
    }
}
