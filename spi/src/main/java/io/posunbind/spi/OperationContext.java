package io.posunbind.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine tells an adapter about one mutating call. Immutable and thread-safe.
 *
 * <p>The {@link #idempotencyKey() idempotency key} is {@code <caseId>.<step>.<round>} (a verification
 * challenge adds {@code .v<n>}): at most {@value IdempotencyKey#MAX_LENGTH} characters from
 * {@code [A-Za-z0-9._-]}. The engine re-uses it for every retry of the same request, however long the
 * case takes, and takes a new one only for a new request (a new round). It never relies on the provider's
 * de-duplication for longer than {@link PaymentProvider#idempotencyKeyRetention()}: past that it looks the
 * operation up before sending it again.
 *
 * @param operation  what is sent, as the engine persisted it before this call: key, kind, target,
 *                   arguments, first sending time, the provider's earlier reference and the adapter's note
 * @param caseId     the unbind case on whose behalf the call is made, for the provider's records
 * @param attempt    1 for the first try, then 2, 3, ... on retries with the same key
 * @param locale     the case's locale, for texts the provider shows the merchant (an SMS, a notice)
 * @param timeBudget how long this call may take before the engine would rather call again later; an
 *                   adapter sets its HTTP timeouts within it and answers {@link OperationOutcome.Unknown}
 *                   when it runs out
 */
@API(status = API.Status.STABLE, since = "2.0")
public record OperationContext(SentOperation operation, String caseId, int attempt, Locale locale,
        Duration timeBudget) {

    /** Checks the fields. */
    public OperationContext {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(timeBudget, "timeBudget");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
        if (timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("timeBudget must be positive");
        }
    }

    /**
     * A first attempt in zh-CN with a 30-second budget, for an adapter's own tests; the engine always sets
     * every field itself.
     */
    public static OperationContext of(SentOperation operation, String caseId) {
        return new OperationContext(operation, caseId, 1, Locale.SIMPLIFIED_CHINESE, Duration.ofSeconds(30));
    }

    /** The same call as a later attempt under the same key. */
    public OperationContext withAttempt(int later) {
        return new OperationContext(operation, caseId, later, locale, timeBudget);
    }

    /** The key to send to the provider; the same on every retry of this operation. */
    public IdempotencyKey idempotencyKey() {
        return operation.idempotencyKey();
    }

    /** What the operation does. */
    public OperationKind kind() {
        return operation.kind();
    }

    /** The merchant number (商户号) the case is about. */
    public String merchantNumber() {
        return operation.target().merchantNumber();
    }

    /** The provider's reference from an earlier answer to this operation, if it gave one. */
    public Optional<String> earlierProviderReference() {
        return operation.providerReference();
    }
}
