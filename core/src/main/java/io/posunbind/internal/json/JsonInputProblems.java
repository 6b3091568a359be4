package io.posunbind.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.validation.ValidationCodes;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns what goes wrong while reading untrusted JSON into coded refusals a client can act on: each
 * violation names the field by its JSON path ({@code documents[1].type}) and, where there is a choice,
 * the values allowed there; none echoes the input. Used by {@code UnbindJson}; stateless and thread-safe.
 */
public final class JsonInputProblems {

    private JsonInputProblems() {
    }

    /**
     * Jackson decodes {@code "\ud800"} into a lone surrogate, which PostgreSQL would store as {@code ?}:
     * refused wherever it occurs, in keys and values.
     */
    public static void findUnpairedSurrogates(JsonNode node, String path, List<RuleViolation> problems) {
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

    public static boolean hasUnpairedSurrogate(String text) {
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
    public static InvalidRequestException syntaxProblem(JsonProcessingException e, String what) {
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
    public static InvalidRequestException bindingProblem(JsonMappingException e, String what) {
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
    public static String safe(String message) {
        if (message == null) {
            return "";
        }
        String cut = message.length() > 200 ? message.substring(0, 200) : message;
        return cut.replaceAll("\\d{6,}", "******");
    }

    private static RuleViolation violation(String code, String field, String message) {
        return new RuleViolation(code, field, message);
    }

    public static InvalidRequestException malformed(String what, String field, String why) {
        return new InvalidRequestException("The " + what + " is malformed",
                List.of(violation(CoreErrorCode.INVALID_REQUEST.code(), field, why)));
    }
}
