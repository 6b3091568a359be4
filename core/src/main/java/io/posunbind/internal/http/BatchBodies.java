package io.posunbind.internal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.batch.BatchFile;
import io.posunbind.batch.BatchFiles;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.StartWindow;
import io.posunbind.internal.json.JsonInputProblems;
import io.posunbind.rules.RuleViolation;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the bodies of the {@code /batches} routes: the open command as JSON ({@code {"batchId":…,"actor":…,
 * "rows":[…],"options":{…}}}) or as a CSV file with the batch id, the actor and the options in the query, and
 * the actor-only body of pause and resume. The command's own fields (id, actor, options) are checked first,
 * every problem named by its field or parameter and never echoing a value ({@link InvalidRequestException}, a
 * 400); the rows then go to {@link BatchFiles}, which reports every problem of every row at once. Stateless and
 * thread-safe.
 */
final class BatchBodies {

    /** The parameters of a CSV upload. */
    static final Set<String> CSV_PARAMETERS = Set.of("batchId", "actorId", "actorRole", "startFrom", "startUntil",
            "defaultTimeZone", "maxCasesInFlight");

    private static final Set<String> OPEN_FIELDS = Set.of("batchId", "actor", "rows", "options");
    private static final Set<String> OPTION_FIELDS = Set.of("startWindow", "defaultTimeZone", "maxCasesInFlight");
    private static final Set<String> WINDOW_FIELDS = Set.of("from", "until");
    private static final Set<String> ACTOR_FIELDS = Set.of("id", "role");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private BatchBodies() {
    }

    /** What {@code POST /batches} asks for. */
    record OpenBatch(BatchId batchId, Actor actor, BatchFile rows, BatchOptions options) {
    }

