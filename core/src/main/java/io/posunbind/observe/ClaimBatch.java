package io.posunbind.observe;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One claim of due work by this instance (see {@code CaseStore.claimDue}).
 *
 * @param instanceId   the claiming instance
 * @param casesClaimed how many cases the claim leased to it, possibly none
 * @param takenOver    of those, how many it took over from an instance whose lease had expired
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ClaimBatch(String instanceId, int casesClaimed, int takenOver) {

    /** Checks the fields. */
    public ClaimBatch {
        Objects.requireNonNull(instanceId, "instanceId");
        if (casesClaimed < 0 || takenOver < 0 || takenOver > casesClaimed) {
            throw new IllegalArgumentException("Counts are never negative, and takeovers are among the cases claimed");
        }
    }
}
