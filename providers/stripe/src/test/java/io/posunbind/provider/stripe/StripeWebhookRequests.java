package io.posunbind.provider.stripe;

import io.posunbind.spi.model.RawCallback;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhooks as Stripe posts them: an event body and {@code Stripe-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "t.body" under the endpoint's secret>}, computed here with the JDK from Stripe's
 * description of the scheme, independently of stripe-java, so that the adapter's verification is tested
 * against the scheme and not against the library's own signer.
 */
final class StripeWebhookRequests {

    static final String SECRET = "whsec_PosUnbindStubSigningSecret0123456789";

    private StripeWebhookRequests() {
    }

    static String readerEvent(String eventId, String type, String readerId, Instant created) {
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2025-10-29.clover\","
                + "\"created\":" + created.getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"" + readerId
                + "\",\"object\":\"terminal.reader\",\"action\":{\"failure_code\":null,\"failure_message\":null,"
                + "\"status\":\"succeeded\",\"type\":\"set_reader_display\"},\"device_type\":\"bbpos_wisepos_e\","
                + "\"livemode\":false,\"metadata\":{},\"serial_number\":\"WSC513105011295\",\"status\":\"online\"}},"
                + "\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":null,\"idempotency_key\":null},"
                + "\"type\":\"" + type + "\"}";
    }

    static RawCallback signed(String secret, Instant signedAt, String body) {
        return new RawCallback("/webhooks/stripe", Map.of("Content-Type", List.of("application/json; charset=utf-8"),
                "Stripe-Signature", List.of(header(secret, signedAt, body))),
                body.getBytes(StandardCharsets.UTF_8), signedAt);
    }

    static String header(String secret, Instant signedAt, String body) {
        return "t=" + signedAt.getEpochSecond() + ",v1=" + hmac(secret, signedAt.getEpochSecond() + "." + body);
    }

    private static String hmac(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
