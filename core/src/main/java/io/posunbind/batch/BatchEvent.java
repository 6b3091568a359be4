package io.posunbind.batch;

import io.posunbind.CaseId;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Optional;

/**
 * Something that happened to a batch, told to {@link BatchListener}s by the instance that made it happen,
 * after it was stored. Each row's start and end is told once, by one instance, however many run.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public sealed interface BatchEvent {

    /** The batch. */
    BatchId batchId();

    /** When, by the engine's clock. */
    Instant at();

    /** A row became a case (due for a worker). */
    record RowStarted(BatchId batchId, Instant at, int rowNumber, CaseId caseId) implements BatchEvent {
    }

    /** A row's case ended; {@code outcome} is its final state, {@code errorCode} why it failed, if it did. */
    record RowEnded(BatchId batchId, Instant at, int rowNumber, CaseId caseId, String outcome,
            Optional<String> errorCode) implements BatchEvent {
    }

    /** A row will never become a case: cancelled before it started, or refused at its start (with the code). */
    record RowNotStarted(BatchId batchId, Instant at, int rowNumber, BatchRowStatus status, Optional<String> errorCode)
            implements BatchEvent {
    }

    /** The batch changed state (paused, resumed, cancelled, finished). */
    record StateChanged(BatchId batchId, Instant at, BatchState from, BatchState to) implements BatchEvent {
    }
}
