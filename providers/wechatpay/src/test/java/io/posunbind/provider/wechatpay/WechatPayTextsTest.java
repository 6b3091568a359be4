package io.posunbind.provider.wechatpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.i18n.Messages;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own codes read in words wherever core shows a code (a case's {@code describe}, the HTTP API's
 * problem documents): core's {@link Messages} finds the adapter's texts through
 * {@code META-INF/posunbind/message-bundles}.
 */
class WechatPayTextsTest {

    @Test
    void everyCodeOfTheAdapterReadsInChineseAndInEnglish() {
        Messages chinese = Messages.forLocale(Locale.SIMPLIFIED_CHINESE);
        Messages english = Messages.forLocale(Locale.ENGLISH);
        for (WechatPayErrorCode code : WechatPayErrorCode.values()) {
            String zh = chinese.errorText(code);
            String en = english.errorText(code);
            assertNotEquals(code.code(), zh, "no Chinese text for " + code);
            assertNotEquals(code.code(), en, "no English text for " + code);
            assertTrue(zh.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN), zh);
            assertNotEquals(zh, en);
        }
        assertEquals("微信支付驳回了结算账户变更。请按驳回原因改正账户后重试。",
                chinese.errorText(WechatPayErrorCode.SETTLEMENT_CHANGE_REFUSED));
    }
}
