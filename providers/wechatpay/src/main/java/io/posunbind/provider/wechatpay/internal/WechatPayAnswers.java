package io.posunbind.provider.wechatpay.internal;

import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.provider.wechatpay.WechatPayErrorCode;
import java.time.Duration;
import java.util.Set;

/**
 * WeChat Pay's error answers ({@code {"code": "...", "message": "...", "detail": {...}}} with a
 * {@code Request-ID} header) as SPI outcomes for the change, and as {@link ProviderException}s for reads.
 * The table is in the module's README.
 */
final class WechatPayAnswers {

    /** WeChat Pay sends no Retry-After; its documented limit for the change is 20 calls a minute. */
    static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofMinutes(1);

    private static final Set<String> NOT_FOUND = Set.of("RESOURCE_NOT_EXISTS", "NOT_FOUND", "APPLYMENT_NOTEXIST",
            "ORDER_NOT_EXIST");
    private static final Set<String> NOT_AUTHORIZED = Set.of("SIGN_ERROR", "NO_AUTH", "NOT_ENOUGH_AUTH",
            "USERPAYING_AUTH");

    private WechatPayAnswers() {
    }

    /**
     * The outcome of the change ({@code modify-settlement}). WeChat Pay has no idempotency key, so every answer
     * that leaves open whether an application was created (a 5xx, a lost or untrusted answer) is
     * {@link OperationOutcome.Unknown}: the engine looks up before it sends again.
     */
    static OperationOutcome ofChange(CallFailure failure) {
        return switch (failure.kind()) {
            case NOT_CONNECTED -> OperationOutcome.retryable(failure.providerCode(), failure.describe());
            case ANSWER_LOST, ANSWER_NOT_TRUSTED -> OperationOutcome.unknown(failure.describe());
            case HTTP_ERROR -> ofHttpError(failure);
        };
    }

    private static OperationOutcome ofHttpError(CallFailure failure) {
        int status = failure.status();
        if (status == 429 || "FREQUENCY_LIMITED".equals(failure.providerCode())) {
            return OperationOutcome.rateLimited(failure.providerCode(), failure.describe(),
                    failure.retryAfter().orElse(DEFAULT_RATE_LIMIT_WAIT));
        }
        if (status >= 500) {
            // "5xx: retry later with the same parameters", WeChat Pay says; without a key a retry could file a
            // second application, so the engine looks up first.
            return OperationOutcome.unknown(failure.describe());
        }
        OperationOutcome.Rejected rejected = OperationOutcome.rejected(codeOf(failure), failure.providerCode(),
                failure.describe());
        return failure.requestId().map(rejected::withRequestId).orElse(rejected);
    }

    /** A read's failure as the exception the SPI's read operations throw. */
    static ProviderException ofRead(CallFailure failure, String what) {
        ErrorCode code = switch (failure.kind()) {
            case NOT_CONNECTED, ANSWER_LOST -> StandardErrorCode.PROVIDER_UNAVAILABLE;
            case ANSWER_NOT_TRUSTED -> WechatPayErrorCode.ANSWER_NOT_TRUSTED;
            case HTTP_ERROR -> failure.status() == 429 || failure.status() >= 500
                    ? StandardErrorCode.PROVIDER_UNAVAILABLE : codeOf(failure);
        };
        return new ProviderException(code, failure.providerCode(), what + ": " + failure.describe(),
                failure.requestId().orElse(null), null);
    }

    private static ErrorCode codeOf(CallFailure failure) {
        String code = failure.providerCode();
        int status = failure.status();
        if (status == 401 || status == 403 || NOT_AUTHORIZED.contains(code)) {
            return StandardErrorCode.NOT_AUTHORIZED;
        }
        if (status == 404 || NOT_FOUND.contains(code)) {
            return StandardErrorCode.MERCHANT_NOT_FOUND;
        }
        if (status == 409) {
            return StandardErrorCode.OPERATION_IN_PROGRESS;
        }
        if (status == 400 || status == 422) {
            return StandardErrorCode.INVALID_REQUEST;
        }
        return StandardErrorCode.UNMAPPED_PROVIDER_ERROR;
    }
}
