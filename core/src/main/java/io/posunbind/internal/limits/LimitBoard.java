package io.posunbind.internal.limits;

import java.time.Instant;
import java.util.List;

/**
 * Where the instances on one database announce themselves per provider and per limited operation (a
 * {@link LimitScope}), so that each can take an even share of each limit ({@link FleetShare}), and where a
 * pause is written so that every instance keeps it. The JDBC case store's table
 * {@code posunbind_provider_share} (schema V10, keyed by operation too since V11).
 *
 * <p>Implementations are thread-safe and throw an unchecked exception when the database cannot be reached;
 * the caller then treats its share as unknown.
 */
public interface LimitBoard {

    /**
     * Renews this instance's row for the scope (creating it if needed), forgets rows whose heartbeat is
     * older than {@code forgetBefore} and whose pause has passed, and returns the scope's rows, this
     * instance's included.
     */
    List<ShareRow> beat(LimitScope scope, String instanceId, Instant now, Instant forgetBefore);

    /** Records on this instance's row that the scope is paused until {@code until} (a later pause wins). */
    void pause(LimitScope scope, String instanceId, Instant until, Instant now);

    /**
     * Backdates this instance's heartbeat on every row of every scope to {@code heartbeatAt}: it calls no
     * provider any more, and the others take its shares once that heartbeat has expired.
     */
    void leave(String instanceId, Instant heartbeatAt);
}
