package io.posunbind;

import io.posunbind.spi.API;
import io.posunbind.spi.ProviderLimits;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine's limiter of one provider did since the unbinder started, in this process (on a JDBC store
 * it keeps this instance's even share of the limits, see {@code liveInstances}): calls it let
 * through, calls it deferred (the case was rescheduled instead of a worker waiting for a permit, so these
 * are the permits waited for), and pauses a provider's Retry-After caused. From
 * {@link Unbinder#providerLimitStats(String)}. Immutable.
 *
 * @param providerId           the provider's id
 * @param limits               the limits in force (the provider's declaration with the application's laid over
 *                             it), its limits per operation included
 * @param callsPermitted       calls let through to the provider
 * @param callsDeferred        calls not made for want of a permit, of the provider-wide limits or of an
 *                             operation's own; their cases ran again later
 * @param deferredByPause      of those, the calls deferred because a Retry-After had not passed
 * @param pausesFromRetryAfter how often a rate-limited answer paused the provider, or one operation with a limit
 *                             of its own
 * @param pausedUntil          until when every call to the provider is paused, when such a pause is in force
 *                             (this instance's or one another instance on the same database recorded); an
 *                             operation's own pause is not shown here
 * @param liveInstances        how many instances on the same database share the limits, as this instance last
 *                             read them (its share is an even part of the limits); 1 with the in-memory store
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ProviderLimitStats(String providerId, ProviderLimits limits, long callsPermitted, long callsDeferred,
        long deferredByPause, long pausesFromRetryAfter, Optional<Instant> pausedUntil, int liveInstances) {

    /** Checks the fields. */
    public ProviderLimitStats {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(pausedUntil, "pausedUntil");
        if (callsPermitted < 0 || callsDeferred < 0 || deferredByPause < 0 || pausesFromRetryAfter < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
        if (liveInstances < 1) {
            throw new IllegalArgumentException("at least this instance is live, not " + liveInstances);
        }
    }
}
