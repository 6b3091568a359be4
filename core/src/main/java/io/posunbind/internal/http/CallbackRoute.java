package io.posunbind.internal.http;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.Unbinder;
import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpCall;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.RawCallback;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /callbacks/{providerId}}: a provider's notification in its own format, handed to
 * {@link Unbinder#acceptNotification} exactly as received (the signature covers the body's bytes). The
 * status tells the provider whether to send it again: 2xx for accepted, already handled or about no case;
 * 503 for a refusal for now; 4xx for a refusal for good (see {@link HttpStatuses}). A provider id the
 * unbinder does not know is answered 404 like any unknown address, before anything is verified or audited,
 * so that scans of the endpoint do not fill the audit trail. Thread-safe as the unbinder is.
 */
final class CallbackRoute {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Unbinder unbinder;

    CallbackRoute(Unbinder unbinder) {
        this.unbinder = unbinder;
    }

    HttpAnswer handle(String providerId, HttpCall call, Locale locale, String instance) {
        if (!unbinder.providerIds().contains(providerId)) {
            return Problems.of(CoreErrorCode.HTTP_ROUTE_NOT_FOUND, locale, instance);
        }
        RawCallback raw = new RawCallback(instance, call.headers(), call.body(), unbinder.clock().instant());
        try {
            CaseSnapshot changed = unbinder.acceptNotification(providerId, raw);
            return acknowledgement("ACCEPTED", null, changed);
        } catch (PosUnbindException refused) {
            if (HttpStatuses.statusOf(refused.errorCode()) == HttpStatuses.OK) {
                return acknowledgement(refused.errorCode() == CoreErrorCode.CALLBACK_REPLAYED ? "ALREADY_HANDLED"
                        : "CONCERNS_NO_CASE", refused.errorCode().code(), null);
            }
            throw refused;
        }
    }

    /** The 200 a provider reads as "received, stop sending": no case data beyond the case's id. */
    private static HttpAnswer acknowledgement(String outcome, String code, CaseSnapshot changed) {
        ObjectNode body = JSON.createObjectNode();
        body.put("outcome", outcome);
        if (code != null) {
            body.put("code", code);
        }
        if (changed != null) {
            body.put("caseId", changed.id().value());
        }
        return new HttpAnswer(HttpStatuses.OK, CaseRoutes.JSON_TYPE, Problems.bytes(body), Map.of());
    }
}
