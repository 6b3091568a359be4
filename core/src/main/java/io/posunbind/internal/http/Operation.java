package io.posunbind.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The routes of the HTTP API, one constant each: its method, its path template below the base path, and
 * the {@code operationId} that describes it in {@code io/posunbind/http/openapi.yaml} (a test keeps the two
 * in step). Templates are matched segment by segment; a {@code {name}} segment matches any one non-empty
 * segment.
 */
public enum Operation {
    /** Opens a case from an unbind request. */
    OPEN_CASE("POST", "/cases", "openCase", false),
    /** Opens a case under the caller's id, idempotently: a retry after a timeout answers the same case. */
    OPEN_CASE_WITH_ID("PUT", "/cases/{id}", "openCaseWithId", false),
    /** Finds cases by a filter, a page at a time. */
    FIND_CASES("GET", "/cases", "findCases", false),
    /** Reads one case. */
    GET_CASE("GET", "/cases/{id}", "getCase", false),
    /** Hands in documents. */
    SUBMIT_DOCUMENTS("POST", "/cases/{id}/documents", "submitDocuments", false),
    /** Agrees to the fee quote. */
    CONSENT_TO_FEES("POST", "/cases/{id}/consent", "consentToFees", false),
    /** Declines the fees. */
    DECLINE_FEES("POST", "/cases/{id}/decline-fees", "declineFees", false),
    /** Records the institution's decision. */
    RECORD_DECISION("POST", "/cases/{id}/decision", "recordDecision", false),
    /** Answers a verification challenge. */
    ANSWER_VERIFICATION("POST", "/cases/{id}/verification-answer", "answerVerification", false),
    /** The platform's reviewer approves or rejects. */
    REVIEW_INTERNALLY("POST", "/cases/{id}/internal-review", "reviewInternally", false),
    /** Cancels the case. */
    CANCEL("POST", "/cases/{id}/cancel", "cancelCase", false),
    /** Puts a failed case back to work. */
    RETRY("POST", "/cases/{id}/retry", "retryCase", false),
    /** Opens a batch of unbinds from JSON rows or a CSV file. */
    OPEN_BATCH("POST", "/batches", "openBatch", false),
    /** Reads how far a batch got. */
    GET_BATCH("GET", "/batches/{id}", "getBatch", false),
    /** Stops a batch's rows from starting. */
    PAUSE_BATCH("POST", "/batches/{id}/pause", "pauseBatch", false),
    /** Lets a paused batch's rows start again. */
    RESUME_BATCH("POST", "/batches/{id}/resume", "resumeBatch", false),
    /** Cancels a batch: rows not started, and its open cases by their cancel rules. */
    CANCEL_BATCH("POST", "/batches/{id}/cancel", "cancelBatch", false),
    /** A batch's report, one line per row, as CSV or JSON. */
    GET_BATCH_REPORT("GET", "/batches/{id}/report", "getBatchReport", false),
    /** A provider's notification, in its own format. */
    ACCEPT_CALLBACK("POST", "/callbacks/{providerId}", "acceptCallback", true);

    private final String method;
    private final String template;
    private final String operationId;
    private final boolean callback;
    private final String[] segments;

    Operation(String method, String template, String operationId, boolean callback) {
        this.method = method;
        this.template = template;
        this.operationId = operationId;
        this.callback = callback;
        this.segments = template.substring(1).split("/");
    }

    /** The HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** The path template, as in the OpenAPI description, for example {@code /cases/{id}/consent}. */
    public String template() {
        return template;
    }

    /** The OpenAPI {@code operationId}. */
    public String operationId() {
        return operationId;
    }

    /** Whether this is the providers' callback route rather than a case command. */
    public boolean callback() {
        return callback;
    }

    /** Whether this is one of the {@code /batches} routes. */
    public boolean batch() {
        return template.startsWith("/batches");
    }

    /** What a path matched: the operation for the method, or the methods the path takes, or nothing. */
    record Match(Optional<Operation> operation, Map<String, String> parameters, List<String> allowed) {
    }

    /**
     * Finds the route of a path (without its query) and method.
     *
     * @param path            the path without its query, starting with {@code /}; a trailing {@code /} is ignored
     * @param method          the method, any case
     * @param commandsServed  whether the {@code /cases} routes are served
     * @param callbacksServed whether the callback route is served
     * @return the match: no operation and no methods when no served route has this path
     */
    static Match match(String path, String method, boolean commandsServed, boolean callbacksServed) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] actual = trimmed.startsWith("/") ? trimmed.substring(1).split("/", -1) : new String[] {""};
        String wanted = method.toUpperCase(Locale.ROOT);
        TreeSet<String> allowed = new TreeSet<>();
        for (Operation operation : values()) {
            if (operation.callback ? !callbacksServed : !commandsServed) {
                continue;
            }
            Optional<Map<String, String>> parameters = operation.bind(actual);
            if (parameters.isEmpty()) {
                continue;
            }
            allowed.add(operation.method);
            if (operation.method.equals(wanted)) {
                return new Match(Optional.of(operation), parameters.get(), List.of());
            }
        }
        return new Match(Optional.empty(), Map.of(), new ArrayList<>(allowed));
    }

    private Optional<Map<String, String>> bind(String[] actual) {
        if (actual.length != segments.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new TreeMap<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{")) {
                if (actual[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 1), actual[i]);
            } else if (!segment.equals(actual[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
