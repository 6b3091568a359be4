package io.posunbind.provider.adyen.internal;

import com.adyen.model.ApiError;
import com.adyen.model.management.RestServiceError;
import com.adyen.service.exception.ApiException;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An error answer of the Management API, read from the library's {@link ApiException}, and what it means
 * for the engine. The Management API answers in RFC 7807 form ({@code type}, {@code title}, {@code status},
 * {@code detail}, {@code errorCode} such as {@code 00_422}, {@code requestId}); Adyen's other APIs answer
 * {@code status}, {@code errorCode}, {@code message}, {@code errorType}, {@code pspReference}. Both are read:
 * the message from {@code detail} or {@code message}, the request id from {@code requestId} or
 * {@code pspReference}. Immutable.
 *
 * @param status       the HTTP status
 * @param providerCode Adyen's {@code errorCode}, or {@code HTTP-<status>} when the body had none
 * @param message      Adyen's explanation, or a generic one
 * @param requestId    Adyen's id of the request ({@code requestId} or {@code pspReference})
 * @param retryAfter   the {@code Retry-After} header in seconds, when given
 * @param errorType    Adyen's {@code errorType} ({@code validation}, {@code security}, {@code configuration},
 *                     {@code internal}) in the classic shape, shown to operators beside the message
 */
record AdyenError(int status, String providerCode, String message, Optional<String> requestId,
        Optional<Duration> retryAfter, Optional<String> errorType) {

    private static final int LONGEST_MESSAGE = 300;

    static AdyenError of(ApiException e) {
        String body = e.getResponseBody();
        String code = null;
        String message = null;
        String requestId = null;
        String errorType = null;
        ApiError classic = e.getError();
        if (classic != null) {
            code = classic.getErrorCode();
            message = classic.getMessage();
            requestId = classic.getPspReference();
            errorType = classic.getErrorType();
        }
        if (body != null && !body.isBlank()) {
            try {
                RestServiceError problem = RestServiceError.fromJson(body);
                code = code != null ? code : problem.getErrorCode();
                message = message != null ? message : problem.getDetail() != null ? problem.getDetail() : problem.getTitle();
                requestId = requestId != null ? requestId : problem.getRequestId();
            } catch (IOException | RuntimeException notJson) {
                // A proxy's HTML page or an empty 503: the status alone says what happened.
            }
        }
        int status = e.getStatusCode();
        return new AdyenError(status, blank(code) ? "HTTP-" + status : code,
                blank(message) ? "Adyen answered HTTP " + status : shortened(message),
                Optional.ofNullable(requestId).filter(id -> !id.isBlank()), retryAfter(e.getResponseHeaders()),
                // The library reads RFC 7807's type (a documentation URL) into errorType too: that is no error type.
                Optional.ofNullable(errorType).filter(type -> !type.isBlank() && !type.startsWith("http")));
    }

    /** Our stable code for this answer. */
    ErrorCode code() {
        return switch (status) {
            case 400 -> StandardErrorCode.INVALID_REQUEST;
            case 401, 403 -> StandardErrorCode.NOT_AUTHORIZED;
            case 404 -> StandardErrorCode.TERMINAL_NOT_FOUND;
            // A request under the same key still running, or another change of the same terminal.
            case 409 -> StandardErrorCode.OPERATION_IN_PROGRESS;
            case 422 -> StandardErrorCode.TERMINAL_STATE_CONFLICT;
            case 429 -> StandardErrorCode.RATE_LIMITED;
            default -> status >= 500 ? StandardErrorCode.PROVIDER_UNAVAILABLE
                    : status >= 400 ? StandardErrorCode.INVALID_REQUEST : StandardErrorCode.UNMAPPED_PROVIDER_ERROR;
        };
    }

    /** The outcome of a mutating call answered with this error. */
    OperationOutcome outcome() {
        String text = "Adyen refused the request" + errorType.map(type -> " (" + type + ")").orElse("") + ": " + message;
        if (status == 429) {
            return new OperationOutcome.RetryableFailure(StandardErrorCode.RATE_LIMITED, providerCode, text, retryAfter,
                    requestId);
        }
        if (status == 502 || status == 503 || status == 504) {
            // A gateway or an overloaded front answered: the request did not reach the service.
            return new OperationOutcome.RetryableFailure(StandardErrorCode.PROVIDER_UNAVAILABLE, providerCode, text,
                    retryAfter, requestId);
        }
        if (status >= 500) {
            // The service failed while it worked on the request: it may have acted, so the engine looks it up.
            return OperationOutcome.unknown("Adyen answered HTTP " + status + " (" + providerCode + ")"
                    + requestId.map(id -> ", request " + id).orElse(""));
        }
        OperationOutcome.Rejected rejected = OperationOutcome.rejected(code(), providerCode, text);
        return requestId.map(rejected::withRequestId).orElse(rejected);
    }

    /** The exception a read answered with this error throws. */
    ProviderException exception(String what) {
        return new ProviderException(code(), providerCode, what + ": Adyen answered HTTP " + status + ", " + message,
                requestId.orElse(null), null);
    }

    /** The exception a read throws when Adyen could not be reached or did not answer in time. */
    static ProviderException unreachable(String what, IOException e) {
        return new ProviderException(StandardErrorCode.PROVIDER_UNAVAILABLE, networkCode(e),
                what + ": Adyen did not answer (" + e.getClass().getSimpleName() + ")", null, null);
    }

    /**
     * The outcome of a mutating call whose answer never came: unknown, as the request may have arrived,
     * except when no connection was made at all.
     */
    static OperationOutcome unanswered(IOException e, Duration readTimeout) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return OperationOutcome.retryable(networkCode(e), "Adyen could not be reached: no connection was made");
        }
        if (e instanceof HttpTimeoutException) {
            return OperationOutcome.unknown("Adyen did not answer within " + readTimeout.toMillis() + " ms");
        }
        return OperationOutcome.unknown("the connection to Adyen broke before its answer ("
                + e.getClass().getSimpleName() + ")");
    }

    private static String networkCode(IOException e) {
        return e instanceof HttpTimeoutException ? "TIMEOUT" : e instanceof ConnectException ? "NO-CONNECTION"
                : "CONNECTION-LOST";
    }

    private static Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
                try {
                    long seconds = Long.parseLong(header.getValue().get(0).trim());
                    return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
                } catch (NumberFormatException httpDate) {
                    // An HTTP date needs a clock the adapter does not have: the engine's back-off decides.
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String shortened(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= LONGEST_MESSAGE ? oneLine : oneLine.substring(0, LONGEST_MESSAGE) + "…";
    }
}
