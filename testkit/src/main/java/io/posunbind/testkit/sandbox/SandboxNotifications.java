package io.posunbind.testkit.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.spi.API;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Arrays;

/**
 * The sandbox acquirer's own webhook format, modelled on Stripe's: the notification names the case only
 * by the acquirer's references, never by the engine's case id, and is signed in a header
 * <pre>
 * Sandbox-Signature: t=1764583200,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 * </pre>
 * where {@code v1} is the lower-case hex HMAC-SHA256, under the endpoint's webhook secret, of the bytes of
 * {@code t}, a dot, and the body exactly as sent. During a rotation the acquirer sends one {@code v1} per
 * secret; any match is enough. Bodies:
 * <pre>{@code
 * {"id":"evt_SBX_0001","account":"SBX-ACQUIRER","type":"application.decided","data":{
 *   "applicationReference":"SBX-APP-000001","outcome":"APPROVED","reasonCode":"","message":"approved",
 *   "decidedAt":"2026-12-01T02:00:00Z"}}
 * {"id":"evt_SBX_0002","account":"SBX-ACQUIRER","type":"operation.succeeded","data":{"reference":"SBX-ACC-000006"}}
 * }</pre>
 * The HMAC is BouncyCastle's, as in the engine's own callback signer. The parser checks the signature
 * only; the engine checks {@code t} against its window and {@code id} against its replay store.
 *
 * <p>Immutable and thread-safe; secrets are copied in and never shown.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxNotifications {

    /** The header carrying the signature. */
    public static final String SIGNATURE_HEADER = "Sandbox-Signature";

    /** The sandbox endpoint's webhook secret when none is configured: a test double's, known to all. */
    public static final String DEMO_SECRET = "whsec_sandbox_demo_0123456789abcdef";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern HEX_TAG = Pattern.compile("[0-9a-f]{64}");

    private final List<byte[]> secrets;

    /**
     * A verifier accepting notifications signed with any of these secrets (two during a rotation).
     *
     * @throws IllegalArgumentException when none is given or one is shorter than 16 bytes
     */
    public SandboxNotifications(List<byte[]> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("At least one webhook secret");
        }
        List<byte[]> copies = new ArrayList<>();
        for (byte[] secret : secrets) {
            if (Objects.requireNonNull(secret, "secret").length < 16) {
                throw new IllegalArgumentException("A webhook secret has at least 16 bytes");
            }
            copies.add(secret.clone());
        }
        this.secrets = List.copyOf(copies);
    }

    /** A verifier for the {@link #DEMO_SECRET}. */
    public static SandboxNotifications withDemoSecret() {
        return new SandboxNotifications(List.of(DEMO_SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    /** The body of a decision notification, naming the application reference only. */
    public static String decisionBody(String notificationId, InstitutionDecision decision) {
        ObjectNode data = JSON.createObjectNode()
                .put("applicationReference", decision.applicationReference())
                .put("outcome", decision.outcome().name()).put("reasonCode", decision.reasonCode())
                .put("message", decision.message()).put("decidedAt", decision.decidedAt().toString());
        return envelope(notificationId, "application.decided", data);
    }

    /** The body of a notification that a pending operation took effect, naming its reference only. */
    public static String operationSucceededBody(String notificationId, String reference) {
        return envelope(notificationId, "operation.succeeded", JSON.createObjectNode().put("reference", reference));
    }

    private static String envelope(String notificationId, String type, ObjectNode data) {
        ObjectNode body = JSON.createObjectNode().put("id", notificationId).put("account", "SBX-ACQUIRER")
                .put("type", type);
        body.set("data", data);
        return body.toString();
    }

    /** The {@value #SIGNATURE_HEADER} header's value for a body sent at {@code sentAt}. */
    public static String signatureHeader(byte[] secret, Instant sentAt, byte[] body) {
        return "t=" + sentAt.getEpochSecond() + ",v1=" + HexFormat.of().formatHex(tag(secret,
                Long.toString(sentAt.getEpochSecond()), body));
    }

    /** A request as the sandbox acquirer posts it: the body signed at {@code sentAt}, received at {@code sentAt}. */
    public static RawCallback signedRequest(byte[] secret, Instant sentAt, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new RawCallback("/webhooks/sandbox", Map.of("Content-Type", List.of("application/json"),
                SIGNATURE_HEADER, List.of(signatureHeader(secret, sentAt, bytes))), bytes, sentAt);
    }

    /**
     * Verifies the signature and reads the notification.
     *
     * @throws ProviderException {@link NotificationErrorCode#MALFORMED} for a missing or ill-formed header or
     *         body, {@link NotificationErrorCode#SIGNATURE_INVALID} when no {@code v1} matches
     */
    public ProviderNotification verify(RawCallback request) {
        String header;
        try {
            header = request.header(SIGNATURE_HEADER).orElseThrow(() -> malformed("no " + SIGNATURE_HEADER + " header"));
        } catch (IllegalArgumentException e) {
            throw malformed(SIGNATURE_HEADER + " came more than once");
        }
        String timestamp = null;
        List<byte[]> tags = new ArrayList<>();
        for (String part : header.split(",", 16)) {
            int equals = part.indexOf('=');
            String name = equals < 0 ? part.strip() : part.substring(0, equals).strip();
            String value = equals < 0 ? "" : part.substring(equals + 1).strip();
            if (name.equals("t")) {
                if (timestamp != null || !TIMESTAMP.matcher(value).matches()) {
                    throw malformed("t is missing, repeated or not epoch seconds");
                }
                timestamp = value;
            } else if (name.equals("v1") && HEX_TAG.matcher(value).matches()) {
                tags.add(HexFormat.of().parseHex(value));
            }
            // Other schemes (v0, a future v2) are ignored, as Stripe's are.
        }
        if (timestamp == null || tags.isEmpty()) {
            throw malformed("the header has no t or no v1 of 64 lower-case hex digits");
        }
        byte[] body = request.body();
        boolean matched = false;
        for (byte[] secret : secrets) {
            byte[] expected = tag(secret, timestamp, body);
            for (byte[] candidate : tags) {
                // Constant time, and every pair compared, so timing says nothing about the tag.
                matched |= Arrays.constantTimeAreEqual(expected, candidate);
            }
        }
        if (!matched) {
            throw new ProviderException(NotificationErrorCode.SIGNATURE_INVALID, "SBX-SIGNATURE",
                    "No v1 signature of the sandbox notification matches a configured webhook secret");
        }
        return read(Instant.ofEpochSecond(Long.parseLong(timestamp)), request.bodyText());
    }

    private static ProviderNotification read(Instant sentAt, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode data = node == null ? null : node.get("data");
            ProviderCallback content = switch (text(node, "type")) {
                case "application.decided" -> ProviderCallback.Decision.byApplicationReference(new InstitutionDecision(
                        InstitutionDecision.Outcome.valueOf(text(data, "outcome")), text(data, "applicationReference"),
                        text(data, "reasonCode"), text(data, "message"), List.of(),
                        Instant.parse(text(data, "decidedAt"))));
                case "operation.succeeded" -> {
                    String reference = text(data, "reference");
                    yield ProviderCallback.OperationFinished.byReference(reference, OperationOutcome.done(reference));
                }
                default -> throw malformed("unknown type");
            };
            return new ProviderNotification(text(node, "account"), text(node, "id"), sentAt, content);
        } catch (JsonProcessingException | DateTimeException | IllegalArgumentException e) {
            throw malformed("the body cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] tag(byte[] secret, String timestamp, byte[] body) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(secret));
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        mac.update(prefix, 0, prefix.length);
        mac.update(body, 0, body.length);
        byte[] tag = new byte[mac.getMacSize()];
        mac.doFinal(tag, 0);
        return tag;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed("field " + field + " missing or not text");
        }
        return value.asText();
    }

    private static ProviderException malformed(String why) {
        return new ProviderException(NotificationErrorCode.MALFORMED, "SBX-NOTIFICATION-INVALID",
                "The sandbox notification is malformed: " + why);
    }

    /** How many secrets, never which. */
    @Override
    public String toString() {
        return "SandboxNotifications[" + secrets.size() + " secret(s)]";
    }
}
