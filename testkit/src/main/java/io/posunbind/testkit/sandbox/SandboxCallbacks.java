package io.posunbind.testkit.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The sandbox acquirer's callback bodies, as a real acquirer documents its notification format:
 * <pre>{@code
 * {"caseId":"...","event":"DECISION","applicationReference":"SBX-APP-000001","outcome":"APPROVED",
 *  "reasonCode":"","message":"approved","decidedAt":"2026-11-27T02:00:00Z"}
 * {"caseId":"...","event":"OPERATION_DONE","providerReference":"SBX-ACC-000006"}
 * }</pre>
 * Builds them (for tests and the demo, signed afterwards with a {@code CallbackSigner}) and parses them.
 * The acquirer's own webhooks, which name only its references and carry its own signature, are verified
 * by {@link SandboxNotifications}. Thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxCallbacks implements CallbackParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxNotifications notifications;

    /** Verifies the acquirer's own webhooks with {@link SandboxNotifications#DEMO_SECRET}. */
    public SandboxCallbacks() {
        this(SandboxNotifications.withDemoSecret());
    }

    /** Verifies the acquirer's own webhooks with these secrets. */
    public SandboxCallbacks(SandboxNotifications notifications) {
        this.notifications = Objects.requireNonNull(notifications, "notifications");
    }

    /** The sandbox acquirer signs webhooks of its own ({@link SandboxNotifications}). */
    @Override
    public boolean verifiesNativeNotifications() {
        return true;
    }

    @Override
    public ProviderNotification verify(RawCallback request) {
        return notifications.verify(request);
    }

    /** The body of a decision notification. */
    public static String decisionBody(String caseId, InstitutionDecision decision) {
        ObjectNode body = JSON.createObjectNode();
        body.put("caseId", caseId).put("event", "DECISION")
                .put("applicationReference", decision.applicationReference())
                .put("outcome", decision.outcome().name()).put("reasonCode", decision.reasonCode())
                .put("message", decision.message()).put("decidedAt", decision.decidedAt().toString());
        return body.toString();
    }

    /** The body of a notification that a pending operation took effect. */
    public static String operationDoneBody(String caseId, String providerReference) {
        return JSON.createObjectNode().put("caseId", caseId).put("event", "OPERATION_DONE")
                .put("providerReference", providerReference).toString();
    }

    @Override
    public ProviderCallback parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            String caseId = text(node, "caseId");
            switch (text(node, "event")) {
                case "DECISION":
                    return new ProviderCallback.Decision(caseId, new InstitutionDecision(
                            InstitutionDecision.Outcome.valueOf(text(node, "outcome")),
                            text(node, "applicationReference"), text(node, "reasonCode"), text(node, "message"),
                            List.of(), Instant.parse(text(node, "decidedAt"))));
                case "OPERATION_DONE":
                    String reference = text(node, "providerReference");
                    return new ProviderCallback.OperationFinished(caseId, reference, OperationOutcome.done(reference));
                default:
                    throw invalid("unknown event");
            }
        } catch (JsonProcessingException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw invalid(e.getClass().getSimpleName());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid("field " + field + " missing or not text");
        }
        return value.asText();
    }

    private static ProviderException invalid(String why) {
        return new ProviderException(StandardErrorCode.INVALID_REQUEST, "SBX-CALLBACK-INVALID",
                "The sandbox callback body is invalid: " + why);
    }
}
