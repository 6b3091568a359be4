package io.posunbind.provider.stripe.internal;

import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import java.util.Optional;

/**
 * Stripe's failures as the SPI's outcomes (for a mutating call) and exceptions (for a read). The table is in
 * the module's README; in short: 401 and 403 refuse for good, 404 {@code resource_missing} is an unknown
 * reader, {@code idempotency_error} (400 or 409) is a key reused with other parameters, another 409 or
 * {@code terminal_reader_busy} is work in progress, 429 {@code rate_limit} waits for the Retry-After, 429
 * {@code lock_timeout} is an object locked by another request, a 503, a 424 or a 5xx with
 * {@code Stripe-Should-Retry: true} may be sent again, any other 5xx is an unknown outcome (Stripe calls a
 * 500's result indeterminate), and no answer at all is unknown unless the connection never opened.
 */
final class StripeOutcomes {

    private StripeOutcomes() {
    }

    /** The outcome of a mutating call that failed. */
    static OperationOutcome outcome(StripeFailure failure, String what) {
        String message = what + " failed: " + failure.describe();
        if (failure.status().isEmpty()) {
            if (failure.neverSent()) {
                return withId(OperationOutcome.retryable(failure.providerCode(), message), failure);
            }
            return OperationOutcome.unknown(what + " got no answer (" + failure.message() + "); it may have"
                    + " reached Stripe");
        }
        int status = failure.status().get();
        if (status == 429) {
            ErrorCode code = failure.code().filter("lock_timeout"::equals).isPresent()
                    ? StandardErrorCode.OPERATION_IN_PROGRESS : StandardErrorCode.RATE_LIMITED;
            return new OperationOutcome.RetryableFailure(code, failure.providerCode(), message, failure.retryAfter(),
                    failure.requestId());
        }
        if (status >= 500 || status == 424) {
            // 424: a dependency outside Stripe failed; 503: Stripe did not run the request. Both may be sent again.
            if (status == 424 || status == 503 || failure.shouldRetry().orElse(false)) {
                return new OperationOutcome.RetryableFailure(StandardErrorCode.PROVIDER_UNAVAILABLE,
                        failure.providerCode(), message, failure.retryAfter(), failure.requestId());
            }
            // Unknown carries no request id in SPI 2: it goes into the reason, for operators to quote.
            return OperationOutcome.unknown(message + failure.requestId().map(id -> " (Request-Id " + id + ")")
                    .orElse("") + "; Stripe treats the result of a " + status + " as indeterminate");
        }
        return withId(OperationOutcome.rejected(refusal(failure), failure.providerCode(), message), failure);
    }

    /** The exception a read throws when it failed. */
    static ProviderException exception(StripeFailure failure, String what) {
        ErrorCode code;
        int status = failure.statusOr(0);
        if (failure.status().isEmpty() || status >= 500 || status == 424) {
            code = StandardErrorCode.PROVIDER_UNAVAILABLE;
        } else if (status == 429) {
            code = StandardErrorCode.RATE_LIMITED;
        } else {
            code = refusal(failure);
        }
        return new ProviderException(code, failure.providerCode(), what + " failed: " + failure.describe(),
                failure.requestId().orElse(null), null);
    }

    /** The code of a 4xx refusal other than 429. */
    private static ErrorCode refusal(StripeFailure failure) {
        int status = failure.statusOr(0);
        Optional<String> code = failure.code();
        if (status == 401 || status == 403 || "authentication_error".equals(failure.type())) {
            return StandardErrorCode.NOT_AUTHORIZED;
        }
        if ("idempotency_error".equals(failure.type())) {
            return StandardErrorCode.IDEMPOTENCY_KEY_REUSED;
        }
        if (failure.isResourceMissing()) {
            return StandardErrorCode.TERMINAL_NOT_FOUND;
        }
        if (status == 409 || code.filter("terminal_reader_busy"::equals).isPresent()) {
            return StandardErrorCode.OPERATION_IN_PROGRESS;
        }
        if (status == 422) {
            // Stripe documents no 422; should one come, it is a valid request the reader's state forbids.
            return StandardErrorCode.TERMINAL_STATE_CONFLICT;
        }
        if (status == 400 || status == 402) {
            return StandardErrorCode.INVALID_REQUEST;
        }
        return StandardErrorCode.UNMAPPED_PROVIDER_ERROR;
    }

    private static OperationOutcome withId(OperationOutcome outcome, StripeFailure failure) {
        if (failure.requestId().isEmpty()) {
            return outcome;
        }
        String id = failure.requestId().get();
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return rejected.withRequestId(id);
        }
        if (outcome instanceof OperationOutcome.RetryableFailure retryable) {
            return retryable.withRequestId(id);
        }
        return outcome;
    }
}
