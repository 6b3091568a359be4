package io.posunbind.provider.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.RawCallback;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stripe's webhooks verified by stripe-java's {@code Webhook} against {@code Stripe-Signature}, with the
 * signing secrets from the settings and the provider's clock: who may post, and what is refused with which
 * code. The headers are computed here with the JDK's HMAC from Stripe's description of the scheme.
 */
class StripeWebhooksTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-12-01T09:00:00Z");
    private static final String PREVIOUS_SECRET = "whsec_PreviousSigningSecretBeforeRotation01";
    private static final String BODY = StripeWebhookRequests.readerEvent("evt_1SzTerminal0002",
            "terminal.reader.action_failed", "tmr_00000001", SIGNED_AT);

    @Test
    void aGenuineEventIsVerifiedAndAcknowledgedAsConcerningNoCase() {
        ProviderNotification notification = parser(Duration.ZERO, SIGNED_AT)
                .verify(StripeWebhookRequests.signed(StripeWebhookRequests.SECRET, SIGNED_AT, BODY));

        assertEquals(new ProviderCallback.ConcernsNoCase("terminal.reader.action_failed"), notification.content());
        assertEquals("evt_1SzTerminal0002", notification.notificationId());
        assertEquals(SIGNED_AT, notification.sentAt());
    }

    @Test
    void anEventSignedWithTheSecretBeforeARotationIsStillVerified() {
        Map<String, String> settings = new HashMap<>(settings(Duration.ZERO));
        settings.put("webhook-secret-previous", PREVIOUS_SECRET);
        CallbackParser parser = new StripeProviderFactory().create(StripeSettings.from(ProviderSettings.of(settings)),
                Clock.fixed(SIGNED_AT, ZoneOffset.UTC)).callbackParser().orElseThrow();

        ProviderNotification verified = parser.verify(StripeWebhookRequests.signed(PREVIOUS_SECRET, SIGNED_AT, BODY));

        assertEquals("evt_1SzTerminal0002", verified.notificationId(), "verified under the old secret");
    }

    @Test
    void aForgedOrAlteredEventIsRefusedAsSignatureInvalidWithoutShowingSecretSignatureOrBody() {
        CallbackParser parser = parser(Duration.ZERO, SIGNED_AT);
        RawCallback forged = StripeWebhookRequests.signed("whsec_GuessedByAnAttacker000000000000", SIGNED_AT, BODY);
        RawCallback genuine = StripeWebhookRequests.signed(StripeWebhookRequests.SECRET, SIGNED_AT, BODY);
        RawCallback altered = new RawCallback(genuine.path(), genuine.headers(),
                BODY.replace("action_failed", "action_succeeded").getBytes(StandardCharsets.UTF_8),
                genuine.receivedAt());

        for (RawCallback refused : List.of(forged, altered)) {
            ProviderException e = assertThrows(ProviderException.class, () -> parser.verify(refused));
            assertEquals(NotificationErrorCode.SIGNATURE_INVALID, e.errorCode());
            String header = refused.header("Stripe-Signature").orElseThrow();
            assertFalse(e.getMessage().contains(StripeWebhookRequests.SECRET));
            assertFalse(e.getMessage().contains(header.substring(header.indexOf("v1=") + 3)));
            assertFalse(e.getMessage().contains("evt_1SzTerminal0002"), "nothing of an unverified body is shown");
        }
    }

    @Test
    void anEventWithoutOrWithATwiceSentOrGarbledSignatureHeaderIsMalformed() {
        CallbackParser parser = parser(Duration.ZERO, SIGNED_AT);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String header = StripeWebhookRequests.header(StripeWebhookRequests.SECRET, SIGNED_AT, BODY);

        List<RawCallback> malformed = List.of(
                new RawCallback("/webhooks/stripe", Map.of(), body, SIGNED_AT),
                new RawCallback("/webhooks/stripe", Map.of("Stripe-Signature", List.of(header, header)), body, SIGNED_AT),
                new RawCallback("/webhooks/stripe", Map.of("Stripe-Signature", List.of("v0=abc")), body, SIGNED_AT));

        for (RawCallback refused : malformed) {
            assertEquals(NotificationErrorCode.MALFORMED,
                    assertThrows(ProviderException.class, () -> parser.verify(refused)).errorCode());
        }
    }

    @Test
    void byDefaultTheTimeIsLeftToTheEngineAndWithAToleranceStripeJavaChecksItByTheProvidersClock() {
        Instant tenMinutesLater = SIGNED_AT.plus(Duration.ofMinutes(10));
        RawCallback signedEarlier = StripeWebhookRequests.signed(StripeWebhookRequests.SECRET, SIGNED_AT, BODY);

        ProviderNotification engineDecides = parser(Duration.ZERO, tenMinutesLater).verify(signedEarlier);
        ProviderException tooOld = assertThrows(ProviderException.class,
                () -> parser(Duration.ofMinutes(5), tenMinutesLater).verify(signedEarlier));
        ProviderNotification inTime = parser(Duration.ofMinutes(5), SIGNED_AT.plus(Duration.ofMinutes(4)))
                .verify(signedEarlier);

        assertEquals(SIGNED_AT, engineDecides.sentAt(), "verified: no time check, the engine checks it");
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, tooOld.errorCode());
        assertEquals("timestamp_outside_tolerance", tooOld.providerCode());
        assertEquals(SIGNED_AT, inTime.sentAt(), "verified within the tolerance");
    }

    @Test
    void withoutASigningSecretTheProviderVerifiesNoWebhooks() {
        Map<String, String> settings = new HashMap<>(settings(Duration.ZERO));
        settings.remove("webhook-secret");

        assertTrue(new StripeProviderFactory().create(ProviderSettings.of(settings)).callbackParser().isEmpty());
    }

    private static CallbackParser parser(Duration tolerance, Instant now) {
        CallbackParser parser = new StripeProviderFactory().create(
                StripeSettings.from(ProviderSettings.of(settings(tolerance))), Clock.fixed(now, ZoneOffset.UTC))
                .callbackParser().orElseThrow();
        assertTrue(parser.verifiesNativeNotifications());
        return parser;
    }

    private static Map<String, String> settings(Duration tolerance) {
        return Map.of("api-key", StripeStub.API_KEY, "base-uri", "http://localhost:9", "webhook-secret",
                StripeWebhookRequests.SECRET, "webhook-tolerance", tolerance.toSeconds() + "s");
    }
}
