package io.posunbind.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.batch.BatchCancellation;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchProgress;
import io.posunbind.batch.BatchReport;
import io.posunbind.batch.BatchRowProblem;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.batch.Batches;
import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpCall;
import io.posunbind.i18n.Messages;
import io.posunbind.json.CancelCommand;
import io.posunbind.json.UnbindJson;
import io.posunbind.rules.RuleViolation;
import io.posunbind.validation.SensitiveNumberScrubber;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /batches} routes: open a batch from JSON rows or a CSV file, read its progress, pause, resume and
 * cancel it, and read its report as CSV or JSON. Each calls the one {@link Batches} method it stands for; the
 * actor comes in the body as for case commands ({@code "actor"}), or in the query of a CSV upload
 * ({@code actorId}, {@code actorRole}). Answers carry ids, counts, states and codes, never a row's card, account
 * or identity number (the report is scrubbed by {@link BatchReport}). Refusals are thrown as the engine throws
 * them; the router turns them into problem documents, a refused batch with every row problem
 * ({@link #refused}). Thread-safe as the unbinder is.
 */
final class BatchRoutes {

    static final String CSV_TYPE = "text/csv; charset=utf-8";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Unbinder unbinder;

    BatchRoutes(Unbinder unbinder) {
        this.unbinder = unbinder;
    }

    /** Carries out a batch route; {@code query} is the raw query string, empty when there is none. */
    HttpAnswer handle(Operation operation, Map<String, String> parameters, String query, HttpCall call) {
        Batches batches = unbinder.batches();
        return switch (operation) {
            case OPEN_BATCH -> {
                BatchBodies.OpenBatch open = isCsv(call.header("Content-Type"))
                        ? BatchBodies.openFromCsv(query, call.body()) : openFromJson(query, call.body());
                BatchId id = unbinder.openBatch(open.batchId(), open.rows(), open.options(), open.actor());
                // Relative to the request's URI (…/batches), so it resolves under any base path.
                yield json(201, progress(batches.progress(id)), Map.of("Location", "batches/" + id.value()));
            }
            case GET_BATCH -> json(200, progress(batches.progress(id(parameters))), Map.of());
            case PAUSE_BATCH -> {
                BatchId id = id(parameters);
                batches.pause(id, BatchBodies.actorOnly(call.body()));
                yield json(200, progress(batches.progress(id)), Map.of());
            }
            case RESUME_BATCH -> {
                BatchId id = id(parameters);
                batches.resume(id, BatchBodies.actorOnly(call.body()));
                yield json(200, progress(batches.progress(id)), Map.of());
            }
            case CANCEL_BATCH -> {
                // The same body, and the same checks of the reason, as cancelling one case.
                CancelCommand command = UnbindJson.readCommand(call.body(), CancelCommand.class);
                BatchCancellation done = batches.cancel(id(parameters), command.actor(), command.reason());
                yield json(200, cancellation(done, AcceptLanguage.choose(call.header("Accept-Language"))),
                        Map.of());
            }
            case GET_BATCH_REPORT -> report(batches.report(id(parameters)), call.header("Accept"));
            default -> throw new IllegalArgumentException("Not a batch route: " + operation);
        };
    }

    /**
     * The answer to a batch refused at validation, listing every problem: {@code row} (0 for the file or the
     * batch as a whole), {@code field}, {@code code}, {@code detail} in the request's language and the reader's
     * own English {@code message}. A file that could not be read as records ({@code UNB-BATCH-FILE-MALFORMED}
     * among the problems) is that code's 400; rows that were read but are wrong are {@code UNB-BATCH-INVALID}'s
     * 422.
     */
    static HttpAnswer refused(BatchValidationException refused, Locale locale, String instance) {
        boolean unreadable = refused.problems().stream()
                .anyMatch(problem -> problem.code().equals(CoreErrorCode.BATCH_FILE_MALFORMED.code()));
        CoreErrorCode code = unreadable ? CoreErrorCode.BATCH_FILE_MALFORMED : CoreErrorCode.BATCH_INVALID;
        Messages messages = Messages.forLocale(locale);
        List<Map<String, Object>> errors = new ArrayList<>(refused.problems().size());
        for (BatchRowProblem problem : refused.problems()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("row", problem.rowNumber());
            error.put("field", problem.field());
            error.put("code", problem.code());
            error.put("detail", messages.describe(new RuleViolation(problem.code(), problem.field(),
                    problem.message())));
            // The reader's words never quote a row's values; scrubbed all the same.
            error.put("message", SensitiveNumberScrubber.scrub(problem.message()));
            errors.add(error);
        }
        return Problems.of(code, HttpStatuses.statusOf(code), locale, instance, List.of(),
                Map.of("errors", errors), Map.of());
    }

    /** {@code text/csv}, in UTF-8 when a charset is named. */
    static boolean isCsv(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals("text/csv")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("charset=") && !parameter.substring(8).replace("\"", "").equals("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static BatchBodies.OpenBatch openFromJson(String query, byte[] body) {
        if (!query.isEmpty()) {
            // A JSON body carries the batch id, actor and options itself; a query would be silently ignored.
            throw new InvalidRequestException("The batch is malformed", List.of(new RuleViolation(
                    CoreErrorCode.INVALID_REQUEST.code(), "query", "a JSON batch carries batchId, actor and options"
                    + " in its body; the query parameters are for a CSV upload (Content-Type: text/csv)")));
        }
        return BatchBodies.openFromJson(body);
    }

    private static BatchId id(Map<String, String> parameters) {
        return BatchId.of(parameters.get("id"));
    }

    private static ObjectNode progress(BatchProgress progress) {
        ObjectNode root = JSON.createObjectNode();
        root.put("batchId", progress.batchId().value());
        root.put("state", progress.state().name());
        root.put("rows", progress.rows());
        ObjectNode rows = root.putObject("rowsByStatus");
        for (BatchRowStatus status : BatchRowStatus.values()) {
            rows.put(status.name(), progress.rows(status));
        }
        ObjectNode cases = root.putObject("casesByState");
        for (CaseState state : CaseState.values()) {
            if (progress.casesByState().containsKey(state)) {
                cases.put(state.name(), progress.cases(state));
            }
        }
        ObjectNode waiting = root.putObject("waitingFor");
        for (WaitReason reason : WaitReason.values()) {
            if (progress.waitingFor().containsKey(reason)) {
                waiting.put(reason.name(), progress.waiting(reason));
            }
        }
        progress.firstStartedAt().ifPresent(at -> root.put("firstStartedAt", at.toString()));
        root.put("throughputPerHour", progress.throughputPerHour());
        progress.estimatedTimeLeft().ifPresent(left -> root.put("estimatedTimeLeft", left.toString()));
        root.put("asOf", progress.asOf().toString());
        return root;
    }

    private static ObjectNode cancellation(BatchCancellation done, Locale locale) {
        Messages messages = Messages.forLocale(locale);
        ObjectNode root = JSON.createObjectNode();
        root.put("batchId", done.batchId().value());
        root.put("rowsCancelledBeforeStart", done.rowsCancelledBeforeStart());
        ArrayNode cancelled = root.putArray("casesCancelled");
        done.casesCancelled().stream().map(CaseId::value).forEach(cancelled::add);
        ArrayNode refused = root.putArray("notCancelled");
        for (BatchCancellation.Refusal refusal : done.notCancelled()) {
            ObjectNode line = refused.addObject();
            line.put("row", refusal.rowNumber());
            line.put("caseId", refusal.caseId().value());
            line.put("code", refusal.errorCode());
            line.put("detail", messages.codeText(refusal.errorCode()).orElse(refusal.errorCode()));
            line.put("message", SensitiveNumberScrubber.scrub(refusal.message()));
        }
        return root;
    }

    private static HttpAnswer report(BatchReport report, Optional<String> accept) {
        // The answer depends on Accept: caches must keep the two apart.
        if (ReportFormat.prefersCsv(accept)) {
            return new HttpAnswer(200, CSV_TYPE, report.toCsv().getBytes(StandardCharsets.UTF_8), Map.of(
                    "Vary", "Accept", "Content-Disposition",
                    "attachment; filename=\"" + report.batchId().value() + "-report.csv\""));
        }
        return new HttpAnswer(200, CaseRoutes.JSON_TYPE, report.toJson().getBytes(StandardCharsets.UTF_8),
                Map.of("Vary", "Accept"));
    }

    private static HttpAnswer json(int status, ObjectNode body, Map<String, String> headers) {
        return new HttpAnswer(status, CaseRoutes.JSON_TYPE, Problems.bytes(body), headers);
    }
}
