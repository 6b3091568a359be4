package io.posunbind.provider.adyen.internal;

import com.adyen.model.managementwebhooks.TerminalAssignmentNotificationRequest;
import com.adyen.util.HMACValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.Secret;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adyen's management webhooks, verified with the library's own {@link HMACValidator}: the
 * {@code HmacSignature} header carries the Base64 HMAC-SHA256 of the raw body under the endpoint's
 * hexadecimal HMAC key. Every configured key is tried (the current one, then the previous one during a
 * rotation); the sender recorded for the audit is the key that matched.
 *
 * <p>Reads the {@code terminalAssignment.completed} webhook ({@link TerminalAssignmentNotificationRequest}):
 * it names the terminal ({@code uniqueTerminalId}), which is the reference the device adapter answered
 * {@link OperationOutcome.Pending} with, so the engine finds the case waiting for that terminal. The
 * notification's id is {@code terminalAssignment.completed:<pspReference>}, its time its {@code eventDate}.
 * A terminal assigned to a store instead of an inventory finishes the reassignment as refused: someone moved
 * it elsewhere. Thread-safe.
 */
final class AdyenWebhookParser implements CallbackParser {

    static final String SIGNATURE_HEADER = "HmacSignature";
    static final String ASSIGNMENT_COMPLETED = "terminalAssignment.completed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Secret> hmacKeys;

    AdyenWebhookParser(List<Secret> hmacKeys) {
        this.hmacKeys = List.copyOf(hmacKeys);
    }

    @Override
    public boolean verifiesNativeNotifications() {
        return true;
    }

    @Override
    public ProviderNotification verify(RawCallback request) {
        if (hmacKeys.isEmpty()) {
            throw refused(NotificationErrorCode.UNKNOWN_KEY, "NO-HMAC-KEY",
                    "no webhook HMAC key is configured (setting webhook-hmac-key)");
        }
        String signature;
        try {
            signature = request.header(SIGNATURE_HEADER).filter(value -> !value.isBlank()).orElseThrow(() ->
                    refused(NotificationErrorCode.MALFORMED, "NO-SIGNATURE", "it has no " + SIGNATURE_HEADER
                            + " header"));
        } catch (IllegalArgumentException twice) {
            throw refused(NotificationErrorCode.MALFORMED, "SIGNATURE-REPEATED", "its " + SIGNATURE_HEADER
                    + " header came more than once");
        }
        String body = request.bodyText();
        int signer = signerOf(signature.trim(), body);
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            throw refused(NotificationErrorCode.MALFORMED, "NOT-JSON", "its body is not JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw refused(NotificationErrorCode.MALFORMED, "NOT-JSON", "its body is not a JSON object");
        }
        if (tree.hasNonNull("type")) {
            // Boarding, settings, merchant and payment-method webhooks carry a type; none finishes a
            // reassignment. Genuine, so acknowledged: Adyen resends anything not answered 2xx.
            String type = printable(tree.get("type").asText());
            return new ProviderNotification("hmac-key-" + (signer + 1), "event:" + sha256Hex(body),
                    createdAt(tree, request.receivedAt()),
                    new ProviderCallback.ConcernsNoCase(type.isEmpty() ? "untyped" : type));
        }
        return assignmentCompleted(body, signer);
    }

    private ProviderNotification assignmentCompleted(String body, int signer) {
        TerminalAssignmentNotificationRequest event;
        try {
            event = TerminalAssignmentNotificationRequest.fromJson(body);
        } catch (IOException | RuntimeException e) {
            throw refused(NotificationErrorCode.MALFORMED, "UNREADABLE", "it is not a terminal assignment webhook");
        }
        String terminalId = required(event.getUniqueTerminalId(), "uniqueTerminalId");
        String pspReference = required(event.getPspReference(), "pspReference");
        Instant sentAt;
        try {
            sentAt = OffsetDateTime.parse(required(event.getEventDate(), "eventDate")).toInstant();
        } catch (DateTimeParseException e) {
            throw refused(NotificationErrorCode.MALFORMED, "BAD-EVENT-DATE", "its eventDate is not a date and time");
        }
        String notificationId = ASSIGNMENT_COMPLETED + ":" + pspReference;
        if (notificationId.length() > 128 || !notificationId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw refused(NotificationErrorCode.MALFORMED, "BAD-PSP-REFERENCE", "its pspReference is not an id");
        }
        boolean toStore = present(event.getAssignedToStore()) || present(event.getAssignedToStoreId());
        OperationOutcome outcome = toStore
                ? OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "ASSIGNED-TO-STORE",
                        "Adyen assigned terminal " + terminalId + " to a store, not to an inventory")
                : new OperationOutcome.Done(terminalId, Map.of("pspReference", pspReference,
                        "assignedToAccount", Optional.ofNullable(event.getAssignedToAccount()).orElse("")));
        return new ProviderNotification("hmac-key-" + (signer + 1), notificationId, sentAt,
                ProviderCallback.OperationFinished.byReference(terminalId, outcome));
    }

    /** The index of the key whose HMAC matches, compared by the library in constant time. */
    private int signerOf(String signature, String body) {
        HMACValidator validator = new HMACValidator();
        for (int i = 0; i < hmacKeys.size(); i++) {
            try {
                if (validator.validateHMAC(signature, hmacKeys.get(i).reveal(), body)) {
                    return i;
                }
            } catch (SignatureException | IllegalArgumentException e) {
                // The library's message may quote the key: never passed on.
                throw refused(NotificationErrorCode.MALFORMED, "HMAC-FAILED", "its signature could not be computed");
            }
        }
        throw refused(NotificationErrorCode.SIGNATURE_INVALID, "HMAC-MISMATCH",
                "its HMAC signature matches none of the configured keys");
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw refused(NotificationErrorCode.MALFORMED, "MISSING-FIELD", "it has no " + field);
        }
        return value;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** These webhooks carry no id: the digest of the signed body is one, so a resend is a replay. */
    private static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** When Adyen created the event, or when it was received if it says not (Adyen signs no time). */
    private static Instant createdAt(JsonNode tree, Instant receivedAt) {
        try {
            return tree.hasNonNull("createdAt") ? OffsetDateTime.parse(tree.get("createdAt").asText()).toInstant()
                    : receivedAt;
        } catch (DateTimeParseException e) {
            return receivedAt;
        }
    }

    private static String printable(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) : text;
        return shown.replaceAll("[^A-Za-z0-9._-]", "?");
    }

    private static ProviderException refused(ErrorCode code, String providerCode, String why) {
        return new ProviderException(code, providerCode, "An Adyen webhook was refused: " + why);
    }

    @Override
    public String toString() {
        return "AdyenWebhookParser[" + hmacKeys.size() + " HMAC keys]";
    }
}
