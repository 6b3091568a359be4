package io.posunbind.internal.engine;

import io.posunbind.RetryPolicy;
import io.posunbind.spi.model.DocumentChecklist;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an engine instance behaves: retries, polling, leases and timers. Immutable.
 *
 * @param retryPolicy      how provider operations are retried
 * @param pollInterval     how often pending operations, decisions and settlement are checked when the
 *                         provider does not say when (its suggestion wins; see {@code UnbinderBuilder})
 * @param instanceId       this instance's name, the owner of its leases; unique among the instances
 *                         sharing a store
 * @param leaseDuration    how long a case stays reserved for this instance without a heartbeat
 * @param reminderInterval how often a case waiting for input sends a reminder event
 * @param approvalDeadline how long the institution has to decide before the application lapses
 * @param internalReview   whether every case needs the platform's own reviewer's approval (four eyes)
 * @param documentChecklist the application's document checklist for every provider, when it overrides
 *                         the providers' own
 */
public record EngineSettings(RetryPolicy retryPolicy, Duration pollInterval, String instanceId,
        Duration leaseDuration, Duration reminderInterval, Duration approvalDeadline, boolean internalReview,
        Optional<DocumentChecklist> documentChecklist) {

    /** Settings that leave the document checklist to the providers. */
    public EngineSettings(RetryPolicy retryPolicy, Duration pollInterval, String instanceId,
            Duration leaseDuration, Duration reminderInterval, Duration approvalDeadline, boolean internalReview) {
        this(retryPolicy, pollInterval, instanceId, leaseDuration, reminderInterval, approvalDeadline, internalReview,
                Optional.empty());
    }

    /** Checks the fields. */
    public EngineSettings {
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        requirePositive(pollInterval, "pollInterval");
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isBlank() || instanceId.length() > 128) {
            throw new IllegalArgumentException("An instance id has 1 to 128 characters");
        }
        requirePositive(leaseDuration, "leaseDuration");
        requirePositive(reminderInterval, "reminderInterval");
        requirePositive(approvalDeadline, "approvalDeadline");
        Objects.requireNonNull(documentChecklist, "documentChecklist");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
