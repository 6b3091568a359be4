package io.posunbind.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.http.HttpAnswer;
import io.posunbind.i18n.Messages;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes RFC 9457 problem documents ({@code application/problem+json}) in the request's language:
 * {@code type} a URI naming the error code, {@code title} the status in words, {@code detail} what the code
 * means and what to do ({@link Messages#errorText}), {@code instance} the request's path without its query,
 * and our members {@code code}, {@code retryable} and, for invalid input, {@code errors}: one entry per field
 * with its JSON path, its code and its text. Built from codes, fields and the bundled texts only, never
 * from the input or an exception's message, so no number typed by a client is echoed. Thread-safe.
 */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";
    /** Codes are stable and documented (see the README's error reference), not addresses to fetch. */
    static final String TYPE_PREFIX = "tag:posunbind.io,2026:problem:";
    /** How long a client should wait before retrying a retryable refusal, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    /** A problem document for a code, with the code's status from {@link HttpStatuses}. */
    static HttpAnswer of(ErrorCode code, Locale locale, String instance) {
        return of(code, HttpStatuses.statusOf(code), locale, instance, List.of(), Map.of(), Map.of());
    }

    /**
     * A problem document.
     *
     * @param violations the field problems of invalid input, may be empty
     * @param members    further members, such as {@code maxBodyBytes}
     * @param headers    further headers, such as {@code Allow}
     */
    static HttpAnswer of(ErrorCode code, int status, Locale locale, String instance, List<RuleViolation> violations,
            Map<String, Object> members, Map<String, String> headers) {
        Messages messages = Messages.forLocale(locale);
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", TYPE_PREFIX + code.code());
        problem.put("title", messages.find("http.title." + status).orElse(messages.text("http.title." + (status
                / 100 * 100))));
        problem.put("status", status);
        problem.put("detail", messages.errorText(code));
        problem.put("instance", instance);
        problem.put("code", code.code());
        problem.put("retryable", code.retryable());
        if (!violations.isEmpty()) {
            ArrayNode errors = problem.putArray("errors");
            for (RuleViolation violation : violations) {
                ObjectNode error = errors.addObject();
                error.put("field", violation.field());
                error.put("code", violation.code());
                error.put("detail", messages.describe(violation));
            }
        }
        members.forEach((name, value) -> problem.set(name, JSON.valueToTree(value)));
        Map<String, String> allHeaders = new LinkedHashMap<>(headers);
        allHeaders.put("Content-Language", messages.locale().toLanguageTag());
        if (code.retryable() && (status == HttpStatuses.CONFLICT || status == HttpStatuses.TOO_MANY_REQUESTS
                || status == HttpStatuses.UNAVAILABLE)) {
            allHeaders.put("Retry-After", RETRY_AFTER_SECONDS);
        }
        return new HttpAnswer(status, PROBLEM_JSON, bytes(problem), allHeaders);
    }

    static byte[] bytes(Object tree) {
        try {
            return JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            // A tree of strings and numbers always writes; this would be a bug in Jackson.
            throw new IllegalStateException("A problem document could not be written", e);
        }
    }
}
