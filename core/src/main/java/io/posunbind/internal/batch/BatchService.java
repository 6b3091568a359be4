package io.posunbind.internal.batch;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditTrail;
import io.posunbind.batch.BatchCancellation;
import io.posunbind.batch.BatchEvent;
import io.posunbind.batch.BatchFile;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchListener;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchProgress;
import io.posunbind.batch.BatchReport;
import io.posunbind.batch.BatchReportRow;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchRowProblem;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.batch.Batches;
import io.posunbind.internal.engine.UnbindEngine;
import io.posunbind.keys.DataKeyProvider;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Batches} on a case store's {@link BatchStore}: the commands (open, pause, resume, cancel) and queries
 * (progress, report) of fleet unbinds; the {@link BatchRunner} starts the rows. See {@link Batches} for the
 * behaviour. Thread-safe.
 */
public final class BatchService implements Batches {

    private static final Logger LOG = LoggerFactory.getLogger("io.posunbind.batches");

    /** Rows read per page of a report or a cancel. */
    private static final int PAGE = 1_000;

    private final Optional<BatchStore> store;
    private final CaseStore cases;
    private final UnbindEngine engine;
    private final Supplier<Set<String>> providerIds;
    private final Clock clock;
    private final BatchRequests requests;
    private final BatchEvents events = new BatchEvents();
    private final BatchRunner runner;
    private final BatchAudit audit;

    /**
     * Batches of an engine.
     *
     * @param cases       the engine's case store, whose {@link CaseStore#batches()} keeps the batches
     * @param providerIds the ids of the providers the engine can use
     * @param keys        the data keys that encrypt sensitive numbers in rows waiting to start
     * @param trail       where each command, done or refused, is recorded; may be null
     */
    public BatchService(CaseStore cases, UnbindEngine engine, Supplier<Set<String>> providerIds, DataKeyProvider keys,
            Clock clock, AuditTrail trail) {
        this.cases = Objects.requireNonNull(cases, "cases");
        this.store = cases.batches();
        this.engine = Objects.requireNonNull(engine, "engine");
        this.providerIds = Objects.requireNonNull(providerIds, "providerIds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requests = new BatchRequests(keys);
        this.audit = new BatchAudit(trail);
        this.runner = store.map(batches -> new BatchRunner(batches, cases, engine, requests, events, clock))
                .orElse(null);
    }

    /**
     * Starts the rows that may start now and records the cases that ended; run before every look for due work.
     * A worker's looks do it at most once a second of the engine's clock (a look follows every case a worker
     * ends, and each reads the batch's open cases), unless a batch was opened, resumed or cancelled since;
     * a caller's {@code runDueWork} always does it. Never throws.
     *
     * @param callerAsked whether a caller's {@code runDueWork} looks, rather than a worker
     */
    public void startDueRows(boolean callerAsked) {
        if (runner != null) {
            runner.startDueRows(callerAsked);
        }
    }

    @Override
    public BatchId open(BatchId batchId, List<BatchRow> rows, BatchOptions options, Actor requestedBy) {
        Objects.requireNonNull(rows, "rows");
        return open(batchId, rows, List.of(), options, requestedBy);
    }

    @Override
    public BatchId open(BatchId batchId, BatchFile file, BatchOptions options, Actor requestedBy) {
        Objects.requireNonNull(file, "file");
        return open(batchId, file.rows(), file.problems(), options, requestedBy);
    }

    private BatchId open(BatchId batchId, List<BatchRow> rows, List<BatchRowProblem> fileProblems,
            BatchOptions options, Actor requestedBy) {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(requestedBy, "requestedBy");
        try {
            openChecked(batchId, rows, fileProblems, options, requestedBy);
        } catch (PosUnbindException refused) {
            audit.refused(AuditEventTypes.BATCH_OPEN, batchId, requestedBy, refused, Optional.empty(), rows.size());
            throw refused;
        }
        audit.opened(batchId, requestedBy, rows, options);
        runner.lookSoon();
        engine.signalDue(); // workers look now, and start its first rows
        return batchId;
    }

    private void openChecked(BatchId batchId, List<BatchRow> rows, List<BatchRowProblem> fileProblems,
            BatchOptions options, Actor requestedBy) {
        BatchStore batches = batches();
        // A retry of an open that was stored (after a timeout, say) is told so, rather than that every row's
        // terminal waits in a batch (its own); the insert below still settles a race between two opens.
        if (batches.load(batchId.value()).isPresent()) {
            throw new PosUnbindException(CoreErrorCode.BATCH_EXISTS, "Batch " + batchId + " exists already; read"
                    + " its progress, or open the new batch under another id");
        }
        List<BatchRowProblem> problems = new ArrayList<>(fileProblems);
        if (!rows.isEmpty() || fileProblems.isEmpty()) { // a file none of whose rows was read has said why
            problems.addAll(new BatchValidator(cases, batches, engine::capabilityProblems).problems(rows,
                    providerIds.get()));
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(BatchRowProblem::rowNumber));
            throw new BatchValidationException(problems);
        }
        Instant now = clock.instant();
        List<BatchRowRecord> records = new ArrayList<>(rows.size());
        for (BatchRow row : rows) {
            records.add(new BatchRowRecord(batchId.value(), row.rowNumber(), row.request().providerId(),
                    row.request().terminalSerial(), row.timeZone().orElse(options.defaultTimeZone()).getId(),
                    requests.write(row.request()), batchId.caseIdOf(row.rowNumber()).value(), BatchRowStatus.PENDING,
                    Optional.empty(), Optional.empty(), Optional.empty(), now));
        }
        batches.insert(new BatchRecord(batchId.value(), BatchState.RUNNING, options, requestedBy, rows.size(), now,
                Optional.empty(), Optional.empty()), records);
        LOG.info("Batch {} opened by {} with {} rows", batchId, requestedBy.id(), rows.size());
    }

