package io.posunbind.internal.batch;

import io.posunbind.CoreErrorCode;
import io.posunbind.UnbindRequest;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchRowProblem;
import io.posunbind.batch.Batches;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.BatchRowRecord;
import io.posunbind.store.BatchStore;
import io.posunbind.store.CaseStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks every row of a batch before anything is stored, collecting every problem of every row: a batch of
 * 20,000 terminals with three bad rows is answered with those three, not with the first. A row's provider must
 * be known and able to carry its request out (as opening its case checks), its terminal once in the batch, with
 * no open case and no row waiting in another batch. The requests
 * themselves were checked when they were built (their codes come with the file's problems, see
 * {@code BatchFiles}). Stateless apart from its stores.
 */
final class BatchValidator {

    private final CaseStore cases;
    private final BatchStore batches;
    /** What a request's provider lacks for it, as opening its case would find. */
    private final Function<UnbindRequest, List<RuleViolation>> capabilityProblems;

    BatchValidator(CaseStore cases, BatchStore batches,
            Function<UnbindRequest, List<RuleViolation>> capabilityProblems) {
        this.cases = cases;
        this.batches = batches;
        this.capabilityProblems = capabilityProblems;
    }

    List<BatchRowProblem> problems(List<BatchRow> rows, Set<String> providerIds) {
        List<BatchRowProblem> problems = new ArrayList<>();
        if (rows.isEmpty()) {
            problems.add(new BatchRowProblem(0, CoreErrorCode.BATCH_INVALID.code(), "", "a batch has at least one row"));
        } else if (rows.size() > Batches.MAX_ROWS) {
            problems.add(new BatchRowProblem(0, CoreErrorCode.BATCH_INVALID.code(), "", "a batch has at most "
                    + Batches.MAX_ROWS + " rows, this one " + rows.size() + "; split it"));
        }
        Set<Integer> numbers = new HashSet<>();
        Map<List<String>, Integer> firstRowOfTerminal = new HashMap<>();
        for (BatchRow row : rows) {
            int number = row.rowNumber();
            UnbindRequest request = row.request();
            if (!numbers.add(number)) {
                problems.add(new BatchRowProblem(number, CoreErrorCode.BATCH_ROW_NUMBER_TAKEN.code(), "row",
                        "another row has the number " + number + "; give each row its own"));
            }
            if (!providerIds.contains(request.providerId())) {
                problems.add(new BatchRowProblem(number, CoreErrorCode.BATCH_UNKNOWN_PROVIDER.code(), "provider",
                        "provider " + request.providerId() + " is not one of this unbinder's: " + providerIds));
                continue;
            }
            if (lacksCapabilities(number, request, problems)) {
                continue;
            }
            List<String> terminal = List.of(request.providerId(), request.terminalSerial());
            Integer first = firstRowOfTerminal.putIfAbsent(terminal, number);
            if (first != null) {
                problems.add(new BatchRowProblem(number, CoreErrorCode.BATCH_DUPLICATE_TERMINAL.code(),
                        "terminal_serial", "terminal " + request.terminalSerial() + " is unbound by row " + first
                        + " already; keep one of the two"));
                continue;
            }
            List<String> openCases = cases.findOpenCaseIds(request.providerId(), request.terminalSerial());
            if (!openCases.isEmpty()) {
                problems.add(new BatchRowProblem(number, CoreErrorCode.TERMINAL_ALREADY_IN_CASE.code(),
                        "terminal_serial", "terminal " + request.terminalSerial() + " has an open case, "
                        + openCases.get(0) + "; finish or cancel it, or leave the row out"));
                continue;
            }
            List<BatchRowRecord> waiting = batches.pendingRowsOfTerminal(request.providerId(),
                    request.terminalSerial());
            if (!waiting.isEmpty()) {
                problems.add(new BatchRowProblem(number, CoreErrorCode.BATCH_TERMINAL_IN_BATCH.code(),
                        "terminal_serial", "terminal " + request.terminalSerial() + " waits to start as row "
                        + waiting.get(0).rowNumber() + " of batch " + waiting.get(0).batchId()
                        + "; cancel that batch, or leave the row out"));
            }
        }
        problems.sort((a, b) -> Integer.compare(a.rowNumber(), b.rowNumber()));
        return problems;
    }

    /** Adds what the provider lacks for the row's request (a binding it cannot undo, ...); whether it lacks any. */
    private boolean lacksCapabilities(int number, UnbindRequest request, List<BatchRowProblem> problems) {
        List<RuleViolation> lacking;
        try {
            lacking = capabilityProblems.apply(request);
        } catch (PosUnbindException e) {
            problems.add(new BatchRowProblem(number, e.errorCode().code(), "provider", "provider "
                    + request.providerId() + " could not say what it offers; fix its adapter"));
            return true;
        }
        for (RuleViolation violation : lacking) {
            problems.add(new BatchRowProblem(number, violation.code(), violation.field(), violation.message()));
        }
        return !lacking.isEmpty();
    }
}
