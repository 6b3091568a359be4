package io.posunbind.internal.engine;

import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.spi.LocalizedText;
import io.posunbind.spi.OperationOutcome;
import java.time.Instant;

/** One step of a {@link CaseDocument}. Mutable, confined like its case. */
final class StepRecord {

    int number;
    StepKind kind;
    String target = "";
    StepStatus status = StepStatus.PLANNED;
    int attempts;
    /**
     * Which sending of the step's operation this is: part of its idempotency key. Grows only when the
     * operation must be sent anew as a different request (more documents for the institution, an
     * operator retrying a refused operation), never for retries of the same request.
     */
    int round = 1;
    /** Whether a call was sent whose outcome we have not learned: reconcile before sending again. */
    boolean outcomeUnknown;
    String providerReference;
    String lastCode;
    String lastMessage;
    Instant nextAttemptAt;
    Instant startedAt;
    Instant finishedAt;
    /** How often looking up this step's operation failed in a row; bounded like attempts. */
    int lookupFailures;
    /**
     * Transient failures in a row (reads that failed, sends that failed or whose outcome is unknown);
     * reset by any answer that moves the step on, so a long wait with rare blips is not dead-lettered.
     */
    int consecutiveFailures;
    /** Whether the step's operation was accepted by the provider and is being polled. */
    boolean pending;
    /**
     * Whether the provider refused the operation "for now" (a retryable code): it is sent again only after
     * a lookup shows it did not take effect after all.
     */
    boolean lookUpBeforeResend;
    /**
     * The key under which the step's operation was first sent, when, and the note the adapter attached
     * before that first call: persisted before the call when the provider needs it, so a lookup, in this
     * process or another, receives all of it. Cleared for a new request (a new key).
     */
    String sentKey;
    Instant firstSentAt;
    String adapterNote;
    /** What the provider asks people to do while the operation is pending, if it said. */
    LocalizedText operatorNote;
    // Verification challenge guarding this step's operation, when the provider demands one.
    boolean verified;
    String challengeId;
    Instant challengeExpiresAt;
    int challengesIssued;
    String challengeDestination;
    /** Sendings of the current challenge under its key, and when it was first sent: as attempts and firstSentAt. */
    int challengeAttempts;
    Instant challengeFirstSentAt;
    /** Whether the current challenge was sent and its outcome is not known: looked up before it is sent again. */
    boolean challengeOutcomeUnknown;
    /** The adapter's note for the current challenge, stored before it is sent. */
    String challengeNote;
    /** The merchant's answer to the challenge, consumed by the next execution; never stored. */
    transient String deliveredAnswer;

    /** An outcome delivered by a provider callback, consumed by the next execution; never stored. */
    transient OperationOutcome deliveredOutcome;

    StepRecord() {
        // for Jackson
    }

    StepRecord(int number, StepKind kind, String target) {
        this.number = number;
        this.kind = kind;
        this.target = target;
    }
}
