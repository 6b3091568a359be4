package io.posunbind.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a mutating provider call: one of {@link Done}, {@link Pending}, {@link Rejected},
 * {@link RetryableFailure} or {@link Unknown}. Immutable and thread-safe.
 *
 * <p>A timeout is {@link Unknown}, never a failure: the engine reconciles with
 * {@link OperationLookup#lookup(OperationReference)} before sending again. An adapter that throws from a
 * mutating call gets the same treatment.
 */
@API(status = API.Status.STABLE, since = "2.0")
public sealed interface OperationOutcome {

    /** The operation took effect. */
    static Done done(String providerReference) {
        return new Done(providerReference, Map.of());
    }

    /** The provider accepted the operation and will finish it later; poll or await its callback. */
    static Pending pending(String providerReference, Duration pollAfter) {
        return new Pending(providerReference, pollAfter);
    }

    /** The provider refused the operation for good. */
    static Rejected rejected(ErrorCode code, String providerCode, String message) {
        return new Rejected(code, providerCode, message);
    }

    /** The operation failed in a way that trying again with the same key can fix. */
    static RetryableFailure retryable(String providerCode, String message, Duration retryAfter) {
        return new RetryableFailure(providerCode, message, Optional.ofNullable(retryAfter));
    }

    /** We cannot tell whether the operation took effect (timeout, connection lost). */
    static Unknown unknown(String reason) {
        return new Unknown(reason);
    }

    /**
     * The operation took effect.
     *
     * @param providerReference the provider's reference for it (transaction id, ticket number, ...)
     * @param attributes        extra facts the later steps or the audit may need; never secrets
     */
    record Done(String providerReference, Map<String, String> attributes) implements OperationOutcome {
        /** Checks and copies the fields. */
        public Done {
            Objects.requireNonNull(providerReference, "providerReference");
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * The operation is in progress at the provider (a manual review, a terminal that must sync first).
     *
     * @param providerReference the provider's reference, used to poll and to match the callback
     * @param pollAfter         how long to wait before asking again
     */
    record Pending(String providerReference, Duration pollAfter) implements OperationOutcome {
        /** Checks the fields. */
        public Pending {
            Objects.requireNonNull(providerReference, "providerReference");
            Objects.requireNonNull(pollAfter, "pollAfter");
            if (pollAfter.isNegative()) {
                throw new IllegalArgumentException("pollAfter must not be negative");
            }
        }
    }

    /**
     * The provider refused the operation; sending it again will not help.
     *
     * @param code         our stable code for the refusal
     * @param providerCode the provider's own code
     * @param message      the provider's explanation, free of clear sensitive numbers
     */
    record Rejected(ErrorCode code, String providerCode, String message) implements OperationOutcome {
        /** Checks the fields. */
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(providerCode, "providerCode");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The operation did not take effect and can be sent again with the same key.
     *
     * @param providerCode the provider's code
     * @param message      what happened
     * @param retryAfter   the provider's hint for when to retry, if it gave one
     */
    record RetryableFailure(String providerCode, String message, Optional<Duration> retryAfter)
            implements OperationOutcome {
        /** Checks the fields. */
        public RetryableFailure {
            Objects.requireNonNull(providerCode, "providerCode");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /**
     * Nobody knows whether the operation took effect.
     *
     * @param reason why the outcome is unknown (for example "read timed out after 30 s")
     */
    record Unknown(String reason) implements OperationOutcome {
        /** Checks the field. */
        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The operation does not apply at this provider; the engine skips the step and goes on. Since SPI 2.0. */
    static NotApplicable notApplicable(String reason) {
        return new NotApplicable(reason);
    }

    /**
     * The provider has no such operation, or it does not apply to this terminal or merchant: for example
     * a terminal-management API that cannot disable a terminal apart from reassigning it to the company
     * inventory. Nothing took effect and nothing will; the engine marks the step skipped with this reason
     * and the case goes on. Never a way to report a failure: use {@link Rejected} for a refusal. A provider
     * that knows up front which operations it lacks declares them in
     * {@link PaymentProvider#supportedOperations()} instead, so the planner leaves them out. Since SPI 2.0.
     *
     * @param reason why the operation does not apply, for operators, free of clear sensitive numbers
     */
    record NotApplicable(String reason) implements OperationOutcome {
        /** Checks the field. */
        public NotApplicable {
            Objects.requireNonNull(reason, "reason");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("Say why the operation does not apply");
            }
        }
    }
}
