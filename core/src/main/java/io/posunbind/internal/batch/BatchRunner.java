package io.posunbind.internal.batch;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitPolicy;
import io.posunbind.batch.BatchEvent;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.internal.engine.UnbindEngine;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.BatchRecord;
import io.posunbind.store.BatchRowRecord;
import io.posunbind.store.BatchStore;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import io.posunbind.validation.SensitiveNumberScrubber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the rows of unfinished batches as cases, and follows started cases to their end. Runs before every look
 * a worker (or {@code runDueWork}) takes for due cases, so rows start lazily, as due work: only while the batch
 * runs, inside its start window, and while fewer of its cases are open than its cap; a row started here is a
 * case due at once, which the same look then claims. Everything it knows is in the store, so a restarted
 * application, or another instance, carries on where this one stopped.
 *
 * <p>A row never becomes two cases: its case id is derived from the batch id and its row number, the row moves
 * from {@code PENDING} to {@code STARTED} by compare-and-set before its case is opened (one instance wins), and
 * opening a case is idempotent under its id; a row found {@code STARTED} without a case for longer than
 * {@link #ORPHANED_AFTER} (the instance died in between) is opened again under the same id. Thread-safe; one thread of the process at a time starts rows.
 */
final class BatchRunner {

    private static final Logger LOG = LoggerFactory.getLogger("io.posunbind.batches");

    /** More than any batch has open: its cap, plus orphaned rows opened again. */
    private static final int STARTED_ROWS_READ = 100_000;

    /**
     * How long a row may stay marked started without its case before another look takes its instance for dead and
     * opens the case itself. The instance that marked it opens the case right after (one store write), so a row
     * younger than this is being opened by a live instance: opening it here too would tell its start twice.
     */
    static final Duration ORPHANED_AFTER = Duration.ofMinutes(1);

    /**
     * How long one look may hold a batch's starting lease: far longer than counting its cases and opening up to its
     * cap of new ones takes, and short enough that a dead instance holds the batch back only briefly.
     */
    static final Duration STARTING_LEASE = Duration.ofSeconds(30);

    /** How often a worker's looks start rows and follow cases, at most, unless told to look soon. */
    private static final Duration WORKER_LOOK_INTERVAL = Duration.ofSeconds(1);

    private final BatchStore store;
    private final CaseStore cases;
    private final UnbindEngine engine;
    private final BatchRequests requests;
    private final BatchEvents events;
    private final Clock clock;
    private final ReentrantLock starting = new ReentrantLock();
    /** When a worker's look next starts rows; guarded by {@link #starting}, reset by {@link #lookSoon()}. */
    private volatile Instant nextWorkerLook = Instant.MIN;

    BatchRunner(BatchStore store, CaseStore cases, UnbindEngine engine, BatchRequests requests, BatchEvents events,
            Clock clock) {
        this.store = store;
        this.cases = cases;
        this.engine = engine;
        this.requests = requests;
        this.events = events;
        this.clock = clock;
    }

    /** Lets the next look of a worker start rows, whenever the last one did (a batch opened or resumed). */
    void lookSoon() {
        nextWorkerLook = Instant.MIN;
    }

    /**
     * Starts what may start and records what ended, in every unfinished batch; a thread finding another at it
     * returns at once, and a worker's look within {@link #WORKER_LOOK_INTERVAL} of the last does nothing. Never
     * throws: a failure is logged and the next look tries again.
     *
     * @param callerAsked whether a caller's {@code runDueWork} looks (always served), rather than a worker
     * @return how many rows it started
     */
    int startDueRows(boolean callerAsked) {
        Instant now = clock.instant();
        if (!callerAsked && now.isBefore(nextWorkerLook)) {
            return 0;
        }
        if (!starting.tryLock()) {
            return 0;
        }
        try {
            nextWorkerLook = now.plus(WORKER_LOOK_INTERVAL);
            int started = 0;
            for (String batchId : store.unfinishedBatchIds()) {
                try {
                    started += advance(batchId);
                } catch (RuntimeException e) {
                    // One batch the store cannot serve now must not hold the others back.
                    LOG.warn("Could not bring batch {} up to date; trying again at the next look: {}", batchId,
                            e.toString());
                }
            }
            return started;
        } catch (RuntimeException e) {
            LOG.warn("Could not look for unfinished batches; trying again at the next look: {}", e.toString());
            return 0;
        } finally {
            starting.unlock();
        }
    }

    /**
     * Runs a command on batches (a cancel) while no thread of this process starts rows, so a row cannot be
     * started here between the command's look at it and its end.
     */
    <T> T exclusively(Supplier<T> command) {
        starting.lock();
        try {
            return command.get();
        } finally {
            starting.unlock();
        }
    }

    /**
     * Brings one batch up to date: ended cases recorded, due rows started, the batch finished when all ended. Rows
     * of a running batch start only under the batch's starting lease ({@link BatchStore#leaseStarting}), so the
     * count of its open cases and the starts it allows are never another instance's at the same moment.
     */
    int advance(String batchId) {
        Optional<BatchRecord> found = store.load(batchId);
        if (found.isEmpty()) {
            return 0;
        }
        BatchRecord batch = found.get();
        if (batch.state() != BatchState.RUNNING) {
            followStarted(batch, true);
            finishIfDone(batch);
            return 0;
        }
        String owner = engine.instanceId();
        Instant now = clock.instant();
        if (!store.leaseStarting(batchId, owner, now, now.plus(STARTING_LEASE))) {
            // Another instance starts this batch's rows now; its count includes what it opens, so only the
            // ends of cases are recorded here.
            followStarted(batch, false);
            return 0;
        }
        try {
            int open = followStarted(batch, true);
            int started = 0;
            if (open < batch.options().maxCasesInFlight()) {
                started = startRows(batch, batch.options().maxCasesInFlight() - open);
            }
            finishIfDone(batch);
            return started;
        } finally {
            store.releaseStarting(batchId, owner);
        }
    }

    /**
     * Records the ends of started cases and, with {@code reopen}, opens the case of a row that was marked started
     * but whose case was never stored (its instance died in between). How many are still open.
     */
    int followStarted(BatchRecord batch, boolean reopen) {
        int open = 0;
        Instant orphanedBefore = clock.instant().minus(ORPHANED_AFTER);
        for (BatchRowRecord row : store.rowsIn(batch.batchId(), BatchRowStatus.STARTED, STARTED_ROWS_READ)) {
            // The stored record says whether the case is open without decoding its document.
            Optional<CaseRecord> stored = cases.load(row.caseId());
            if (stored.isEmpty()) {
                if (batch.state() == BatchState.CANCELLED) {
                    notStarted(row, BatchRowStatus.STARTED, BatchRowStatus.CANCELLED_BEFORE_START, Optional.empty(),
                            Optional.empty());
                } else if (row.updatedAt().isAfter(orphanedBefore)) {
                    open++; // another instance (or thread) marked it a moment ago and is opening its case now
                } else if (reopen && open(row, BatchRowStatus.STARTED)) {
                    open++;
                }
            } else if (stored.get().open()) {
                open++;
            } else {
                engine.find(CaseId.of(row.caseId())).ifPresent(snapshot -> ended(row, snapshot));
            }
        }
        return open;
    }

    /** Records that a row's case ended, once: the instance whose write wins tells the listeners. */
    void ended(BatchRowRecord row, CaseSnapshot snapshot) {
        String outcome = snapshot.state().name();
        Optional<String> detail = snapshot.failureMessage().map(SensitiveNumberScrubber::scrub);
        if (store.updateRow(row.moved(BatchRowStatus.ENDED, Optional.of(outcome), snapshot.failureCode(), detail,
                clock.instant()), BatchRowStatus.STARTED)) {
            events.tell(new BatchEvent.RowEnded(BatchId.of(row.batchId()), clock.instant(), row.rowNumber(),
                    snapshot.id(), outcome, snapshot.failureCode()));
        }
    }

    private int startRows(BatchRecord batch, int slots) {
        Instant now = clock.instant();
        BatchOptions options = batch.options();
        Set<String> openZones = new LinkedHashSet<>();
        for (String zone : store.pendingTimeZones(batch.batchId())) {
            if (options.startWindow().map(window -> window.isOpen(now, ZoneId.of(zone))).orElse(true)) {
                openZones.add(zone);
            }
        }
        if (openZones.isEmpty()) {
            return 0;
        }
        int started = 0;
        for (BatchRowRecord row : store.pendingRows(batch.batchId(), openZones, slots)) {
            if (!store.updateRow(row.moved(BatchRowStatus.STARTED, Optional.empty(), Optional.empty(),
                    Optional.empty(), now), BatchRowStatus.PENDING)) {
                continue; // another instance started it, or the batch was cancelled meanwhile
            }
            if (open(row, BatchRowStatus.STARTED)) {
                started++;
            }
        }
        if (started > 0) {
            store.recordFirstStart(batch.batchId(), now);
        }
        return started;
    }

    /**
     * Opens the case of a row marked started, due for a worker. A refusal that will not change (the terminal has
     * another open case by now, the provider is gone or lacks what the request needs) ends the row
     * {@code REFUSED_AT_START}; a passing one (the store is away, this unbinder closes) puts it back to pending.
     *
     * @return whether its case is open now
     */
    private boolean open(BatchRowRecord row, BatchRowStatus current) {
        CaseId caseId = CaseId.of(row.caseId());
        try {
            engine.open(caseId, requests.read(row.request()), WaitPolicy.none());
        } catch (PosUnbindException e) {
            if (e.errorCode().retryable() || e.errorCode() == CoreErrorCode.UNBINDER_CLOSED) {
                store.updateRow(row.moved(BatchRowStatus.PENDING, Optional.empty(), Optional.empty(), Optional.empty(),
                        clock.instant()), current);
                LOG.debug("Row {} of batch {} goes back to pending: {}", row.rowNumber(), row.batchId(),
                        e.errorCode().code());
            } else {
                notStarted(row, current, BatchRowStatus.REFUSED_AT_START, Optional.of(e.errorCode().code()),
                        Optional.of(SensitiveNumberScrubber.scrub(e.getMessage())));
            }
            return false;
        }
        events.tell(new BatchEvent.RowStarted(BatchId.of(row.batchId()), clock.instant(), row.rowNumber(), caseId));
        cancelIfBatchCancelled(row, caseId);
        return true;
    }

    /**
     * Another instance may have cancelled the batch between this one's start of the row and the open: the case,
     * due but not run yet, is then cancelled as the batch's cancel would have. A refusal (a worker runs it
     * already) leaves it to an operator's next cancel of the batch, which lists it.
     */
    private void cancelIfBatchCancelled(BatchRowRecord row, CaseId caseId) {
        Optional<BatchRecord> batch = store.load(row.batchId());
        if (batch.isEmpty() || batch.get().state() != BatchState.CANCELLED) {
            return;
        }
        try {
            engine.cancel(caseId, batch.get().requestedBy(), "batch " + row.batchId() + " was cancelled");
        } catch (PosUnbindException e) {
            LOG.warn("Case {} of cancelled batch {} could not be cancelled at once: {}", caseId, row.batchId(),
                    e.errorCode().code());
        }
    }

    /** Ends a row that never became a case, once. */
    boolean notStarted(BatchRowRecord row, BatchRowStatus expected, BatchRowStatus status, Optional<String> errorCode,
            Optional<String> detail) {
        if (!store.updateRow(row.moved(status, Optional.of(status.name()), errorCode, detail, clock.instant()),
                expected)) {
            return false;
        }
        events.tell(new BatchEvent.RowNotStarted(BatchId.of(row.batchId()), clock.instant(), row.rowNumber(), status,
                errorCode));
        return true;
    }

    /** Finishes a batch none of whose rows may still change: running or paused ones become FINISHED. */
    void finishIfDone(BatchRecord batch) {
        Map<BatchRowStatus, Integer> counts = store.countRows(batch.batchId());
        if (counts.getOrDefault(BatchRowStatus.PENDING, 0) > 0 || counts.getOrDefault(BatchRowStatus.STARTED, 0) > 0) {
            return;
        }
        Instant now = clock.instant();
        BatchState to = batch.state() == BatchState.CANCELLED ? BatchState.CANCELLED : BatchState.FINISHED;
        for (BatchState from : List.of(batch.state(), BatchState.RUNNING, BatchState.PAUSED)) {
            if (store.changeState(batch.batchId(), from, to, Optional.of(now))) {
                if (from != to) {
                    events.tell(new BatchEvent.StateChanged(BatchId.of(batch.batchId()), now, from, to));
                }
                LOG.info("Batch {} finished as {}", batch.batchId(), to);
                return;
            }
        }
    }
}
