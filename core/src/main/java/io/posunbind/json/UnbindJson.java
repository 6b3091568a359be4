package io.posunbind.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.internal.input.InputText;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.internal.json.PublicJsonModule;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.validation.ValidationCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads JSON input into posunbind's values and writes snapshots as JSON.
 *
 * <pre>{@code
 * UnbindRequest request = UnbindJson.readRequest(httpBody);      // InvalidRequestException when malformed
 * List<Document> documents = UnbindJson.readDocuments(otherBody);
 * CancelCommand cancel = UnbindJson.readCommand(body, CancelCommand.class);
 * String json = UnbindJson.writeSnapshot(snapshot);               // sensitive numbers masked
 * objectMapper.registerModule(UnbindJson.module());               // the same JSON from the host's own mapper
 * }</pre>
 *
 * <p>Input is limited to {@value #MAX_INPUT_BYTES} bytes of UTF-8, 32 levels of nesting and strings of
 * 64 KiB. Bytes are always read as UTF-8 (never guessed as UTF-16 or UTF-32); a byte sequence that is not
 * UTF-8, a key that appears twice in one object, and a {@code \ud800}-style escape or raw character that
 * leaves a surrogate unpaired are refused, as is anything malformed (truncated, wrong types, unknown
 * fields or enum values, nulls, huge values). Every refusal is an {@link InvalidRequestException} whose
 * code is {@link CoreErrorCode#INVALID_REQUEST} ({@link CoreErrorCode#UNSAFE_CHARACTERS} for unpaired
 * surrogates and other unsafe characters) and whose violations name the field by its JSON path (for
 * example {@code documents[1].type}) and, for enums, document types and unknown fields, the values
 * allowed there. Messages never echo the input. Thread-safe; all methods are static.
 */
public final class UnbindJson {

    /** The largest input accepted. */
    public static final int MAX_INPUT_BYTES = 1 << 20;

    private static final ObjectMapper READER = JsonMappers.storage().copy()
            .registerModule(new PublicJsonModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final JavaType REQUEST = READER.constructType(UnbindRequest.class);
    private static final JavaType DOCUMENTS = READER.getTypeFactory().constructCollectionType(List.class,
            Document.class);
    private static final JavaType DECISION = READER.constructType(InstitutionDecision.class);

    private static final ObjectMapper WRITER = JsonMapper.builder().addModule(new PublicJsonModule()).build();

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private UnbindJson() {
    }

    /**
     * The Jackson module that lets any {@code ObjectMapper} write (and read) posunbind's values: masked
     * sensitive numbers, case ids as strings, money as {@code {"minorUnits":…,"currency":"CNY"}}, fee quotes
     * with their total, documents with their {@code "type"}, instants as ISO-8601 text. Register it on a
     * Spring or other host mapper so that a controller can return a {@link CaseSnapshot} as it is:
     *
     * <pre>{@code
     * ObjectMapper mapper = new ObjectMapper().registerModule(UnbindJson.module());
     * String json = mapper.writeValueAsString(snapshot);   // same JSON as writeSnapshot(snapshot)
     * }</pre>
     *
     * It registers Jackson's {@code Optional} and {@code java.time} modules with it. Reading commands and
     * requests from untrusted input should still go through this class's {@code read} methods, which are
     * stricter (duplicate keys, encodings, sizes).
     *
     * @return a new module; registering it twice on one mapper has no further effect
     */
    public static Module module() {
        return new PublicJsonModule();
    }

    /**
     * Reads an unbind request: the fields of {@link UnbindRequest}, with {@code "documents"} as a list
     * of documents each naming its {@code "type"} (for example {@code "BUSINESS_LICENCE"}).
     *
     * @throws InvalidRequestException when the input is malformed or the request invalid
     */
    public static UnbindRequest readRequest(byte[] utf8) {
        return read(decode(utf8, "request"), REQUEST, "request");
    }

    /** Reads an unbind request from text. */
    public static UnbindRequest readRequest(String json) {
        return read(text(json, "request"), REQUEST, "request");
    }

    /**
     * Reads a list of documents; names and references are checked as in a request, and card, account and
     * identity numbers typed into them are masked.
     */
    public static List<Document> readDocuments(byte[] utf8) {
        return checkedDocuments(read(decode(utf8, "documents"), DOCUMENTS, "documents"));
    }

    /** Reads a list of documents from text. */
    public static List<Document> readDocuments(String json) {
        return checkedDocuments(read(text(json, "documents"), DOCUMENTS, "documents"));
    }

    /** Reads an institution's decision; its references are checked and its message masked. */
    public static InstitutionDecision readDecision(byte[] utf8) {
        return checkedDecision(read(decode(utf8, "decision"), DECISION, "decision"));
    }

    /** Reads an institution's decision from text. */
    public static InstitutionDecision readDecision(String json) {
        return checkedDecision(read(text(json, "decision"), DECISION, "decision"));
    }

    /**
     * Reads a command for an open case, of the type the front end expects at that URL, for example
     * {@code readCommand(body, CancelCommand.class)}. See {@link UnbindCommand} for the commands and the
     * README for one JSON example of each.
     *
     * @throws InvalidRequestException when the input is malformed or the command invalid
     */
    public static <T extends UnbindCommand> T readCommand(byte[] utf8, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return type.cast(read(decode(utf8, commandName(type)), READER.constructType(type), commandName(type)));
    }

    /** Reads a command for an open case from text. */
    public static <T extends UnbindCommand> T readCommand(String json, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return type.cast(read(text(json, commandName(type)), READER.constructType(type), commandName(type)));
    }

    /** Writes a snapshot for display or export; every card, account, identity and phone number is masked. */
    public static String writeSnapshot(CaseSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        try {
            return WRITER.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new PosUnbindException(CoreErrorCode.INVALID_REQUEST,
                    "The snapshot of case " + snapshot.id() + " could not be written as JSON");
        }
    }

    private static String commandName(Class<?> type) {
        String name = type.getSimpleName();
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static List<Document> checkedDocuments(List<Document> documents) {
        List<RuleViolation> problems = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                problems.add(violation(CoreErrorCode.INVALID_REQUEST.code(), "documents[" + i + "]",
                        "a document is null"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The documents are malformed", problems);
        }
        List<Document> checked = InputText.documents(problems, "documents", documents);
        InputText.requireNone(problems, "documents");
        return List.copyOf(checked);
    }

    private static InstitutionDecision checkedDecision(InstitutionDecision decision) {
        List<RuleViolation> problems = new ArrayList<>();
        InstitutionDecision checked = InputText.decision(problems, "", decision);
        InputText.requireNone(problems, "decision");
        return checked;
    }

    /** Strict UTF-8: Jackson would otherwise guess UTF-16 from zero bytes, or replace broken sequences. */
    private static String decode(byte[] utf8, String what) {
        if (utf8 == null || utf8.length == 0) {
            throw malformed(what, what, "the input is empty");
        }
        if (utf8.length > MAX_INPUT_BYTES) {
            throw malformed(what, what, "the input has more than " + MAX_INPUT_BYTES + " bytes");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(utf8);
        String text;
        try {
            text = decoder.decode(input).toString();
        } catch (CharacterCodingException e) {
            throw malformed(what, what, "the input is not valid UTF-8 (at byte " + (firstInvalidByte(utf8) + 1)
                    + "); send JSON encoded as UTF-8");
        }
        // A UTF-8 byte-order mark is legal and carries no content.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static int firstInvalidByte(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(utf8);
        CharBuffer output = CharBuffer.allocate(utf8.length + 1);
        decoder.decode(input, output, true);
        return input.position();
    }

    /** Text given as a Java string: a raw unpaired surrogate in it would become {@code ?} on the way. */
    private static String text(String json, String what) {
        if (json == null || json.isEmpty()) {
            throw malformed(what, what, "the input is empty");
        }
        if (json.length() > MAX_INPUT_BYTES) {
            throw malformed(what, what, "the input has more than " + MAX_INPUT_BYTES + " characters");
        }
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException("The " + what + " is malformed", List.of(violation(
                        ValidationCodes.UNSAFE_CHARACTERS, what, "the input holds an unpaired surrogate at character "
                                + (i + 1) + "; it cannot be stored and would make two values look alike")));
            }
        }
        return json;
    }

    @SuppressWarnings("unchecked")
    private static <T> T read(String json, JavaType type, String what) {
        JsonNode tree;
        try {
            tree = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw syntaxProblem(e, what);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw malformed(what, what, "the input holds no JSON value");
        }
        List<RuleViolation> surrogates = new ArrayList<>();
        findUnpairedSurrogates(tree, "", surrogates);
        if (!surrogates.isEmpty()) {
            throw new InvalidRequestException("The " + what + " is malformed", surrogates);
        }
        T value;
        try {
            value = (T) READER.readerFor(type).readValue(tree);
        } catch (JsonMappingException e) {
            throw bindingProblem(e, what);
        } catch (IOException e) {
            throw malformed(what, what, "the input could not be read");
        } catch (InvalidRequestException e) {
            throw e;
        } catch (PosUnbindException e) {
            throw new InvalidRequestException(e.errorCode(), "The " + what + " is invalid",
                    List.of(violation(e.errorCode().code(), what, safe(e.getMessage()))));
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException | ArithmeticException e) {
            throw malformed(what, what, e.getClass().getSimpleName() + ": " + safe(e.getMessage()));
        }
        if (value == null) {
            throw malformed(what, what, "the input holds null");
        }
        return value;
    }

    /**
     * Jackson decodes {@code "\ud800"} into a lone surrogate, which PostgreSQL would store as {@code ?}:
     * refused wherever it occurs, in keys and values.
     */
    private static void findUnpairedSurrogates(JsonNode node, String path, List<RuleViolation> problems) {
        if (problems.size() >= 10) {
            return;
        }
        if (node.isTextual() && hasUnpairedSurrogate(node.textValue())) {
            problems.add(violation(ValidationCodes.UNSAFE_CHARACTERS, path.isEmpty() ? "input" : path,
                    "holds an unpaired surrogate (an escape such as \\ud800 without its pair); it cannot be"
                            + " stored and would make two values look alike"));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (hasUnpairedSurrogate(field.getKey())) {
                    problems.add(violation(ValidationCodes.UNSAFE_CHARACTERS, path.isEmpty() ? "input" : path,
                            "a key holds an unpaired surrogate"));
                } else {
                    findUnpairedSurrogates(field.getValue(), at, problems);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findUnpairedSurrogates(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A syntax problem: where it is (line, column and the path the parser had reached) and what it is. */
    private static InvalidRequestException syntaxProblem(JsonProcessingException e, String what) {
        String path = "";
        if (e.getProcessor() instanceof JsonParser parser) {
            path = pathOf(parser.getParsingContext());
        }
        String why;
        if (e instanceof StreamConstraintsException) {
            why = "a value is too large or too deeply nested (at most 32 levels, strings of 64 KiB, numbers of"
                    + " 32 digits)";
        } else if (e instanceof JsonEOFException) {
            why = "the JSON ends too early";
        } else if (e instanceof JsonParseException && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate")) {
            why = "a key appears twice in one object; send each field once";
        } else {
            why = "the JSON is malformed";
        }
        return malformed(what, path.isEmpty() ? what : path, why + where(e.getLocation()));
    }

    private static String pathOf(JsonStreamContext context) {
        if (context == null) {
            return "";
        }
        return dotted(context.pathAsPointer());
    }

    private static String dotted(JsonPointer pointer) {
        StringBuilder path = new StringBuilder();
        for (JsonPointer at = pointer; at != null && !at.matches(); at = at.tail()) {
            if (at.getMatchingIndex() >= 0 && at.getMatchingProperty().chars().allMatch(Character::isDigit)) {
                path.append('[').append(at.getMatchingIndex()).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(at.getMatchingProperty());
            }
        }
        return path.toString();
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A problem binding well-formed JSON to a value: by field path, with the values allowed there. */
    private static InvalidRequestException bindingProblem(JsonMappingException e, String what) {
        String path = pathOf(e.getPath());
        // A record's own check failed while Jackson built it: that check's coded answer, under the path.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidRequestException invalid) {
                return prefixed(invalid, path);
            }
            if (cause instanceof PosUnbindException coded) {
                return new InvalidRequestException(coded.errorCode(), "The " + what + " is invalid",
                        List.of(violation(coded.errorCode().code(), path.isEmpty() ? what : path,
                                safe(coded.getMessage()))));
            }
            if (cause instanceof NullPointerException missing) {
                String field = safe(missing.getMessage());
                boolean named = field.matches("[A-Za-z]+");
                String at = named ? (path.isEmpty() ? field : path + "." + field) : (path.isEmpty() ? what : path);
                return malformed(what, at, named ? field + " is required" : "a required value is missing");
            }
            if (cause instanceof IllegalArgumentException || cause instanceof ArithmeticException) {
                return malformed(what, path.isEmpty() ? what : path, "a value breaks a rule: "
                        + safe(cause.getMessage()));
            }
        }
        String field = path.isEmpty() ? what : path;
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; known fields: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            return malformed(what, field, "an unknown field" + known);
        }
        if (e instanceof InvalidTypeIdException) {
            return malformed(what, field.endsWith(".type") ? field : field + ".type",
                    "names no known document type; one of " + String.join(", ", PublicJsonModule.DOCUMENT_TYPES));
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return malformed(what, field, "is not one of the allowed values: " + Arrays.stream(
                    format.getTargetType().getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ")));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            if (target.isEnum()) {
                return malformed(what, field, "must be one of " + Arrays.stream(target.getEnumConstants())
                        .map(String::valueOf).collect(Collectors.joining(", ")));
            }
            boolean missing = String.valueOf(mismatch.getOriginalMessage()).contains("`null`");
            return malformed(what, field, (missing ? "is missing or null; expected " : "has the wrong type; expected ")
                    + describe(target));
        }
        return malformed(what, field, "a value has the wrong type or form");
    }

    private static String describe(Class<?> target) {
        if (target == String.class || CharSequence.class.isAssignableFrom(target)) {
            return "a string";
        }
        if (target.isPrimitive() || Number.class.isAssignableFrom(target)) {
            return target == boolean.class || target == Boolean.class ? "true or false" : "a number";
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return "a list";
        }
        if (target == Instant.class) {
            return "an ISO-8601 instant such as 2026-11-25T03:00:00Z";
        }
        return "an object (" + target.getSimpleName() + ")";
    }

    private static String pathOf(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The record's violations, their fields put under the path of the object that was being built. */
    private static InvalidRequestException prefixed(InvalidRequestException invalid, String path) {
        if (path.isEmpty()) {
            return invalid;
        }
        List<RuleViolation> violations = invalid.violations().stream()
                .map(violation -> new RuleViolation(violation.code(), violation.field().isEmpty() ? path
                        : violation.field().startsWith("[") ? path + violation.field()
                        : path + "." + violation.field(), violation.message()))
                .toList();
        return new InvalidRequestException(invalid.errorCode(), "The " + path + " is invalid", violations);
    }

    /** Keeps a message short and free of long digit runs (a card or identity number in an exception). */
    private static String safe(String message) {
        if (message == null) {
            return "";
        }
        String cut = message.length() > 200 ? message.substring(0, 200) : message;
        return cut.replaceAll("\\d{6,}", "******");
    }

    private static RuleViolation violation(String code, String field, String message) {
        return new RuleViolation(code, field, message);
    }

    private static InvalidRequestException malformed(String what, String field, String why) {
        return new InvalidRequestException("The " + what + " is malformed",
                List.of(violation(CoreErrorCode.INVALID_REQUEST.code(), field, why)));
    }
}
