package io.posunbind.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a mutating provider call: one of {@link Done}, {@link Pending}, {@link Rejected},
 * {@link RetryableFailure}, {@link Unknown} or {@link NotApplicable}. Immutable and thread-safe.
 *
 * <p>A timeout is {@link Unknown}, never a failure: the engine reconciles with
 * {@link OperationLookup#lookup(SentOperation)} before sending again. An adapter that throws from a
 * mutating call gets the same treatment.
 *
 * <h2>Which outcome for which answer</h2>
 * <table>
 *   <caption>Mapping a provider's HTTP answer to an outcome</caption>
 *   <tr><th>the provider answered</th><th>outcome</th><th>what the engine does</th></tr>
 *   <tr><td>2xx with the effect done</td><td>{@link Done}</td><td>goes on</td></tr>
 *   <tr><td>2xx or 202 accepted, finished later (an empty 200 included)</td>
 *       <td>{@link Pending}, with the provider's reference if it gave one (otherwise the engine correlates by
 *       key) and an {@link Pending#operatorNote() operator note} when people must act</td>
 *       <td>polls with a lookup, or waits for the callback</td></tr>
 *   <tr><td>400 or another 4xx: the request is wrong</td>
 *       <td>{@link Rejected} with {@link StandardErrorCode#INVALID_REQUEST}</td><td>stops the case</td></tr>
 *   <tr><td>401, 403: credentials or rights</td>
 *       <td>{@link Rejected} with {@link StandardErrorCode#NOT_AUTHORIZED}</td><td>stops the case</td></tr>
 *   <tr><td>404: unknown terminal or merchant</td>
 *       <td>{@link Rejected} with {@link StandardErrorCode#TERMINAL_NOT_FOUND} or
 *       {@link StandardErrorCode#MERCHANT_NOT_FOUND}</td><td>stops the case</td></tr>
 *   <tr><td>409: the same key or the same terminal is being worked on</td>
 *       <td>{@link Rejected} with {@link StandardErrorCode#OPERATION_IN_PROGRESS}</td>
 *       <td>waits, then looks up before sending again</td></tr>
 *   <tr><td>409: the key was used with other parameters</td>
 *       <td>{@link Rejected} with {@link StandardErrorCode#IDEMPOTENCY_KEY_REUSED}</td><td>stops the case</td></tr>
 *   <tr><td>422: the request is valid but the state forbids it</td>
 *       <td>{@link Rejected} with {@link StandardErrorCode#TERMINAL_STATE_CONFLICT}, or the precise code
 *       ({@link StandardErrorCode#TERMINAL_ACTIVE}, {@link StandardErrorCode#FUNDS_UNSETTLED}, ...)</td>
 *       <td>stops the case, or for a retryable code waits and looks up before sending again</td></tr>
 *   <tr><td>429: too many requests</td>
 *       <td>{@link RetryableFailure} with {@link StandardErrorCode#RATE_LIMITED} and the Retry-After</td>
 *       <td>sends again with the same key, not before the Retry-After</td></tr>
 *   <tr><td>500, 502, 503, 504 before the provider acted</td>
 *       <td>{@link RetryableFailure} with {@link StandardErrorCode#PROVIDER_UNAVAILABLE}</td>
 *       <td>sends again with the same key after a back-off</td></tr>
 *   <tr><td>5xx when the provider may have acted, a timeout, a connection reset</td>
 *       <td>{@link Unknown}</td><td>looks up before sending again</td></tr>
 * </table>
 *
 * <p>What the engine does with a {@link Rejected}, exactly:
 * <ul>
 *   <li>a code that is not {@link ErrorCode#retryable() retryable}: the case stops and the operation is never
 *       sent again under its key. Only an operator's retry sends it anew, as a new request under a new key;</li>
 *   <li>a retryable code (a refusal "for now": {@link StandardErrorCode#OPERATION_IN_PROGRESS},
 *       {@link StandardErrorCode#FUNDS_UNSETTLED}, ...): the engine waits (the poll interval for unsettled
 *       funds, otherwise its back-off), then first {@link OperationLookup#lookup looks the operation up}
 *       under the same key. If the lookup finds it done, pending or refused for good, that answer counts and
 *       nothing is sent. Only if the lookup finds nothing, or the same refusal "for now", is the operation
 *       sent again, under the <em>same</em> key (the provider recognises a repetition, never a second
 *       request). After as many refusals in a row as the retry policy allows, the case stops.</li>
 * </ul>
 * A provider that stores its answer to a key (Stripe keeps the result of a request that began executing
 * for 24 hours) answers the same refusal to the same key until it forgets the key; declare that retention
 * in {@link PaymentProvider#idempotencyKeyRetention()}, so that past it the engine always looks up first.
 *
 * <p>A {@link NotApplicable} is taken only for the operations a case may go without (disable, decommission,
 * a peripheral, the replacement's software update): the step is skipped. For any other operation (unbind
 * the terminal or the account, change the merchant info, bind to a new merchant, set up or test the
 * replacement, submit the application) it stops the case with {@link StandardErrorCode#UNSUPPORTED_OPERATION}:
 * the case cannot complete without it. Keep
 * the provider's request id ({@code withRequestId}) on refusals and failures: operators quote it to the
 * provider's support, and the audit trail keeps it.
 */
@API(status = API.Status.STABLE, since = "2.0")
public sealed interface OperationOutcome {

    /** The operation took effect. */
    static Done done(String providerReference) {
        return new Done(providerReference, Map.of());
    }

    /** The provider accepted the operation and will finish it later; poll or await its callback. */
    static Pending pending(String providerReference, Duration pollAfter) {
        return new Pending(Optional.of(providerReference), pollAfter, Optional.empty());
    }

    /**
     * The provider accepted the operation without giving a reference (an empty 200, for example); the
     * engine correlates it by its idempotency key.
     */
    static Pending pending(Duration pollAfter) {
        return new Pending(Optional.empty(), pollAfter, Optional.empty());
    }

    /** The provider refused the operation for good. */
    static Rejected rejected(ErrorCode code, String providerCode, String message) {
        return new Rejected(code, providerCode, message, Optional.empty());
    }

    /**
     * The operation failed in a way that trying again with the same key can fix, and the provider said
     * when to try again (its Retry-After). Without such a hint use {@link #retryable(String, String)}.
     */
    static RetryableFailure retryable(String providerCode, String message, Duration retryAfter) {
        return new RetryableFailure(StandardErrorCode.PROVIDER_UNAVAILABLE, providerCode, message,
                Optional.of(Objects.requireNonNull(retryAfter,
                        "retryAfter: use retryable(providerCode, message) when the provider gave no hint")),
                Optional.empty());
    }

    /**
     * The operation failed in a way that trying again with the same key can fix; the engine chooses when,
     * with its back-off. Since SPI 2.0.
     */
    static RetryableFailure retryable(String providerCode, String message) {
        return new RetryableFailure(StandardErrorCode.PROVIDER_UNAVAILABLE, providerCode, message, Optional.empty(),
                Optional.empty());
    }

    /**
     * The provider throttled us (HTTP 429): nothing happened, and the engine sends again with the same key
     * not before {@code retryAfter} (the provider's Retry-After).
     */
    static RetryableFailure rateLimited(String providerCode, String message, Duration retryAfter) {
        return new RetryableFailure(StandardErrorCode.RATE_LIMITED, providerCode, message,
                Optional.of(Objects.requireNonNull(retryAfter, "retryAfter")), Optional.empty());
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
     * The operation is in progress at the provider (a manual review, a terminal that must sync first, an
     * asynchronous reassignment).
     *
     * @param providerReference the provider's reference, used to poll and to match the callback; empty when
     *                          the provider gave none, and the engine correlates by idempotency key
     * @param pollAfter         how long to wait before asking again
     * @param operatorNote      what people must do meanwhile, in English and Chinese ("return the terminal
     *                          through the Customer Area"); shown in the case's snapshot and description
     */
    record Pending(Optional<String> providerReference, Duration pollAfter, Optional<LocalizedText> operatorNote)
            implements OperationOutcome {
        /** Checks the fields. */
        public Pending {
            Objects.requireNonNull(providerReference, "providerReference");
            Objects.requireNonNull(pollAfter, "pollAfter");
            Objects.requireNonNull(operatorNote, "operatorNote");
            if (pollAfter.isNegative()) {
                throw new IllegalArgumentException("pollAfter must not be negative");
            }
        }

        /** This answer with a note for operators. */
        public Pending withOperatorNote(LocalizedText note) {
            return new Pending(providerReference, pollAfter, Optional.of(note));
        }
    }

    /**
     * The provider refused the operation. With a code that is not retryable sending it again will not help,
     * and the engine never does; with a retryable code (a refusal "for now") see the class comment for how
     * the engine looks it up and sends it again under the same key.
     *
     * @param code         our stable code for the refusal
     * @param providerCode the provider's own code
     * @param message      the provider's explanation, free of clear sensitive numbers
     * @param requestId    the provider's id of the request (for example the {@code pspReference} or
     *                     {@code Request-Id} header), kept in the audit trail and shown to operators
     */
    record Rejected(ErrorCode code, String providerCode, String message, Optional<String> requestId)
            implements OperationOutcome {
        /** Checks the fields. */
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(providerCode, "providerCode");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(requestId, "requestId");
        }

        /** This refusal with the provider's request id. */
        public Rejected withRequestId(String id) {
            return new Rejected(code, providerCode, message, Optional.of(id));
        }
    }

    /**
     * The operation did not take effect and can be sent again with the same key.
     *
     * @param code         our stable code: {@link StandardErrorCode#PROVIDER_UNAVAILABLE},
     *                     {@link StandardErrorCode#RATE_LIMITED} or another retryable one
     * @param providerCode the provider's code
     * @param message      what happened
     * @param retryAfter   the provider's hint for when to retry (its Retry-After), if it gave one; the
     *                     engine's next attempt is not earlier
     * @param requestId    the provider's id of the request, kept in the audit trail and shown to operators
     */
    record RetryableFailure(ErrorCode code, String providerCode, String message, Optional<Duration> retryAfter,
            Optional<String> requestId) implements OperationOutcome {
        /** Checks the fields. */
        public RetryableFailure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(providerCode, "providerCode");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(requestId, "requestId");
        }

        /** This failure with the provider's request id. */
        public RetryableFailure withRequestId(String id) {
            return new RetryableFailure(code, providerCode, message, retryAfter, Optional.of(id));
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

    /**
     * The operation does not apply at this provider: the engine skips a step it may go without and stops the
     * case otherwise (see {@link NotApplicable}). Since SPI 2.0.
     */
    static NotApplicable notApplicable(String reason) {
        return new NotApplicable(reason);
    }

    /**
     * The provider has no such operation, or it does not apply to this terminal or merchant: for example
     * a terminal-management API that cannot disable a terminal apart from reassigning it to the company
     * inventory. Nothing took effect and nothing will. For an operation a case may go without (disable,
     * decommission, a peripheral, the replacement's software update) the engine marks the step skipped with
     * this reason and the case goes on; for any other it stops the case with
     * {@link StandardErrorCode#UNSUPPORTED_OPERATION} and this reason, since the case cannot be completed
     * without it. Never a way to report a failure: use {@link Rejected} for a refusal. A provider
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
