package io.posunbind.provider.adyen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.adyen.util.HMACValidator;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Adyen's {@code terminalAssignment.completed} webhook, signed as Adyen signs management webhooks (HMAC-SHA256 of
 * the raw body under the endpoint's hexadecimal key, Base64 in the {@code HmacSignature} header; computed here with
 * the library's {@link HMACValidator}), verified by the adapter and read as the end of the reassignment of the
 * terminal it names.
 */
class AdyenWebhooksTest {

    static final String COMPLETED = "{\"assignedToAccount\":\"AdyenShopCN\",\"eventDate\":\"2026-12-01T09:15:00+01:00\","
            + "\"pspReference\":\"SVQ2S2M4VZ8G2G82\",\"uniqueTerminalId\":\"V400m-324689001\"}";

    private final AdyenManagementStub stub = new AdyenManagementStub();
    private final CallbackParser parser = AdyenTesting.provider(stub).callbackParser().orElseThrow();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    static RawCallback signed(String body, String hexKey) {
        try {
            return new RawCallback("/webhooks/adyen", Map.of("Content-Type", List.of("application/json"),
                    "HmacSignature", List.of(new HMACValidator().calculateHMAC(body, hexKey)), "Protocol",
                    List.of("HmacSHA256")), body.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-01T08:15:01Z"));
        } catch (SignatureException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSignedAssignmentCompletedFinishesTheReassignmentOfTheTerminalItNames() {
        ProviderNotification notification = parser.verify(signed(COMPLETED, AdyenTesting.HMAC_KEY));

        assertEquals("terminalAssignment.completed:SVQ2S2M4VZ8G2G82", notification.notificationId());
        assertEquals(Instant.parse("2026-12-01T08:15:00Z"), notification.sentAt());
        assertEquals("hmac-key-1", notification.sender());
        ProviderCallback.OperationFinished finished = assertInstanceOf(ProviderCallback.OperationFinished.class,
                notification.content());
        assertEquals(Optional.empty(), finished.caseId(), "Adyen's webhook knows the terminal, not our case");
        assertEquals("V400m-324689001", finished.providerReference());
        assertEquals(new OperationOutcome.Done("V400m-324689001", Map.of("pspReference", "SVQ2S2M4VZ8G2G82",
                "assignedToAccount", "AdyenShopCN")), finished.outcome());
    }

    @Test
    void duringAKeyRotationTheWebhookSignedWithThePreviousKeyStillVerifies() {
        assertEquals("hmac-key-2", parser.verify(signed(COMPLETED, AdyenTesting.PREVIOUS_HMAC_KEY)).sender());
    }

    @Test
    void aWebhookSignedWithAnotherKeyOrAlteredIsForgedAndTheRefusalShowsNoKey() {
        String otherKey = "AA".repeat(32);
        ProviderException forged = assertThrows(ProviderException.class, () -> parser.verify(signed(COMPLETED, otherKey)));
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, forged.errorCode());

        RawCallback genuine = signed(COMPLETED, AdyenTesting.HMAC_KEY);
        RawCallback altered = new RawCallback(genuine.path(), genuine.headers(),
                COMPLETED.replace("V400m-324689001", "V400m-324689002").getBytes(StandardCharsets.UTF_8),
                genuine.receivedAt());
        ProviderException refused = assertThrows(ProviderException.class, () -> parser.verify(altered));
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, refused.errorCode());
        assertFalse(refused.getMessage().contains(AdyenTesting.HMAC_KEY) || refused.getMessage().contains(otherKey));
    }

    @Test
    void aWebhookWithoutSignatureIsMalformed() {
        RawCallback unsigned = new RawCallback("/webhooks/adyen", Map.of(), COMPLETED.getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-12-01T08:15:01Z"));
        assertEquals(NotificationErrorCode.MALFORMED,
                assertThrows(ProviderException.class, () -> parser.verify(unsigned)).errorCode());
    }

    @Test
    void anotherGenuineManagementWebhookIsAcknowledgedAsConcerningNoCaseSoAdyenStopsResendingIt() {
        String boarding = "{\"createdAt\":\"2026-12-01T09:15:00+01:00\",\"data\":{\"companyId\":\"PosUnbindCompany\","
                + "\"uniqueTerminalId\":\"V400m-324689001\"},\"environment\":\"test\",\"type\":\"terminalBoarding.triggered\"}";
        ProviderNotification first = parser.verify(signed(boarding, AdyenTesting.HMAC_KEY));
        ProviderNotification resent = parser.verify(signed(boarding, AdyenTesting.HMAC_KEY));

        assertEquals(new ProviderCallback.ConcernsNoCase("terminalBoarding.triggered"), first.content());
        assertEquals(Instant.parse("2026-12-01T08:15:00Z"), first.sentAt(), "its createdAt");
        assertEquals(first.notificationId(), resent.notificationId(), "a resend is a replay at the engine");
    }

    @Test
    void aForgedManagementWebhookOfAnotherTypeIsStillRefused() {
        String boarding = "{\"createdAt\":\"2026-12-01T09:15:00+01:00\",\"type\":\"terminalBoarding.triggered\"}";
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, assertThrows(ProviderException.class,
                () -> parser.verify(signed(boarding, "0".repeat(64)))).errorCode());
    }

    @Test
    void aTerminalAssignedToAStoreInsteadOfAnInventoryFinishesTheReassignmentAsRefused() {
        String toStore = COMPLETED.replace("\"eventDate\"", "\"assignedToStoreId\":\"ST3224Z223225T5JQTRDD7CRZ\","
                + "\"eventDate\"");
        ProviderCallback.OperationFinished finished = (ProviderCallback.OperationFinished) parser
                .verify(signed(toStore, AdyenTesting.HMAC_KEY)).content();
        OperationOutcome.Rejected rejected = assertInstanceOf(OperationOutcome.Rejected.class, finished.outcome());
        assertEquals(StandardErrorCode.TERMINAL_STATE_CONFLICT, rejected.code());
    }

    @Test
    void withoutAConfiguredKeyNoWebhookIsTrusted() {
        var settings = AdyenTesting.settings(stub);
        settings.remove("webhook-hmac-key");
        settings.remove("webhook-hmac-key-previous");
        CallbackParser keyless = AdyenTesting.provider(settings).callbackParser().orElseThrow();
        assertEquals(NotificationErrorCode.UNKNOWN_KEY, assertThrows(ProviderException.class,
                () -> keyless.verify(signed(COMPLETED, AdyenTesting.HMAC_KEY))).errorCode());
    }
}
