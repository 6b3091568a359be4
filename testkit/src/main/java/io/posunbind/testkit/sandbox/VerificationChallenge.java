package io.posunbind.testkit.sandbox;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A verification challenge the sandbox acquirer issued to a merchant: an SMS code, or a small deposit to
 * the settlement account whose amount the merchant reports (小额打款验证). It accepts answers until it is
 * verified, locked, expired or superseded by a newer challenge; once verified it authorises one guarded
 * operation of the merchant. Mutable; only touched while holding the backend's lock.
 */
final class VerificationChallenge {

    /** Where a challenge stands. */
    enum State {
        /** Waiting for the right answer. */
        OPEN,
        /** Answered rightly; authorises one operation. */
        VERIFIED,
        /** Its authorisation was spent by an operation. */
        USED,
        /** Too many wrong answers. */
        LOCKED,
        /** A newer challenge was issued to the merchant before this one was answered. */
        SUPERSEDED
    }

    final String id;
    final String merchantNumber;
    final VerificationDemand.Method method;
    final Instant expiresAt;
    /** How long the authorisation of a verified challenge lasts, counted from the verification. */
    final Duration validFor;
    /** The answer. Never logged; tests read it through {@link SandboxVerifications#lastChallengeCode}. */
    private final String code;

    int attemptsLeft;
    State state = State.OPEN;
    Optional<Instant> verifiedAt = Optional.empty();
    Optional<IdempotencyKey> usedBy = Optional.empty();

    VerificationChallenge(String id, String merchantNumber, VerificationDemand demand, String code, Instant issuedAt) {
        this.id = id;
        this.merchantNumber = merchantNumber;
        this.method = demand.method();
        this.validFor = demand.validFor();
        this.expiresAt = issuedAt.plus(demand.validFor());
        this.attemptsLeft = demand.maxAttempts();
        this.code = code;
    }

    String code() {
        return code;
    }

    /**
     * Checks an answer. A challenge that is no longer open answers {@code EXPIRED} (verified, used or
     * superseded: a new one must be issued) or {@code LOCKED}; an open one past its expiry
     * {@code EXPIRED}, whatever the answer.
     */
    VerificationResult check(String answer, Instant now) {
        if (state == State.LOCKED) {
            return VerificationResult.LOCKED;
        }
        if (state != State.OPEN) {
            return VerificationResult.EXPIRED;
        }
        if (!now.isBefore(expiresAt)) {
            return VerificationResult.EXPIRED;
        }
        // Constant-time comparison, as a real acquirer compares secrets.
        if (MessageDigest.isEqual(code.getBytes(StandardCharsets.UTF_8),
                answer.strip().getBytes(StandardCharsets.UTF_8))) {
            state = State.VERIFIED;
            verifiedAt = Optional.of(now);
            return VerificationResult.VERIFIED;
        }
        attemptsLeft--;
        if (attemptsLeft <= 0) {
            state = State.LOCKED;
            return VerificationResult.LOCKED;
        }
        return VerificationResult.WRONG_ANSWER;
    }

    /** Whether this challenge is verified by the method, not yet used, and its authorisation still runs. */
    boolean authorises(VerificationDemand.Method demanded, Instant now) {
        return state == State.VERIFIED && method == demanded
                && now.isBefore(verifiedAt.orElseThrow().plus(validFor));
    }

    void spend(IdempotencyKey key) {
        state = State.USED;
        usedBy = Optional.of(key);
    }

    /** Without the code, which must never reach a log. */
    @Override
    public String toString() {
        return "VerificationChallenge[" + id + ", merchant " + merchantNumber + ", " + method + ", " + state
                + ", " + attemptsLeft + " attempt(s) left, expires " + expiresAt + "]";
    }
}
