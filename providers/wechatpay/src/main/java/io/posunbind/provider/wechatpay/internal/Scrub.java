package io.posunbind.provider.wechatpay.internal;

import java.util.regex.Pattern;

/** Keeps clear account and card numbers out of what WeChat Pay's messages echo back. */
final class Scrub {

    // 12 digits and more: bank accounts and cards. Merchant ids (8 to 10 digits) stay readable.
    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("\\d{12,}");

    private Scrub() {
    }

    static String numbers(String text) {
        if (text == null) {
            return "";
        }
        return LONG_DIGIT_RUN.matcher(text).replaceAll(match -> {
            String digits = match.group();
            return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
        });
    }
}
