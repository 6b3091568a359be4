package io.posunbind.store;

import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Optional;

/**
 * A due case that {@link CaseStore#claimDue} leased to its caller.
 *
 * @param record        the case as stored by the claim: leased to the caller, its version one higher
 * @param takenOverFrom the instance whose lease had expired on the case (a dead or stalled instance), when
 *                      the claim took the case over; empty when the case was free
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ClaimedCase(CaseRecord record, Optional<String> takenOverFrom) {

    /** Checks the fields. */
    public ClaimedCase {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(takenOverFrom, "takenOverFrom");
        if (record.leaseOwner().isEmpty()) {
            throw new IllegalArgumentException("A claimed case is leased");
        }
    }
}
