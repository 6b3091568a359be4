package io.posunbind.provider.wechatpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.testkit.ClearNumbers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WeChat Pay posts a notification; the adapter has the library verify its Wechatpay-Signature with the WeChat
 * Pay public key and decrypt its resource with the APIv3 key before anything in it is believed.
 */
class WechatPayNotificationsTest {

    private static final Instant SENT = Instant.parse("2026-01-05T01:00:00Z");
    private static final String APPROVED = "{\"sub_mchid\":\"1511101111\",\"application_no\":\"2026010000001\","
            + "\"verify_result\":\"AUDIT_SUCCESS\"}";

    static WechatPayKeys keys;

    private final WechatPayFake wechatPay = new WechatPayFake(keys);
    private final WechatPayProvider provider = new WechatPayProvider(
            WechatPaySettings.from(ProviderSettings.of(keys.settings(wechatPay.baseUri()))));
    private final CallbackParser parser = provider.callbackParser().orElseThrow();

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @AfterEach
    void stop() {
        provider.close();
        wechatPay.close();
    }

    @Test
    void aVerifiedNotificationOfAnApprovedApplicationFinishesTheChangeByItsApplicationNumber() {
        WechatPayFake.RawNotification posted = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT", APPROVED,
                SENT, false);

        ProviderNotification notification = parser.verify(raw(posted, posted.headers()));

        assertTrue(parser.verifiesNativeNotifications());
        assertEquals(posted.id(), notification.notificationId());
        assertEquals(SENT, notification.sentAt(), "the signed Wechatpay-Timestamp");
        assertEquals("wechatpay:" + WechatPayKeys.PUBLIC_KEY_ID, notification.sender());
        ProviderCallback.OperationFinished finished = assertInstanceOf(ProviderCallback.OperationFinished.class,
                notification.content());
        assertEquals("2026010000001", finished.providerReference());
        assertEquals(OperationOutcome.done("2026010000001"), finished.outcome());
    }

    @Test
    void aRefusedApplicationIsARejectionWithWechatPaysReason() {
        WechatPayFake.RawNotification posted = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT",
                "{\"application_no\":\"2026010000001\",\"verify_result\":\"AUDIT_FAIL\",\"verify_fail_reason\":"
                        + "\"银行账户户名不一致\"}", SENT, false);

        ProviderCallback.OperationFinished finished = (ProviderCallback.OperationFinished) parser.verify(
                raw(posted, posted.headers())).content();

        OperationOutcome.Rejected rejected = assertInstanceOf(OperationOutcome.Rejected.class, finished.outcome());
        assertEquals(WechatPayErrorCode.SETTLEMENT_CHANGE_REFUSED, rejected.code());
        assertTrue(rejected.message().contains("银行账户户名不一致"));
    }

    @Test
    void aNotificationSignedWithAnotherKeyIsRefusedAsForgedWithoutQuotingItsSignature() {
        WechatPayFake.RawNotification forged = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT", APPROVED,
                SENT, true);

        ProviderException refused = assertThrows(ProviderException.class,
                () -> parser.verify(raw(forged, forged.headers())));

        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, refused.errorCode());
        assertFalse(refused.getMessage().contains(forged.headers().get("Wechatpay-Signature")));
        assertFalse(refused.getMessage().contains("ciphertext"));
    }

    @Test
    void aBodyAlteredAfterSigningIsRefused() {
        WechatPayFake.RawNotification posted = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT", APPROVED,
                SENT, false);
        WechatPayFake.RawNotification altered = new WechatPayFake.RawNotification(posted.id(),
                posted.body().replace("settlement\",\"resource\"", "settlement \",\"resource\""), posted.headers());

        ProviderException refused = assertThrows(ProviderException.class,
                () -> parser.verify(raw(altered, altered.headers())));
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, refused.errorCode());
    }

    @Test
    void aNotificationNamingAnotherKeyOrAnSm2SignatureIsRefusedAsAnUnknownKey() {
        WechatPayFake.RawNotification posted = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT", APPROVED,
                SENT, false);
        Map<String, String> otherSerial = new HashMap<>(posted.headers());
        otherSerial.put("Wechatpay-Serial", "PUB_KEY_ID_0119000000012025120100000000000099");
        Map<String, String> sm2 = new HashMap<>(posted.headers());
        sm2.put("Wechatpay-Signature-Type", "WECHATPAY2-SM2-WITH-SM3");

        assertEquals(NotificationErrorCode.UNKNOWN_KEY, assertThrows(ProviderException.class,
                () -> parser.verify(raw(posted, otherSerial))).errorCode());
        assertEquals(NotificationErrorCode.UNKNOWN_KEY, assertThrows(ProviderException.class,
                () -> parser.verify(raw(posted, sm2))).errorCode());
    }

    @Test
    void aNotificationWithoutItsSignatureHeadersIsMalformed() {
        WechatPayFake.RawNotification posted = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT", APPROVED,
                SENT, false);
        for (String header : List.of("Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce",
                "Wechatpay-Serial")) {
            Map<String, String> without = new HashMap<>(posted.headers());
            without.remove(header);
            ProviderException refused = assertThrows(ProviderException.class,
                    () -> parser.verify(raw(posted, without)));
            assertEquals(NotificationErrorCode.MALFORMED, refused.errorCode(), header);
        }
    }

    @Test
    void aVerifiedEventThatIsNotAboutASettlementApplicationIsRefusedAsNotOurs() {
        WechatPayFake.RawNotification payment = wechatPay.notification("TRANSACTION.SUCCESS",
                "{\"transaction_id\":\"4200000000000000000000000000\",\"trade_state\":\"SUCCESS\"}", SENT, false);

        ProviderException refused = assertThrows(ProviderException.class,
                () -> parser.verify(raw(payment, payment.headers())));

        assertEquals(NotificationErrorCode.MALFORMED, refused.errorCode());
        assertEquals("NOT_A_SETTLEMENT_EVENT", refused.providerCode());
        assertTrue(refused.getMessage().contains("TRANSACTION.SUCCESS"));
        assertEquals(List.of(), ClearNumbers.in(List.of(refused.getMessage()), Set.of(WechatPayKeys.API_V3_KEY)));
    }

    static RawCallback raw(WechatPayFake.RawNotification notification, Map<String, String> headers) {
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return new RawCallback("/webhooks/wechatpay", multi, notification.body().getBytes(StandardCharsets.UTF_8),
                SENT.plusSeconds(1));
    }
}
