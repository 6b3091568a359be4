package io.posunbind.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.internal.input.InputText;
import io.posunbind.internal.json.JsonInputProblems;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.internal.json.PublicJsonModule;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
                problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "documents[" + i + "]",
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
            throw JsonInputProblems.malformed(what, what, "the input is empty");
        }
        if (utf8.length > MAX_INPUT_BYTES) {
            throw JsonInputProblems.malformed(what, what, "the input has more than " + MAX_INPUT_BYTES + " bytes");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(utf8);
        String text;
        try {
            text = decoder.decode(input).toString();
        } catch (CharacterCodingException e) {
            throw JsonInputProblems.malformed(what, what, "the input is not valid UTF-8 (at byte " + (firstInvalidByte(utf8) + 1)
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
            throw JsonInputProblems.malformed(what, what, "the input is empty");
        }
        if (json.length() > MAX_INPUT_BYTES) {
            throw JsonInputProblems.malformed(what, what, "the input has more than " + MAX_INPUT_BYTES + " characters");
        }
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException("The " + what + " is malformed", List.of(new RuleViolation(
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
            throw JsonInputProblems.syntaxProblem(e, what);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw JsonInputProblems.malformed(what, what, "the input holds no JSON value");
        }
        List<RuleViolation> surrogates = new ArrayList<>();
        JsonInputProblems.findUnpairedSurrogates(tree, "", surrogates);
        if (!surrogates.isEmpty()) {
            throw new InvalidRequestException("The " + what + " is malformed", surrogates);
        }
        T value;
        try {
            value = (T) READER.readerFor(type).readValue(tree);
        } catch (JsonMappingException e) {
            throw JsonInputProblems.bindingProblem(e, what);
        } catch (IOException e) {
            throw JsonInputProblems.malformed(what, what, "the input could not be read");
        } catch (InvalidRequestException e) {
            throw e;
        } catch (PosUnbindException e) {
            throw new InvalidRequestException(e.errorCode(), "The " + what + " is invalid",
                    List.of(new RuleViolation(e.errorCode().code(), what, JsonInputProblems.safe(e.getMessage()))));
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException | ArithmeticException e) {
            throw JsonInputProblems.malformed(what, what, e.getClass().getSimpleName() + ": " + JsonInputProblems.safe(e.getMessage()));
        }
        if (value == null) {
            throw JsonInputProblems.malformed(what, what, "the input holds null");
        }
        return value;
    }

}
