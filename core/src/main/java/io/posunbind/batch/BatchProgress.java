package io.posunbind.batch;

import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.spi.API;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a batch got, read from the store (so every instance, and an application restarted, sees the same).
 * Immutable and thread-safe.
 *
 * <p>Throughput is the rows that ended (their case ended, or they were refused at their start) per hour
 * since the first row started; the estimate of the time left divides the rows still to end by it. It counts
 * working hours only as they came: a batch with a night window slows to nothing by day, and the estimate then
 * grows; read it as "at the pace so far".
 *
 * @param batchId             the batch
 * @param state               the batch's state
 * @param rows                all its rows
 * @param rowsByStatus        rows per {@link BatchRowStatus}; every status is present
 * @param casesByState        the batch's cases per {@link CaseState} (open ones as they stand, ended ones by
 *                            how they ended); states without cases are left out
 * @param waitingFor          its waiting cases per {@link WaitReason}
 * @param firstStartedAt      when its first row started
 * @param throughputPerHour   rows ended per hour since then, 0 before any ended
 * @param estimatedTimeLeft   the rows left at that pace; empty before a row ended, zero when none is left
 * @param asOf                the clock's time of this reading
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchProgress(BatchId batchId, BatchState state, int rows, Map<BatchRowStatus, Integer> rowsByStatus,
        Map<CaseState, Integer> casesByState, Map<WaitReason, Integer> waitingFor, Optional<Instant> firstStartedAt,
        double throughputPerHour, Optional<Duration> estimatedTimeLeft, Instant asOf) {

    /** Checks and copies the fields. */
    public BatchProgress {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(state, "state");
        rowsByStatus = Map.copyOf(rowsByStatus);
        casesByState = Map.copyOf(casesByState);
        waitingFor = Map.copyOf(waitingFor);
        Objects.requireNonNull(firstStartedAt, "firstStartedAt");
        Objects.requireNonNull(estimatedTimeLeft, "estimatedTimeLeft");
        Objects.requireNonNull(asOf, "asOf");
    }

    /** Rows in a status. */
    public int rows(BatchRowStatus status) {
        return rowsByStatus.getOrDefault(status, 0);
    }

    /** Rows not started yet. */
    public int notStarted() {
        return rows(BatchRowStatus.PENDING);
    }

    /** The batch's cases in a state. */
    public int cases(CaseState caseState) {
        return casesByState.getOrDefault(caseState, 0);
    }

    /** The batch's cases waiting for this. */
    public int waiting(WaitReason reason) {
        return waitingFor.getOrDefault(reason, 0);
    }
}
