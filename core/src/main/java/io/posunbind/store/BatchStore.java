package io.posunbind.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps batches and their rows, beside the cases of a {@link CaseStore} ({@link CaseStore#batches()}):
 * {@link InMemoryCaseStore} keeps them in memory, {@link JdbcCaseStore} in the tables {@code posunbind_batch}
 * and {@code posunbind_batch_row} (schema V9). Changes of state are compare-and-set, so of instances racing to
 * start, end or cancel one row exactly one wins and tells the listeners.
 *
 * <p>Implementations must be thread-safe. Failures are {@link PosUnbindException}s with
 * {@link CoreErrorCode#STORE_UNAVAILABLE} (retryable) unless said otherwise.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface BatchStore {

    /**
     * Stores a batch with all its rows, atomically: all or nothing.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#BATCH_EXISTS} when the id is taken
     */
    void insert(BatchRecord batch, List<BatchRowRecord> rows);

    /** Loads a batch. */
    Optional<BatchRecord> load(String batchId);

    /**
     * Moves a batch from one state to another, if it is still in {@code from}.
     *
     * @param finishedAt set when present (the batch's last row ended), kept otherwise
     * @return whether it moved
     */
    boolean changeState(String batchId, BatchState from, BatchState to, Optional<Instant> finishedAt);

    /** Records when the first row started, unless one was recorded before. */
    void recordFirstStart(String batchId, Instant at);

    /**
     * Takes, or renews, the right to start the batch's rows until {@code until}, unless another owner holds it
     * past {@code now}. Whoever holds it counts the batch's open cases and starts rows up to its cap; instances
     * starting rows of one batch one at a time never pass the cap together. A holder that dies loses it when it
     * expires.
     *
     * @param owner the instance ({@code Unbinder.instanceId()})
     * @return whether {@code owner} holds it now
     */
    boolean leaseStarting(String batchId, String owner, Instant now, Instant until);

    /** Gives the right to start the batch's rows back, if {@code owner} holds it, so another may start at once. */
    void releaseStarting(String batchId, String owner);

    /** The batches not finished: running, paused, or cancelled with cases still open. */
    List<String> unfinishedBatchIds();

    /** The time zones of the batch's rows not started yet. */
    Set<String> pendingTimeZones(String batchId);

    /** Rows not started yet in any of these zones, lowest row number first, at most {@code limit}. */
    List<BatchRowRecord> pendingRows(String batchId, Set<String> timeZones, int limit);

    /** Rows in a status, lowest row number first, at most {@code limit}. */
    List<BatchRowRecord> rowsIn(String batchId, BatchRowStatus status, int limit);

    /** Rows after {@code afterRowNumber}, by row number, at most {@code limit}: a page of the report. */
    List<BatchRowRecord> rows(String batchId, int afterRowNumber, int limit);

    /** How many rows are in each status; statuses without rows may be left out. */
    Map<BatchRowStatus, Integer> countRows(String batchId);

    /** How many ended rows ended with each outcome. */
    Map<String, Integer> countOutcomes(String batchId);

    /**
     * Writes a row's new status, outcome, code and detail, if the row is still in {@code expected}.
     *
     * @return whether it was written
     */
    boolean updateRow(BatchRowRecord row, BatchRowStatus expected);

    /** Rows of unfinished batches not started yet for this provider's terminal. */
    List<BatchRowRecord> pendingRowsOfTerminal(String providerId, String terminalSerial);
}
