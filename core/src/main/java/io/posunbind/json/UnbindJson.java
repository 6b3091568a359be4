package io.posunbind.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Reads JSON input into posunbind's values and writes snapshots as JSON.
 *
 * <pre>{@code
 * UnbindRequest request = UnbindJson.readRequest(httpBody);      // InvalidRequestException when malformed
 * List<Document> documents = UnbindJson.readDocuments(otherBody);
 * String json = UnbindJson.writeSnapshot(snapshot);               // sensitive numbers masked
 * }</pre>
 *
 * <p>Input is limited to {@value #MAX_INPUT_BYTES} bytes of UTF-8, 32 levels of nesting and strings of
 * 64 KiB; anything malformed (truncated, wrong types, unknown enum values, nulls, bad encodings, huge
 * values) becomes an {@link InvalidRequestException} with {@link CoreErrorCode#INVALID_REQUEST}, whose
 * message says where the input broke without echoing it. Thread-safe; all methods are static.
 */
public final class UnbindJson {

    /** The largest input accepted. */
    public static final int MAX_INPUT_BYTES = 1 << 20;

    private static final ObjectMapper READER = JsonMappers.storage().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private UnbindJson() {
    }

    /**
     * Reads an unbind request: the fields of {@link UnbindRequest}, with {@code "documents"} as a list
     * of documents each naming its {@code "type"} (for example {@code "BUSINESS_LICENCE"}).
     *
     * @throws InvalidRequestException when the input is malformed or the request invalid
     */
    public static UnbindRequest readRequest(byte[] utf8) {
        return read(utf8, new TypeReference<UnbindRequest>() {
        }, "request");
    }

    /** Reads an unbind request from text. */
    public static UnbindRequest readRequest(String json) {
        return readRequest(bytes(json));
    }

    /** Reads a list of documents. */
    public static List<Document> readDocuments(byte[] utf8) {
        List<Document> documents = read(utf8, new TypeReference<List<Document>>() {
        }, "documents");
        if (documents.stream().anyMatch(java.util.Objects::isNull)) {
            throw malformed("documents", "a document is null");
        }
        return List.copyOf(documents);
    }

    /** Reads a list of documents from text. */
    public static List<Document> readDocuments(String json) {
        return readDocuments(bytes(json));
    }

    /** Reads an institution's decision. */
    public static InstitutionDecision readDecision(byte[] utf8) {
        return read(utf8, new TypeReference<InstitutionDecision>() {
        }, "decision");
    }

    /** Reads an institution's decision from text. */
    public static InstitutionDecision readDecision(String json) {
        return readDecision(bytes(json));
    }

    /** Writes a snapshot for display or export; every card, account, identity and phone number is masked. */
    public static String writeSnapshot(CaseSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        try {
            return JsonMappers.masked().writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new PosUnbindException(CoreErrorCode.INVALID_REQUEST,
                    "The snapshot of case " + snapshot.id() + " could not be written as JSON");
        }
    }

    private static byte[] bytes(String json) {
        if (json == null) {
            throw malformed("input", "no input");
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T read(byte[] utf8, TypeReference<T> type, String what) {
        if (utf8 == null || utf8.length == 0) {
            throw malformed(what, "the input is empty");
        }
        if (utf8.length > MAX_INPUT_BYTES) {
            throw malformed(what, "the input has more than " + MAX_INPUT_BYTES + " bytes");
        }
        try {
            // Strict UTF-8: Jackson would otherwise replace broken sequences silently in some places.
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException e) {
            throw malformed(what, "the input is not valid UTF-8");
        }
        T value;
        try {
            JsonNode tree = READER.readTree(utf8);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw malformed(what, "the input holds no JSON value");
            }
            value = READER.readerFor(type).readValue(tree);
        } catch (InvalidRequestException e) {
            throw e;
        } catch (PosUnbindException e) {
            throw new InvalidRequestException(e.errorCode(), "The " + what + " is invalid", List.of(
                    new RuleViolation(e.errorCode().code(), what, e.getMessage())));
        } catch (JsonProcessingException e) {
            // A record's own check failed while Jackson built it: that check's coded answer is the best one.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidRequestException invalid) {
                    throw invalid;
                }
                if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                    throw malformed(what, describe(e) + ": " + safe(cause.getMessage()));
                }
            }
            throw malformed(what, describe(e));
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException | ArithmeticException e) {
            // Thrown by our records' checks while Jackson builds them; their messages never echo numbers.
            throw malformed(what, e.getClass().getSimpleName() + ": " + safe(e.getMessage()));
        } catch (java.io.IOException e) {
            throw malformed(what, "the input could not be read");
        }
        if (value == null) {
            throw malformed(what, "the input holds null");
        }
        return value;
    }

    private static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String path = "";
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder builder = new StringBuilder();
            for (var reference : mapping.getPath()) {
                builder.append(reference.getFieldName() != null ? "." + reference.getFieldName()
                        : "[" + reference.getIndex() + "]");
            }
            path = " (field " + builder + ")";
        }
        return kindOf(e) + where + path;
    }

    private static String kindOf(JsonProcessingException e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "JsonEOFException" -> "the JSON ends too early";
            case "InvalidFormatException", "MismatchedInputException" -> "a value has the wrong type or form";
            case "InvalidTypeIdException" -> "a document names an unknown type";
            case "UnrecognizedPropertyException" -> "an unknown field";
            case "StreamConstraintsException" -> "a value is too large or too deeply nested";
            case "ValueInstantiationException" -> "a value breaks a rule";
            default -> "the JSON is malformed";
        };
    }

    /** Keeps a message short and free of long digit runs (a card or identity number in an exception). */
    private static String safe(String message) {
        if (message == null) {
            return "";
        }
        String cut = message.length() > 200 ? message.substring(0, 200) : message;
        return cut.replaceAll("\\d{6,}", "******");
    }

    private static InvalidRequestException malformed(String what, String why) {
        return new InvalidRequestException("The " + what + " is malformed",
                List.of(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), what, why)));
    }
}
