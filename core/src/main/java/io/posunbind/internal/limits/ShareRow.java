package io.posunbind.internal.limits;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance's row for one provider on the {@link LimitBoard}, as read.
 *
 * @param instanceId  the instance ({@code UnbinderBuilder.instanceId})
 * @param heartbeatAt when the instance last announced itself, on its own clock
 * @param pausedUntil the end of the last pause the provider told the instance (a 429's Retry-After);
 *                    {@link Instant#EPOCH} for none
 */
public record ShareRow(String instanceId, Instant heartbeatAt, Instant pausedUntil) {

    /** Checks the fields. */
    public ShareRow {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        Objects.requireNonNull(pausedUntil, "pausedUntil");
    }
}
