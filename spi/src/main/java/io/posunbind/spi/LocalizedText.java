package io.posunbind.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * A short text for operators in English and simplified Chinese, for example what the merchant or the
 * operator must do while an operation is pending at the provider ("return the terminal through the
 * Customer Area" / "请在客户后台退回终端"). Immutable and thread-safe.
 *
 * @param english the English text, 1 to {@value #MAX_LENGTH} characters
 * @param chinese the simplified Chinese (zh-CN) text, 1 to {@value #MAX_LENGTH} characters
 */
@API(status = API.Status.STABLE, since = "2.0")
public record LocalizedText(String english, String chinese) {

    /** The longest text in either language: a hint for people, not a document. */
    public static final int MAX_LENGTH = 300;

    /** Checks both texts. */
    public LocalizedText {
        check(english, "english");
        check(chinese, "chinese");
    }

    /** The text in both languages. */
    public static LocalizedText of(String english, String chinese) {
        return new LocalizedText(english, chinese);
    }

    /** The Chinese text for a Chinese locale, the English one for every other. */
    public String in(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return "zh".equals(locale.getLanguage()) ? chinese : english;
    }

    private static void check(String text, String name) {
        Objects.requireNonNull(text, name);
        if (text.isBlank() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The " + name + " text has 1 to " + MAX_LENGTH + " characters, had "
                    + text.length());
        }
    }
}
