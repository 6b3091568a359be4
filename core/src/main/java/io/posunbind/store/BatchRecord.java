package io.posunbind.store;

import io.posunbind.Actor;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchState;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch as a {@link BatchStore} keeps it (its rows apart, as {@link BatchRowRecord}s). Immutable.
 *
 * @param batchId        the batch's id
 * @param state          where it stands
 * @param options        how it runs
 * @param requestedBy    who opened it, and who cancels its cases when it is cancelled without an actor
 * @param rowCount       how many rows it has
 * @param createdAt      when it was opened
 * @param firstStartedAt when its first row started
 * @param finishedAt     when its last row ended (also for a cancelled batch); empty while any may still change
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchRecord(String batchId, BatchState state, BatchOptions options, Actor requestedBy, int rowCount,
        Instant createdAt, Optional<Instant> firstStartedAt, Optional<Instant> finishedAt) {

    /** Checks the fields. */
    public BatchRecord {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(firstStartedAt, "firstStartedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }
}