    @Override
    public BatchProgress progress(BatchId batchId) {
        BatchRecord batch = require(batchId);
        if (batch.finishedAt().isEmpty()) {
            runner.followStarted(batch, false);
            runner.finishIfDone(batch);
            batch = require(batchId);
        }
        BatchStore batches = batches();
        Map<BatchRowStatus, Integer> rows = new EnumMap<>(BatchRowStatus.class);
        for (BatchRowStatus status : BatchRowStatus.values()) {
            rows.put(status, 0);
        }
        rows.putAll(batches.countRows(batchId.value()));
        Map<CaseState, Integer> casesByState = new EnumMap<>(CaseState.class);
        batches.countOutcomes(batchId.value()).forEach((outcome, count) -> casesByState.merge(CaseState.valueOf(outcome),
                count, Integer::sum));
        Map<WaitReason, Integer> waiting = new EnumMap<>(WaitReason.class);
        for (BatchRowRecord row : batches.rowsIn(batchId.value(), BatchRowStatus.STARTED, Integer.MAX_VALUE)) {
            // The stored record's columns say enough; the case's document is not decoded.
            cases.load(row.caseId()).ifPresent(record -> {
                casesByState.merge(CaseState.valueOf(record.state()), 1, Integer::sum);
                record.waitReason().ifPresent(reason -> waiting.merge(WaitReason.valueOf(reason), 1, Integer::sum));
            });
        }
        Instant now = clock.instant();
        int done = rows.get(BatchRowStatus.ENDED) + rows.get(BatchRowStatus.REFUSED_AT_START);
        int left = rows.get(BatchRowStatus.PENDING) + rows.get(BatchRowStatus.STARTED);
        double perHour = 0;
        Optional<Duration> timeLeft = left == 0 ? Optional.of(Duration.ZERO) : Optional.empty();
        if (batch.firstStartedAt().isPresent() && done > 0) {
            long elapsedMillis = Math.max(1, Duration.between(batch.firstStartedAt().get(),
                    batch.finishedAt().orElse(now)).toMillis());
            perHour = done * 3_600_000.0 / elapsedMillis;
            if (left > 0) {
                timeLeft = Optional.of(Duration.ofMillis((long) Math.ceil(left * 3_600_000.0 / perHour)));
            }
        }
        return new BatchProgress(batchId, batch.state(), batch.rowCount(), rows, casesByState, waiting,
                batch.firstStartedAt(), perHour, timeLeft, now);
    }

    @Override
    public void pause(BatchId batchId, Actor actor) {
        move(batchId, actor, BatchState.RUNNING, BatchState.PAUSED, AuditEventTypes.BATCH_PAUSE);
        audit.paused(batchId, actor);
    }

    @Override
    public void resume(BatchId batchId, Actor actor) {
        move(batchId, actor, BatchState.PAUSED, BatchState.RUNNING, AuditEventTypes.BATCH_RESUME);
        audit.resumed(batchId, actor);
        runner.lookSoon();
        engine.signalDue();
    }

