package io.posunbind.spi.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RawCallbackTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    private static final String SIGNATURE = "t=1764554400,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";

    @Test
    void headersAreFoundWhateverTheirSpellingAndKeepEveryValue() {
        RawCallback raw = new RawCallback("/webhooks/stripe", Map.of("Stripe-Signature", List.of(SIGNATURE),
                "x-forwarded-for", List.of("10.0.0.1", "10.0.0.2")), "{}".getBytes(StandardCharsets.UTF_8), NOW);

        assertEquals(Optional.of(SIGNATURE), raw.header("stripe-signature"));
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), raw.headerValues("X-Forwarded-For"));
        assertEquals(Optional.empty(), raw.header("Wechatpay-Signature"));
        // A header sent twice is ambiguous for a signature: refused rather than guessed.
        assertThrows(IllegalArgumentException.class, () -> raw.header("X-Forwarded-For"));
    }

    @Test
    void theBodyIsCopiedInAndOutAndNeverShown() {
        byte[] body = "{\"card\":\"6222021234567890128\"}".getBytes(StandardCharsets.UTF_8);
        RawCallback raw = new RawCallback("/webhooks/adyen", Map.of("Stripe-Signature", List.of(SIGNATURE)), body, NOW);
        body[0] = 'X';
        raw.body()[1] = 'Y';

        assertArrayEquals("{\"card\":\"6222021234567890128\"}".getBytes(StandardCharsets.UTF_8), raw.body());
        assertEquals(raw, new RawCallback("/webhooks/adyen", Map.of("stripe-signature", List.of(SIGNATURE)),
                raw.body(), NOW));
        assertFalse(raw.toString().contains("6222021234567890128"), raw.toString());
        assertFalse(raw.toString().contains("v1="), raw.toString());
        assertTrue(raw.toString().contains(body.length + " bytes"), raw.toString());
    }
}
