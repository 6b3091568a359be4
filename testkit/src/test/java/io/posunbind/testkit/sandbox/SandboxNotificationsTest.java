package io.posunbind.testkit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxNotificationsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    private static final byte[] OLD_SECRET = "whsec_old_sandbox_secret_0123456".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW_SECRET = "whsec_new_sandbox_secret_6543210".getBytes(StandardCharsets.UTF_8);
    private static final String BODY = SandboxNotifications.decisionBody("evt_SBX_0001",
            InstitutionDecision.approved("SBX-APP-000001", NOW));

    @Test
    void aNotificationSignedWithEitherSecretOfARotationVerifiesAndNamesOnlyTheApplicationReference() {
        SandboxNotifications rotating = new SandboxNotifications(List.of(OLD_SECRET, NEW_SECRET));
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String header = SandboxNotifications.signatureHeader(NEW_SECRET, NOW, body) + ",v1="
                + SandboxNotifications.signatureHeader(OLD_SECRET, NOW, body).split("v1=")[1] + ",v0=legacy";

        ProviderNotification notification = rotating.verify(new RawCallback("/webhooks/sandbox",
                Map.of("sandbox-signature", List.of(header)), body, NOW));

        assertEquals("evt_SBX_0001", notification.notificationId());
        assertEquals(NOW, notification.sentAt());
        ProviderCallback.Decision decision = (ProviderCallback.Decision) notification.content();
        assertEquals(Optional.empty(), decision.caseId());
        assertEquals("SBX-APP-000001", decision.decision().applicationReference());
    }

    @Test
    void aMissingRepeatedOrIllFormedSignatureHeaderIsMalformedAndAnotherSecretsSignatureIsForged() {
        SandboxNotifications sandbox = new SandboxNotifications(List.of(NEW_SECRET));
        RawCallback signed = SandboxNotifications.signedRequest(NEW_SECRET, NOW, BODY);
        String header = signed.header(SandboxNotifications.SIGNATURE_HEADER).orElseThrow();

        assertEquals(NotificationErrorCode.MALFORMED, code(sandbox, Map.of()));
        assertEquals(NotificationErrorCode.MALFORMED, code(sandbox, Map.of("Sandbox-Signature", List.of(header, header))));
        assertEquals(NotificationErrorCode.MALFORMED, code(sandbox, Map.of("Sandbox-Signature",
                List.of("t=soon,v1=" + header.split("v1=")[1]))));
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, code(sandbox, Map.of("Sandbox-Signature",
                List.of(SandboxNotifications.signatureHeader(OLD_SECRET, NOW, BODY.getBytes(StandardCharsets.UTF_8))))));
        // The timestamp is signed: moving it breaks the signature.
        assertEquals(NotificationErrorCode.SIGNATURE_INVALID, code(sandbox, Map.of("Sandbox-Signature",
                List.of(header.replace("t=" + NOW.getEpochSecond(), "t=" + (NOW.getEpochSecond() + 60))))));
    }

    private static NotificationErrorCode code(SandboxNotifications sandbox, Map<String, List<String>> headers) {
        return (NotificationErrorCode) assertThrows(ProviderException.class, () -> sandbox.verify(new RawCallback(
                "/webhooks/sandbox", headers, BODY.getBytes(StandardCharsets.UTF_8), NOW))).errorCode();
    }
}
