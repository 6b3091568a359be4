package io.posunbind.batch;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.util.List;

/**
 * Fleet unbinds: a batch of unbind requests, one row per terminal, run as cases. From {@code unbinder.batches()}
 * (or {@code unbinder.openBatch(...)}):
 *
 * <pre>{@code
 * List<BatchRow> rows = BatchFiles.readCsv(Files.readString(Path.of("stores-closing.csv")), operator);
 * BatchId batch = unbinder.openBatch(BatchId.of("closing-2026-11"), rows, BatchOptions.builder()
 *         .startWindow(StartWindow.between(LocalTime.of(23, 0), LocalTime.of(5, 0)))   // merchant time
 *         .maxCasesInFlight(200)
 *         .build(), operator);
 * BatchProgress progress = unbinder.batches().progress(batch);   // from any instance, also after a restart
 * }</pre>
 *
 * <p><b>How rows run.</b> {@link #open} validates every row before anything is stored, and reports every
 * problem at once ({@link BatchValidationException}). It stores the batch and returns; rows then start lazily, as
 * due work: each time an {@code UnbindWorker} (or {@code runDueWork}) looks for due cases, it first starts the
 * rows that may start — the batch is running, the row's merchant time lies inside the start window, and fewer
 * of the batch's cases are open than {@link BatchOptions#maxCasesInFlight()} — lowest row number first, each
 * as a case due at once. A row's case id is {@code <batch id>-<row number>}, so a row never becomes two cases,
 * whichever instance starts it and however often it restarts. Without a worker (or {@code runDueWork}) nothing
 * starts.
 *
 * <p><b>Pause</b> stops rows from starting. The cases already started are ordinary cases and go on to their next
 * wait or their end: a case stopped between two provider operations would hold a terminal half unbound, which
 * is worse for the merchant than finishing (or cancel the batch to stop them by the cancel rules).
 * <b>Resume</b> lets rows start again. <b>Cancel</b> ends every row not started without a case, and cancels each
 * started case still open with the ordinary cancel command; see {@link BatchCancellation} for what it could not
 * cancel. A batch finishes when every row ended; {@link #report} then gives one line per row.
 *
 * <p>Thread-safe. Every method reads and writes the store, so instances sharing it share their batches.
 * Unknown batch ids are refused with {@link CoreErrorCode#BATCH_NOT_FOUND}; a store that keeps no batches with
 * {@link CoreErrorCode#BATCHES_UNSUPPORTED}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface Batches {

    /** The most rows one batch may have. */
    int MAX_ROWS = 100_000;

    /**
     * Validates every row, then stores the batch, its rows not started yet. Checked for every row, all problems
     * reported at once by row number: the row numbers are unique; the provider is known to this unbinder and
     * can carry the request out (as opening its case checks: {@code UNB-CAPABILITY-MISSING}'s violations, such as
     * {@code RULE-BINDING-NOT-SUPPORTED}); no other row of the batch unbinds the same terminal at the same provider; the terminal has no open case and
     * no row waiting to start in another unfinished batch.
     *
     * @param batchId     the caller's id; opening it again is refused with {@link CoreErrorCode#BATCH_EXISTS}
     *                    (after a timeout, ask {@link #progress} whether the first attempt was stored)
     * @param requestedBy who opens it
     * @throws BatchValidationException listing every problem; nothing was stored
     */
    BatchId open(BatchId batchId, List<BatchRow> rows, BatchOptions options, Actor requestedBy);

    /**
     * Opens a batch read from a file ({@link BatchFiles#parseCsv}, {@link BatchFiles#parseJson}): checks the rows
     * read well as {@link #open(BatchId, List, BatchOptions, Actor)} does, and refuses the batch with the file's
     * problems (rows that could not be read) and the rows' problems (an unknown provider, a terminal already in
     * a case) in one list by row number, so a file is put right in one round.
     *
     * @throws BatchValidationException listing every problem of the file and of its rows; nothing was stored
     */
    BatchId open(BatchId batchId, BatchFile file, BatchOptions options, Actor requestedBy);

    /**
     * How far the batch got: rows per status, cases per state and wait reason, throughput and an estimate of
     * the time left (see {@link BatchProgress}). Records the ends of cases that ended since the last look.
     */
    BatchProgress progress(BatchId batchId);

    /**
     * Stops rows from starting; started cases go on.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#COMMAND_NOT_EXPECTED} unless the batch runs
     */
    void pause(BatchId batchId, Actor actor);

    /**
     * Lets rows start again.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#COMMAND_NOT_EXPECTED} unless the batch is paused
     */
    void resume(BatchId batchId, Actor actor);

    /**
     * Cancels the batch: rows not started end without a case; each started case still open is cancelled with
     * {@code Unbinder.cancel(caseId, actor, reason)}, by its per-step rules. Cancelling a cancelled batch again
     * tries the cases it could not cancel before.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#COMMAND_NOT_EXPECTED} when the batch finished
     */
    BatchCancellation cancel(BatchId batchId, Actor actor, String reason);

    /** One line per row, by row number: its case, its outcome, the code that ended it. */
    BatchReport report(BatchId batchId);

    /**
     * Adds a listener for the batch events this unbinder makes happen (see {@link BatchListener}): the events of
     * this process; another instance's listeners hear its own, and {@link #progress} reads every instance's.
     */
    void listen(BatchListener listener);

    /**
     * Removes a listener added with {@link #listen} (a web socket closed, a test done); one added twice is removed
     * once.
     *
     * @return whether it was listening
     */
    boolean stopListening(BatchListener listener);
}
