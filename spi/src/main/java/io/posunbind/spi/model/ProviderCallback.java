package io.posunbind.spi.model;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verified callback says about a case: an institution's decision, or a finished operation (or, for a
 * provider's own notification, that it {@linkplain ConcernsNoCase concerns no case}). It names its case by
 * the engine's case id, which the engine sent with the operation or application, or, when the provider's
 * notification carries only its own references, by the decision's application reference or the
 * operation's reference: the engine then finds the case among the sending provider's cases.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public sealed interface ProviderCallback {

    /** The engine's case id, when the callback carries it; otherwise the case is found by the reference. */
    Optional<String> caseId();

    /**
     * The institution decided on an unbind application.
     *
     * @param caseId   the case, if the callback names it; otherwise the case whose application is
     *                 {@code decision.applicationReference()}
     * @param decision the decision
     */
    record Decision(Optional<String> caseId, InstitutionDecision decision) implements ProviderCallback {
        /** Checks the fields. */
        public Decision {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(decision, "decision");
        }

        /** A decision naming its case by the engine's case id. */
        public Decision(String caseId, InstitutionDecision decision) {
            this(Optional.of(caseId), decision);
        }

        /**
         * A decision naming its case only by the application reference, as a provider's own notification does.
         *
         * @since SPI 2.0
         */
        public static Decision byApplicationReference(InstitutionDecision decision) {
            return new Decision(Optional.empty(), decision);
        }
    }

    /**
     * A pending operation finished.
     *
     * @param caseId            the case, if the callback names it; otherwise the open case whose current
     *                          operation has {@code providerReference} (as reference or as idempotency key)
     * @param providerReference the reference the provider gave when it answered pending, or the engine's
     *                          idempotency key when it gave none (see {@link #byIdempotencyKey})
     * @param outcome           how it finished
     */
    record OperationFinished(Optional<String> caseId, String providerReference, OperationOutcome outcome)
            implements ProviderCallback {
        /** Checks the fields. */
        public OperationFinished {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(providerReference, "providerReference");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** A finished operation naming its case by the engine's case id. */
        public OperationFinished(String caseId, String providerReference, OperationOutcome outcome) {
            this(Optional.of(caseId), providerReference, outcome);
        }

        /**
         * A finished operation naming its case only by the operation's reference.
         *
         * @since SPI 2.0
         */
        public static OperationFinished byReference(String providerReference, OperationOutcome outcome) {
            return new OperationFinished(Optional.empty(), providerReference, outcome);
        }

        /**
         * A finished operation naming its case only by the idempotency key the engine sent with it, as a
         * notification does for an operation the provider accepted without a reference of its own
         * ({@link OperationOutcome#pending(java.time.Duration)}, an empty 200). The engine indexes the key it
         * sent as one of the case's references, so the case is found by it.
         *
         * <p>The key must be the engine's full key ({@link IdempotencyKey#value()}). An adapter that sent the
         * provider {@link IdempotencyKey#compact(int)} must map the provider's compact form back to the full
         * key before answering: for example by also sending the full key in a field the provider echoes in its
         * notification (a merchant reference or metadata field). A compact form alone names no case.
         *
         * @since SPI 2.0
         */
        public static OperationFinished byIdempotencyKey(IdempotencyKey key, OperationOutcome outcome) {
            return new OperationFinished(Optional.empty(), key.value(), outcome);
        }
    }

    /**
     * A verified notification that concerns no case: an event the provider sends to every endpoint it knows
     * (Stripe's {@code terminal.reader.action_succeeded}, an Adyen settings change made in its console), or
     * one about an object no unbind ever touches. The engine acknowledges it so that the provider stops
     * sending it again (providers resend anything not answered 2xx, for days), records it in the audit
     * trail, spends its id, and changes nothing.
     *
     * <p>Use it only for a notification that verified: a forged or unreadable one is refused with a
     * {@link io.posunbind.spi.NotificationErrorCode}. An event that names a reference no case waits for
     * <em>yet</em> is an {@link OperationFinished} (the engine answers it "retry later").
     *
     * @param eventType the provider's name of the event, for the audit trail (1 to 128 visible ASCII
     *                  characters)
     * @since SPI 2.0
     */
    record ConcernsNoCase(String eventType) implements ProviderCallback {
        /** Checks the event type. */
        public ConcernsNoCase {
            Objects.requireNonNull(eventType, "eventType");
            if (!eventType.matches("[\\x21-\\x7E]{1,128}")) {
                throw new IllegalArgumentException("eventType must be 1 to 128 visible ASCII characters");
            }
        }

        /** Always empty: the notification names no case. */
        @Override
        public Optional<String> caseId() {
            return Optional.empty();
        }
    }
}
