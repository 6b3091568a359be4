package io.posunbind.provider.stripe.internal;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.StripeResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What went wrong with one call to Stripe, read from stripe-java's exception: the HTTP status, Stripe's error
 * body ({@code {"error": {"type", "code", "message", "param", "request_log_url"}}}), its {@code Request-Id},
 * and the {@code Retry-After} and {@code Stripe-Should-Retry} headers of the answer; or, when no answer
 * came, whether the request can have reached Stripe at all.
 *
 * @param status      the HTTP status, empty when no answer came
 * @param type        Stripe's error type ({@code invalid_request_error}, {@code api_error}, ...), or
 *                    {@code api_connection_error} when no answer came
 * @param code        Stripe's error code ({@code resource_missing}, {@code rate_limit}, ...), if any
 * @param message     Stripe's message, with anything shaped like a key masked
 * @param requestId   Stripe's {@code Request-Id}, if an answer came
 * @param retryAfter  the answer's {@code Retry-After}, if any
 * @param shouldRetry the answer's {@code Stripe-Should-Retry}, if any
 * @param neverSent   true when the connection failed before the request could reach Stripe
 */
record StripeFailure(Optional<Integer> status, String type, Optional<String> code, String message,
        Optional<String> requestId, Optional<Duration> retryAfter, Optional<Boolean> shouldRetry, boolean neverSent) {

    static final String CONNECTION_ERROR = "api_connection_error";

    // Stripe masks keys in its own messages; this masks anything that still looks like one.
    private static final Pattern KEY_LIKE = Pattern.compile("(sk|rk|pk)_(test|live)_[A-Za-z0-9]+|whsec_[A-Za-z0-9+/=]+");

    StripeFailure {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(shouldRetry, "shouldRetry");
    }

    static StripeFailure of(StripeException e) {
        if (e instanceof ApiConnectionException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new StripeFailure(Optional.empty(), CONNECTION_ERROR, Optional.empty(),
                    cause.getClass().getSimpleName() + ": " + masked(String.valueOf(cause.getMessage())),
                    Optional.empty(), Optional.empty(), Optional.empty(), neverSent(cause));
        }
        StripeError error = e.getStripeError();
        Optional<StripeResponse> answer = Optional.ofNullable(error).map(StripeError::getLastResponse);
        String type = error != null && error.getType() != null ? error.getType() : "api_error";
        String message = error != null && error.getMessage() != null ? error.getMessage() : "no error body";
        return new StripeFailure(Optional.ofNullable(e.getStatusCode()), type,
                Optional.ofNullable(e.getCode()).filter(code -> !code.isBlank()), masked(message),
                Optional.ofNullable(e.getRequestId()),
                answer.flatMap(response -> response.headers().firstValue("Retry-After")).flatMap(StripeFailure::seconds),
                answer.flatMap(response -> response.headers().firstValue("Stripe-Should-Retry"))
                        .map(value -> Boolean.parseBoolean(value.strip())),
                false);
    }

    /** Stripe's code when it gave one, otherwise its error type: stable, never naming the request. */
    String providerCode() {
        return code.orElse(type);
    }

    int statusOr(int none) {
        return status.orElse(none);
    }

    boolean isResourceMissing() {
        return status.filter(s -> s == 404).isPresent() || code.filter("resource_missing"::equals).isPresent();
    }

    /** What operators read: status, type, code and Stripe's message. */
    String describe() {
        return status.map(s -> "HTTP " + s + " ").orElse("") + type + code.map(c -> "/" + c).orElse("") + ": "
                + message;
    }

    private static boolean neverSent(Throwable cause) {
        // A refused or unroutable connection, or a connect timeout, never carried the request; a reset or a
        // read timeout may have come after Stripe received it.
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException
                || (cause instanceof SocketTimeoutException && String.valueOf(cause.getMessage()).contains("connect"));
    }

    private static String masked(String text) {
        return KEY_LIKE.matcher(text).replaceAll("****");
    }

    private static Optional<Duration> seconds(String value) {
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            // An HTTP date instead of seconds: Stripe documents neither form, so the engine's back-off decides.
            return Optional.empty();
        }
    }
}
