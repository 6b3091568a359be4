package io.posunbind.provider.wechatpay.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.core.util.GsonUtil;
import io.posunbind.provider.wechatpay.WechatPayErrorCode;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * WeChat Pay's APIv3 notifications, verified and decrypted by the library's {@link NotificationParser}: the
 * {@code Wechatpay-Signature} (SHA256withRSA over {@code timestamp\nnonce\nbody\n}) with the WeChat Pay public
 * key named by {@code Wechatpay-Serial}, then the {@code resource} decrypted with the APIv3 key
 * (AEAD_AES_256_GCM).
 *
 * <p>WeChat Pay publishes no notification for settlement-account applications (checked in its partner
 * documentation; the change is polled). A verified notification whose decrypted resource names a
 * settlement-account application ({@code application_no} with a final {@code verify_result}) finishes the
 * pending change by that reference; any other verified event is refused as not one of ours. Only RSA
 * ({@code WECHATPAY2-SHA256-RSA2048}) is verified: wechatpay-java 0.2.17 offers no SM2 verifier.
 *
 * <p>Thread-safe: the library's parser keeps no state per call.
 */
final class WechatPayNotifications implements CallbackParser {

    private static final String RSA_SIGN_TYPE = "WECHATPAY2-SHA256-RSA2048";

    private final NotificationParser parser;
    private final String publicKeyId;
    private final Gson gson = GsonUtil.getGson();

    WechatPayNotifications(RSAPublicKeyConfig config, String publicKeyId) {
        this.parser = new NotificationParser(config);
        this.publicKeyId = Objects.requireNonNull(publicKeyId, "publicKeyId");
    }

    @Override
    public boolean verifiesNativeNotifications() {
        return true;
    }

    @Override
    public ProviderNotification verify(RawCallback request) {
        String signature = required(request, "Wechatpay-Signature");
        String timestamp = required(request, "Wechatpay-Timestamp");
        String nonce = required(request, "Wechatpay-Nonce");
        String serial = required(request, "Wechatpay-Serial");
        String signType = header(request, "Wechatpay-Signature-Type").orElse(RSA_SIGN_TYPE);
        if (!RSA_SIGN_TYPE.equals(signType)) {
            throw refused(NotificationErrorCode.UNKNOWN_KEY, "UNSUPPORTED_SIGN_TYPE",
                    "Only WECHATPAY2-SHA256-RSA2048 notifications are verified (wechatpay-java 0.2.17 has no SM2)");
        }
        if (!publicKeyId.equals(serial)) {
            throw refused(NotificationErrorCode.UNKNOWN_KEY, "UNKNOWN_SERIAL",
                    "The notification names a WeChat Pay key other than the configured public key id");
        }
        Instant sentAt;
        try {
            sentAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        } catch (NumberFormatException e) {
            throw refused(NotificationErrorCode.MALFORMED, "BAD_TIMESTAMP", "Wechatpay-Timestamp is not epoch seconds");
        }
        String body = request.bodyText();
        JsonObject resource;
        try {
            resource = parser.parse(new RequestParam.Builder().serialNumber(serial).nonce(nonce).signature(signature)
                    .timestamp(timestamp).signType(signType).body(body).build(), JsonObject.class);
        } catch (ValidationException e) {
            // Its message quotes the signature and the signed message: never passed on.
            throw refused(NotificationErrorCode.SIGNATURE_INVALID, "SIGNATURE_INVALID",
                    "The notification's Wechatpay-Signature does not verify with the WeChat Pay public key");
        } catch (RuntimeException e) {
            throw refused(NotificationErrorCode.MALFORMED, "UNREADABLE",
                    "The notification verified but its resource could not be decrypted or read ("
                            + e.getClass().getSimpleName() + ")");
        }
        // The signature covers the body, so its envelope may be read now.
        JsonObject envelope = gson.fromJson(body, JsonObject.class);
        String id = text(envelope, "id").filter(value -> value.matches("[!-~]{1,128}")).orElse(nonce);
        return new ProviderNotification("wechatpay:" + serial, id, sentAt, contentOf(resource, envelope));
    }

    private static ProviderCallback contentOf(JsonObject resource, JsonObject envelope) {
        Optional<String> applicationNo = resource == null ? Optional.empty() : text(resource, "application_no");
        Optional<String> result = resource == null ? Optional.empty() : text(resource, "verify_result");
        if (applicationNo.isEmpty() || result.isEmpty()) {
            throw refused(NotificationErrorCode.MALFORMED, "NOT_A_SETTLEMENT_EVENT",
                    "Verified WeChat Pay event " + text(envelope, "event_type").orElse("(no event_type)")
                            + " is not about a settlement-account application; route it elsewhere");
        }
        String reference = applicationNo.get();
        OperationOutcome outcome = switch (result.get()) {
            case "AUDIT_SUCCESS" -> OperationOutcome.done(reference);
            case "AUDIT_FAIL" -> OperationOutcome.rejected(WechatPayErrorCode.SETTLEMENT_CHANGE_REFUSED, "AUDIT_FAIL",
                    "WeChat Pay refused settlement-account application " + reference + ": "
                            + Scrub.numbers(text(resource, "verify_fail_reason").orElse("no reason given")));
            default -> throw refused(NotificationErrorCode.MALFORMED, "NOT_FINAL",
                    "The notification carries no final review result for application " + reference);
        };
        return ProviderCallback.OperationFinished.byReference(reference, outcome);
    }

    private static String required(RawCallback request, String name) {
        return header(request, name).filter(value -> !value.isBlank()).orElseThrow(() ->
                refused(NotificationErrorCode.MALFORMED, "MISSING_HEADER", "The notification has no single " + name));
    }

    private static Optional<String> header(RawCallback request, String name) {
        try {
            return request.header(name);
        } catch (IllegalArgumentException e) {
            throw refused(NotificationErrorCode.MALFORMED, "REPEATED_HEADER", name + " came more than once");
        }
    }

    private static Optional<String> text(JsonObject object, String name) {
        JsonElement element = object == null ? null : object.get(name);
        return element == null || !element.isJsonPrimitive() ? Optional.empty()
                : Optional.of(element.getAsString()).filter(value -> !value.isBlank());
    }

    private static ProviderException refused(NotificationErrorCode code, String providerCode, String message) {
        return new ProviderException(code, providerCode, message);
    }
}