    private void move(BatchId batchId, Actor actor, BatchState from, BatchState to, String eventType) {
        Objects.requireNonNull(actor, "actor");
        String command = eventType.substring("BATCH_".length()).toLowerCase(Locale.ROOT);
        BatchRecord batch;
        try {
            batch = require(batchId);
            if (!batches().changeState(batchId.value(), from, to, Optional.empty())) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED, "Batch " + batchId + " is "
                        + require(batchId).state() + ", so it cannot " + command + "; only a " + from + " batch can");
            }
        } catch (PosUnbindException refused) {
            audit.refused(eventType, batchId, actor, refused, stateOf(batchId), 0);
            throw refused;
        }
        LOG.info("Batch {} {}d by {}", batchId, command, actor.id());
        events.tell(new BatchEvent.StateChanged(batchId, clock.instant(), batch.state(), to));
    }

    @Override
    public BatchCancellation cancel(BatchId batchId, Actor actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        try {
            require(batchId);
            return runner.exclusively(() -> cancelExclusively(batchId, actor, reason));
        } catch (PosUnbindException refused) {
            audit.refused(AuditEventTypes.BATCH_CANCEL, batchId, actor, refused, stateOf(batchId), 0);
            throw refused;
        }
    }

    /** The batch's state as stored, for the record of a refusal; empty when it cannot be read. */
    private Optional<BatchState> stateOf(BatchId batchId) {
        try {
            return store.flatMap(batches -> batches.load(batchId.value())).map(BatchRecord::state);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private BatchCancellation cancelExclusively(BatchId batchId, Actor actor, String reason) {
        BatchRecord batch = require(batchId);
        BatchStore batches = batches();
        if (batch.state() != BatchState.CANCELLED) {
            BatchState from = batch.state();
            boolean moved = from.isActive() && batches.changeState(batchId.value(), from, BatchState.CANCELLED,
                    Optional.empty());
            if (!moved) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED, "Batch " + batchId + " is "
                        + require(batchId).state() + " and cannot be cancelled");
            }
            LOG.info("Batch {} cancelled by {}", batchId, actor.id());
            events.tell(new BatchEvent.StateChanged(batchId, clock.instant(), from, BatchState.CANCELLED));
        }
        int cancelledBeforeStart = 0;
        for (List<BatchRowRecord> page = batches.rowsIn(batchId.value(), BatchRowStatus.PENDING, PAGE);
                !page.isEmpty(); page = batches.rowsIn(batchId.value(), BatchRowStatus.PENDING, PAGE)) {
            for (BatchRowRecord row : page) {
                // A row a worker starts at this moment is not pending any more: the cancel finds it started below.
                if (runner.notStarted(row, BatchRowStatus.PENDING, BatchRowStatus.CANCELLED_BEFORE_START,
                        Optional.empty(), Optional.empty())) {
                    cancelledBeforeStart++;
                }
            }
        }
        List<CaseId> cancelled = new ArrayList<>();
        List<BatchCancellation.Refusal> refused = new ArrayList<>();
        for (BatchRowRecord row : batches.rowsIn(batchId.value(), BatchRowStatus.STARTED, Integer.MAX_VALUE)) {
            CaseId caseId = CaseId.of(row.caseId());
            Optional<CaseSnapshot> snapshot = engine.find(caseId);
            if (snapshot.isEmpty() || !snapshot.get().state().isOpen()) {
                continue; // not stored yet, or ended: the runner below records it
            }
            try {
                cancelled.add(engine.cancel(caseId, actor, reason).id());
            } catch (PosUnbindException e) {
                refused.add(new BatchCancellation.Refusal(row.rowNumber(), caseId, e.errorCode().code(),
                        SensitiveNumberScrubber.scrub(e.getMessage())));
            }
        }
        BatchRecord now = require(batchId);
        runner.followStarted(now, false);
        runner.finishIfDone(now);
        BatchCancellation done = new BatchCancellation(batchId, cancelledBeforeStart, cancelled, refused);
        audit.cancelled(batchId, actor, batch.state(), reason, done);
        return done;
    }

    @Override
    public BatchReport report(BatchId batchId) {
        BatchRecord batch = require(batchId);
        BatchStore batches = batches();
        List<BatchReportRow> lines = new ArrayList<>(batch.rowCount());
        int after = 0;
        for (List<BatchRowRecord> page = batches.rows(batchId.value(), after, PAGE); !page.isEmpty();
                page = batches.rows(batchId.value(), after, PAGE)) {
            for (BatchRowRecord row : page) {
                lines.add(line(row));
                after = row.rowNumber();
            }
        }
        return new BatchReport(batchId, batch.state(), lines);
    }

    private BatchReportRow line(BatchRowRecord row) {
        Optional<CaseId> caseId = row.status() == BatchRowStatus.STARTED || row.status() == BatchRowStatus.ENDED
                ? Optional.of(CaseId.of(row.caseId())) : Optional.empty();
        String outcome = row.outcome().orElse(row.status().name());
        Optional<String> errorCode = row.errorCode();
        Optional<String> detail = row.detail();
        if (row.status() == BatchRowStatus.STARTED) {
            outcome = cases.load(row.caseId()).map(CaseRecord::state).orElse(BatchRowStatus.STARTED.name());
        }
        return new BatchReportRow(row.rowNumber(), row.terminalSerial(), row.providerId(), caseId, row.status(),
                outcome, errorCode, detail);
    }

    @Override
    public void listen(BatchListener listener) {
        events.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public boolean stopListening(BatchListener listener) {
        return events.remove(Objects.requireNonNull(listener, "listener"));
    }

    private BatchRecord require(BatchId batchId) {
        Objects.requireNonNull(batchId, "batchId");
        return batches().load(batchId.value()).orElseThrow(() -> new PosUnbindException(CoreErrorCode.BATCH_NOT_FOUND,
                "No batch has the id " + batchId));
    }

    private BatchStore batches() {
        return store.orElseThrow(() -> new PosUnbindException(CoreErrorCode.BATCHES_UNSUPPORTED, "This case store"
                + " keeps no batches; use JdbcCaseStore or InMemoryCaseStore, or return a BatchStore from"
                + " CaseStore.batches()"));
    }
}
