package io.posunbind.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.http.HttpAnswer;
import io.posunbind.json.CancelCommand;
import io.posunbind.json.DecisionCommand;
import io.posunbind.json.DeclineFeesCommand;
import io.posunbind.json.FeeConsentCommand;
import io.posunbind.json.InternalReviewCommand;
import io.posunbind.json.RetryCommand;
import io.posunbind.json.SubmitDocumentsCommand;
import io.posunbind.json.UnbindJson;
import io.posunbind.json.VerificationAnswerCommand;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@code /cases} routes: each reads its body with {@link UnbindJson} (strict, coded refusals naming the
 * field), calls the one {@link Unbinder} method the command stands for, and answers the case's snapshot as
 * {@link UnbindJson#writeSnapshot} writes it, every sensitive number masked. Refusals are thrown as the
 * engine throws them; the caller turns them into problem documents. Thread-safe as the unbinder is.
 */
final class CaseRoutes {

    static final String JSON_TYPE = "application/json";

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(UnbindJson.module()).build();

    private final Unbinder unbinder;

    CaseRoutes(Unbinder unbinder) {
        this.unbinder = unbinder;
    }

    /** Carries out a case route; {@code query} is the raw query string, empty when there is none. */
    HttpAnswer handle(Operation operation, Map<String, String> parameters, String query, byte[] body) {
        return switch (operation) {
            case OPEN_CASE -> {
                CaseSnapshot opened = unbinder.open(UnbindJson.readRequest(body));
                // Relative to the request's URI (…/cases), so it resolves under any base path.
                yield answer(201, opened, Map.of("Location", "cases/" + opened.id().value()));
            }
            case OPEN_CASE_WITH_ID -> {
                CaseId id = id(parameters);
                UnbindRequest request = UnbindJson.readRequest(body);
                // Only tells 201 from 200: the engine itself de-duplicates, also against a concurrent retry.
                boolean existed = unbinder.find(id).isPresent();
                yield answer(existed ? 200 : 201, unbinder.open(id, request), Map.of());
            }
            case FIND_CASES -> page(CaseQuery.filter(query));
            case GET_CASE -> {
                CaseId id = CaseId.of(parameters.get("id"));
                yield ok(unbinder.find(id).orElseThrow(() -> new PosUnbindException(CoreErrorCode.CASE_NOT_FOUND,
                        "No case has the id " + id.value())));
            }
            case SUBMIT_DOCUMENTS -> {
                SubmitDocumentsCommand command = UnbindJson.readCommand(body, SubmitDocumentsCommand.class);
                yield ok(unbinder.submitDocuments(id(parameters), command.actor(), command.documents()));
            }
            case CONSENT_TO_FEES -> {
                FeeConsentCommand command = UnbindJson.readCommand(body, FeeConsentCommand.class);
                yield ok(unbinder.consentToFees(id(parameters), command.toConsent(unbinder.clock().instant())));
            }
            case DECLINE_FEES -> {
                DeclineFeesCommand command = UnbindJson.readCommand(body, DeclineFeesCommand.class);
                yield ok(unbinder.declineFees(id(parameters), command.actor()));
            }
            case RECORD_DECISION -> {
                DecisionCommand command = UnbindJson.readCommand(body, DecisionCommand.class);
                yield ok(unbinder.recordDecision(id(parameters), command.actor(), command.decision()));
            }
            case ANSWER_VERIFICATION -> {
                VerificationAnswerCommand command = UnbindJson.readCommand(body, VerificationAnswerCommand.class);
                yield ok(unbinder.answerVerification(id(parameters), command.actor(), command.answer()));
            }
            case REVIEW_INTERNALLY -> {
                InternalReviewCommand command = UnbindJson.readCommand(body, InternalReviewCommand.class);
                CaseId id = id(parameters);
                yield ok(command.approves() ? unbinder.approveInternally(id, command.reviewer(), command.note())
                        : unbinder.rejectInternally(id, command.reviewer(), command.note()));
            }
            case CANCEL -> {
                CancelCommand command = UnbindJson.readCommand(body, CancelCommand.class);
                yield ok(unbinder.cancel(id(parameters), command.actor(), command.reason()));
            }
            case RETRY -> {
                RetryCommand command = UnbindJson.readCommand(body, RetryCommand.class);
                yield ok(unbinder.retry(id(parameters), command.actor(), command.reason()));
            }
            case ACCEPT_CALLBACK, OPEN_BATCH, GET_BATCH, PAUSE_BATCH, RESUME_BATCH, CANCEL_BATCH, GET_BATCH_REPORT ->
                    throw new IllegalArgumentException("Not a case route: " + operation);
        };
    }

    private static CaseId id(Map<String, String> parameters) {
        return CaseId.of(parameters.get("id"));
    }

    private HttpAnswer page(CaseFilter filter) {
        List<CaseSnapshot> cases = unbinder.findCases(filter);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("cases");
        cases.forEach(snapshot -> items.add(JSON.valueToTree(snapshot)));
        if (cases.size() == filter.limit()) {
            page.put("next", CaseQuery.cursor(cases.get(cases.size() - 1)));
        }
        return new HttpAnswer(200, JSON_TYPE, Problems.bytes(page), Map.of());
    }

    private static HttpAnswer ok(CaseSnapshot snapshot) {
        return answer(200, snapshot, Map.of());
    }

    private static HttpAnswer answer(int status, CaseSnapshot snapshot, Map<String, String> headers) {
        return new HttpAnswer(status, JSON_TYPE, UnbindJson.writeSnapshot(snapshot).getBytes(StandardCharsets.UTF_8),
                headers);
    }
}
