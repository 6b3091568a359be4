package io.posunbind.testkit.sandbox;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the sandbox remembers of one request under its idempotency key: the parameters it came with,
 * to detect reuse of the key with others, and its current outcome, to replay it and to answer lookups.
 * Mutable; only touched while holding the backend's lock.
 */
final class OperationRecord {

    final IdempotencyKey key;
    final OperationKind kind;
    /** Compared, never logged: it may hold a settlement account. */
    final List<Object> parameters;
    final Instant acceptedAt;

    Optional<String> providerReference = Optional.empty();
    OperationOutcome outcome;
    /** Set while the operation is pending: performs the deferred effect and gives the final outcome. */
    Optional<Function<String, OperationOutcome>> completion = Optional.empty();
    /** Undoes the bookkeeping of a pending operation that is refused after review. */
    Runnable refusal = () -> { };
    /** The verified challenges this request will spend if it takes effect. */
    final List<VerificationChallenge> authorisations = new ArrayList<>();
    /** Applications finish through a decision, never through a bare refusal. */
    boolean application;
    int polls;
    /** Set on a request read back from a persistent sandbox's file, in place of its parameters. */
    private Optional<String> savedFingerprint = Optional.empty();

    OperationRecord(IdempotencyKey key, OperationKind kind, List<Object> parameters, Instant acceptedAt) {
        this.key = key;
        this.kind = kind;
        this.parameters = parameters;
        this.acceptedAt = acceptedAt;
    }

    /** A request read back from a persistent sandbox's file, whose parameters survive as a digest only. */
    static OperationRecord restored(IdempotencyKey key, OperationKind kind, String fingerprint, Instant acceptedAt) {
        OperationRecord record = new OperationRecord(key, kind, List.of(), acceptedAt);
        record.savedFingerprint = Optional.of(fingerprint);
        return record;
    }

    /** Whether a request of this kind with these parameters is this one again (a replay under its key). */
    boolean sameRequest(OperationKind otherKind, List<Object> otherParameters) {
        if (otherKind != kind) {
            return false;
        }
        return savedFingerprint.isPresent() ? savedFingerprint.get().equals(StateFile.digest(otherParameters))
                : parameters.equals(otherParameters);
    }

    /** The parameters as a digest, as a persistent sandbox writes them. */
    String fingerprint() {
        return savedFingerprint.orElseGet(() -> StateFile.digest(parameters));
    }

    boolean pending() {
        return completion.isPresent();
    }
}
