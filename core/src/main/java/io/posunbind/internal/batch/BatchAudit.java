package io.posunbind.internal.batch;

import io.posunbind.Actor;
import io.posunbind.audit.AffectedResource;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.audit.AuditTrail;
import io.posunbind.batch.BatchCancellation;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchRowProblem;
import io.posunbind.batch.BatchState;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.validation.SensitiveNumberScrubber;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one record to the audit trail per batch command, done or refused: who (the actor), what (the batch,
 * and what the command did or why it was refused), the outcome; the trail stamps the time with its clock. The
 * batch is the record's resource ({@link AffectedResource#ofBatch}). Details carry ids, counts, options and
 * codes only: never a row's values (its terminal serial, merchant number or any number of its request); the
 * rows' own cases are audited with their terminal and merchant as every case is.
 *
 * <p>Best effort, as the engine's record of a case command is: the command committed (or was refused)
 * already, and a trail that fails must not turn either into another answer. A record the trail did not take is
 * logged at WARN with its detail instead. Thread-safe.
 */
final class BatchAudit {

    private static final Logger LOG = LoggerFactory.getLogger("io.posunbind.batches");
    /** Batch commands come through the API, like case commands. */
    private static final String ORIGIN = "api";
    /** How many of the cases a cancel could not end are named one by one; the rest are counted. */
    private static final int REFUSALS_NAMED = 10;

    /** Where the records go; null when the unbinder has no trail. */
    private final AuditTrail trail;

    BatchAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void opened(BatchId batchId, Actor actor, List<BatchRow> rows, BatchOptions options) {
        String providers = rows.stream().map(row -> row.request().providerId())
                .collect(Collectors.toCollection(TreeSet::new)).toString();
        append(AuditEventTypes.BATCH_OPEN, batchId, actor, AuditOutcome.SUCCESS, "OPEN " + rows.size()
                + " rows, providers " + providers + ", " + describe(options));
    }

    void paused(BatchId batchId, Actor actor) {
        append(AuditEventTypes.BATCH_PAUSE, batchId, actor, AuditOutcome.SUCCESS, "PAUSE: RUNNING to PAUSED");
    }

    void resumed(BatchId batchId, Actor actor) {
        append(AuditEventTypes.BATCH_RESUME, batchId, actor, AuditOutcome.SUCCESS, "RESUME: PAUSED to RUNNING");
    }

    void cancelled(BatchId batchId, Actor actor, BatchState from, String reason, BatchCancellation done) {
        StringBuilder detail = new StringBuilder("CANCEL")
                .append(from == BatchState.CANCELLED ? " again (cancelled before)" : ": " + from + " to CANCELLED")
                .append(", ").append(done.rowsCancelledBeforeStart()).append(" rows ended before their start, ")
                .append(done.casesCancelled().size()).append(" cases cancelled, ")
                .append(done.notCancelled().size()).append(" not cancelled");
        List<BatchCancellation.Refusal> refused = done.notCancelled();
        if (!refused.isEmpty()) {
            detail.append(refused.stream().limit(REFUSALS_NAMED)
                    .map(refusal -> "row " + refusal.rowNumber() + " case " + refusal.caseId().value() + " "
                            + refusal.errorCode())
                    .collect(Collectors.joining("; ", " (", refused.size() > REFUSALS_NAMED
                            ? "; and " + (refused.size() - REFUSALS_NAMED) + " more)" : ")")));
        }
        // The reason last: the trail cuts a long detail, and the counts matter more. Numbers in it are masked.
        detail.append("; reason: ").append(reason);
        append(AuditEventTypes.BATCH_CANCEL, batchId, actor, AuditOutcome.SUCCESS, detail.toString());
    }

    /**
     * A refused command: its code, and for a batch refused at validation how many rows and problems, with the
     * count per problem code (never the rows' values).
     *
     * @param state the batch's state when known, which says why a pause or resume was refused
     */
    void refused(String eventType, BatchId batchId, Actor actor, PosUnbindException refusal,
            Optional<BatchState> state, int rows) {
        StringBuilder detail = new StringBuilder(command(eventType)).append(" refused ")
                .append(refusal.errorCode().code());
        if (refusal instanceof BatchValidationException invalid) {
            Map<String, Integer> byCode = new TreeMap<>();
            for (BatchRowProblem problem : invalid.problems()) {
                byCode.merge(problem.code(), 1, Integer::sum);
            }
            detail.append(": ").append(rows).append(" rows, ").append(invalid.problems().size())
                    .append(" problems ").append(byCode.entrySet().stream()
                            .map(entry -> entry.getKey() + " x" + entry.getValue())
                            .collect(Collectors.joining(", ", "(", ")")));
        }
        state.ifPresent(current -> detail.append(": the batch is ").append(current));
        append(eventType, batchId, actor, AuditOutcome.FAILURE, detail.toString());
    }

    private static String command(String eventType) {
        return eventType.substring("BATCH_".length());
    }

    private static String describe(BatchOptions options) {
        return "start window " + options.startWindow().map(window -> window.from() + "-" + window.until()
                + " merchant time").orElse("none (any time)") + ", default time zone " + options.defaultTimeZone()
                + ", at most " + options.maxCasesInFlight() + " cases in flight";
    }

    private void append(String eventType, BatchId batchId, Actor actor, AuditOutcome outcome, String detail) {
        if (trail == null) {
            return;
        }
        try {
            trail.append(actor, eventType, outcome, ORIGIN, AffectedResource.ofBatch(batchId.value()), detail);
        } catch (RuntimeException e) {
            LOG.warn("The audit trail did not take {} {} of batch {} by {}: {} ({})", eventType, outcome, batchId,
                    actor.id(), SensitiveNumberScrubber.scrub(detail), SensitiveNumberScrubber.scrub(e.toString()));
        }
    }
}