    /** Reads the JSON open command; the rows are read only when the rest is valid. */
    static OpenBatch openFromJson(byte[] body) {
        JsonNode root = tree(body, "batch");
        List<RuleViolation> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw JsonInputProblems.malformed("batch", "batch", "the body is a JSON object with batchId, actor,"
                    + " rows and options");
        }
        unknownFields(root, "", OPEN_FIELDS, problems);
        int before = problems.size();
        Optional<String> id = text(root, "batchId", problems);
        Optional<BatchId> batchId = problems.size() > before ? Optional.empty() : batchId(id, problems);
        Optional<Actor> actor = actor(root.get("actor"), problems);
        BatchOptions options = options(root.get("options"), problems);
        JsonNode rows = root.get("rows");
        if (rows == null || !rows.isArray()) {
            problems.add(problem("rows", "rows is required: a JSON array of objects, one per terminal"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The batch is malformed", problems);
        }
        return new OpenBatch(batchId.orElseThrow(), actor.orElseThrow(), BatchFiles.parseJson(rows.toString(),
                actor.orElseThrow()), options);
    }

    /** Reads a CSV upload: the file is the body, the rest is in the query. */
    static OpenBatch openFromCsv(String query, byte[] body) {
        List<RuleViolation> problems = new ArrayList<>();
        Map<String, String> parameters = parameters(query, problems);
        Optional<BatchId> batchId = batchId(Optional.ofNullable(parameters.get("batchId")), problems);
        Optional<Actor> actor = actor(Optional.ofNullable(parameters.get("actorId")),
                Optional.ofNullable(parameters.get("actorRole")), "actorId", "actorRole", problems);
        BatchOptions.Builder options = BatchOptions.builder();
        window(parameters.get("startFrom"), parameters.get("startUntil"), "startFrom", "startUntil", options,
                problems);
        zone(parameters.get("defaultTimeZone"), "defaultTimeZone", options, problems);
        cap(parameters.get("maxCasesInFlight"), "maxCasesInFlight", options, problems);
        String csv = utf8(body, "csv", problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The batch is malformed", problems);
        }
        return new OpenBatch(batchId.orElseThrow(), actor.orElseThrow(), BatchFiles.parseCsv(csv,
                actor.orElseThrow()), options.build());
    }

    /** Reads {@code {"actor":{"id":…,"role":…}}}, the body of pause and resume. */
    static Actor actorOnly(byte[] body) {
        JsonNode root = tree(body, "batchCommand");
        List<RuleViolation> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw JsonInputProblems.malformed("batchCommand", "batchCommand", "the body is a JSON object with actor");
        }
        unknownFields(root, "", Set.of("actor"), problems);
        Optional<Actor> actor = actor(root.get("actor"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The batch command is malformed", problems);
        }
        return actor.orElseThrow();
    }

    private static JsonNode tree(byte[] body, String what) {
        List<RuleViolation> problems = new ArrayList<>();
        String text = utf8(body, what, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The " + what + " is malformed", problems);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw JsonInputProblems.syntaxProblem(e, what);
        }
        if (root == null || root.isMissingNode()) {
            throw JsonInputProblems.malformed(what, what, "the body holds no JSON value");
        }
        JsonInputProblems.findUnpairedSurrogates(root, "", problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The " + what + " is malformed", problems);
        }
        return root;
    }

    /** Strict UTF-8, as for every JSON body: a broken sequence is refused rather than replaced. */
    private static String utf8(byte[] body, String what, List<RuleViolation> problems) {
        if (body.length == 0) {
            problems.add(problem(what, "the body is empty"));
            return "";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte-order mark carries nothing
        } catch (CharacterCodingException e) {
            problems.add(problem(what, "the body is not valid UTF-8; send it encoded as UTF-8"));
            return "";
        }
    }

    private static void unknownFields(JsonNode node, String path, Set<String> known, List<RuleViolation> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                // The name is not echoed: it is the client's text, and might be anything.
                problems.add(problem(path.isEmpty() ? "batch" : path, "an unknown field; known fields: "
                        + String.join(", ", new TreeSet<>(known))));
            }
        }
    }

    private static Optional<String> text(JsonNode node, String field, List<RuleViolation> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            problems.add(problem(field, field + " has the wrong type; expected a string"));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    private static Optional<BatchId> batchId(Optional<String> value, List<RuleViolation> problems) {
        if (value.isEmpty()) {
            problems.add(problem("batchId", "batchId is required: the caller's id of the batch, so that a retry is"
                    + " recognised"));
            return Optional.empty();
        }
        try {
            return Optional.of(BatchId.of(value.get()));
        } catch (InvalidRequestException invalid) {
            problems.addAll(invalid.violations());
            return Optional.empty();
        }
    }

    private static Optional<Actor> actor(JsonNode node, List<RuleViolation> problems) {
        if (node == null || node.isNull()) {
            problems.add(problem("actor", "actor is required: who opens or steers the batch, {\"id\",\"role\"}"));
            return Optional.empty();
        }
        if (!node.isObject()) {
            problems.add(problem("actor", "actor has the wrong type; expected an object (Actor)"));
            return Optional.empty();
        }
        unknownFields(node, "actor", ACTOR_FIELDS, problems);
        List<RuleViolation> own = new ArrayList<>();
        Optional<String> id = text(node, "id", own);
        Optional<String> role = text(node, "role", own);
        if (!own.isEmpty()) {
            own.forEach(violation -> problems.add(new RuleViolation(violation.code(), "actor." + violation.field(),
                    violation.message())));
            return Optional.empty();
        }
        return actor(id, role, "actor.id", "actor.role", problems);
    }

    private static Optional<Actor> actor(Optional<String> id, Optional<String> role, String idField,
            String roleField, List<RuleViolation> problems) {
        try {
            return Optional.of(new Actor(id.orElse(null), role.orElse(null)));
        } catch (InvalidRequestException invalid) {
            for (RuleViolation violation : invalid.violations()) {
                String field = violation.field().equals("role") ? roleField : idField;
                problems.add(new RuleViolation(violation.code(), field, violation.message()));
            }
            return Optional.empty();
        }
    }

    private static BatchOptions options(JsonNode node, List<RuleViolation> problems) {
        BatchOptions.Builder options = BatchOptions.builder();
        if (node == null || node.isNull()) {
            return options.build();
        }
        if (!node.isObject()) {
            problems.add(problem("options", "options has the wrong type; expected an object"));
            return options.build();
        }
        unknownFields(node, "options", OPTION_FIELDS, problems);
        JsonNode window = node.get("startWindow");
        if (window != null && !window.isNull()) {
            if (window.isObject()) {
                unknownFields(window, "options.startWindow", WINDOW_FIELDS, problems);
                window(textOrProblem(window, "from", "options.startWindow.from", problems),
                        textOrProblem(window, "until", "options.startWindow.until", problems),
                        "options.startWindow.from", "options.startWindow.until", options, problems);
            } else {
                problems.add(problem("options.startWindow", "options.startWindow has the wrong type; expected"
                        + " an object {\"from\":\"23:00\",\"until\":\"05:00\"}"));
            }
        }
        zone(textOrProblem(node, "defaultTimeZone", "options.defaultTimeZone", problems), "options.defaultTimeZone",
                options, problems);
        JsonNode cap = node.get("maxCasesInFlight");
        if (cap != null && !cap.isNull()) {
            if (cap.canConvertToInt() && cap.isIntegralNumber()) {
                cap(String.valueOf(cap.intValue()), "options.maxCasesInFlight", options, problems);
            } else {
                problems.add(problem("options.maxCasesInFlight", "options.maxCasesInFlight is a whole number of at"
                        + " least 1"));
            }
        }
        return options.build();
    }

    private static String textOrProblem(JsonNode node, String name, String field, List<RuleViolation> problems) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(problem(field, field + " has the wrong type; expected a string"));
            return null;
        }
        return value.asText();
    }

    private static void window(String from, String until, String fromField, String untilField,
            BatchOptions.Builder options, List<RuleViolation> problems) {
        if (from == null && until == null) {
            return;
        }
        Optional<LocalTime> start = time(from, fromField, problems);
        Optional<LocalTime> end = time(until, untilField, problems);
        if (start.isPresent() && end.isPresent()) {
            if (start.get().equals(end.get())) {
                problems.add(problem(untilField, untilField + " is the start: give no window to start at any"
                        + " time"));
            } else {
                options.startWindow(StartWindow.between(start.get(), end.get()));
            }
        }
    }

    private static Optional<LocalTime> time(String value, String field, List<RuleViolation> problems) {
        if (value == null) {
            problems.add(problem(field, field + " is required with the other end of the window"));
            return Optional.empty();
        }
        try {
            return Optional.of(LocalTime.parse(value));
        } catch (DateTimeParseException e) {
            problems.add(problem(field, field + " is a time of day such as 23:00"));
            return Optional.empty();
        }
    }

    private static void zone(String value, String field, BatchOptions.Builder options, List<RuleViolation> problems) {
        if (value == null) {
            return;
        }
        try {
            options.defaultTimeZone(ZoneId.of(value));
        } catch (DateTimeException e) {
            problems.add(problem(field, field + " is an IANA time zone such as Asia/Shanghai"));
        }
    }

    private static void cap(String value, String field, BatchOptions.Builder options, List<RuleViolation> problems) {
        if (value == null) {
            return;
        }
        if (value.matches("[0-9]{1,9}") && Integer.parseInt(value) >= 1) {
            options.maxCasesInFlight(Integer.parseInt(value));
        } else {
            problems.add(problem(field, field + " is a whole number of at least 1"));
        }
    }

    private static Map<String, String> parameters(String query, List<RuleViolation> problems) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!CSV_PARAMETERS.contains(name)) {
                problems.add(problem("query", "names a parameter that is not one of "
                        + String.join(", ", new TreeSet<>(CSV_PARAMETERS))));
            } else if (parameters.put(name, value) != null) {
                problems.add(problem(name, name + " is given twice"));
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return "\u0000"; // no parameter has this name, and no value of ours may hold it
        }
    }

    private static RuleViolation problem(String field, String message) {
        return new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field, message);
    }
}
