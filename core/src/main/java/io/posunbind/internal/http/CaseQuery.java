package io.posunbind.internal.http;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.WaitReason;
import io.posunbind.rules.RuleViolation;
import io.posunbind.store.CaseFilter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the query of {@code GET /cases} into a {@link CaseFilter}: {@code state}, {@code waitingFor},
 * {@code waitingSinceBefore}, {@code waitingSinceAfter}, {@code provider}, {@code merchantNumber},
 * {@code terminalSerial}, {@code updatedBefore} (instants in ISO-8601, such as {@code 2026-11-25T02:00:00Z}),
 * {@code limit} (1 to {@value #MAX_LIMIT}) and {@code after}, the cursor a previous page answered as
 * {@code next}. Unknown, repeated or malformed parameters are refused, each naming the parameter and never
 * echoing its value. Stateless and thread-safe.
 */
final class CaseQuery {

    static final int MAX_LIMIT = 500;
    static final Set<String> PARAMETERS = Set.of("state", "waitingFor", "waitingSinceBefore", "waitingSinceAfter",
            "provider", "merchantNumber", "terminalSerial", "updatedBefore", "limit", "after");

    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private CaseQuery() {
    }

    /** The filter the query asks for; {@link CaseFilter#DEFAULT_LIMIT} cases to a page unless it says. */
    static CaseFilter filter(String query) {
        List<RuleViolation> problems = new ArrayList<>();
        Map<String, String> parameters = parameters(query, problems);
        CaseFilter.Builder filter = CaseFilter.builder();
        parameters.forEach((name, value) -> {
            switch (name) {
                case "state" -> oneOf(problems, name, value, CaseState.class, state -> filter.state(state));
                case "waitingFor" -> oneOf(problems, name, value, WaitReason.class, reason -> filter.waitingFor(reason));
                case "waitingSinceBefore" -> instant(problems, name, value, filter::waitingSinceBefore);
                case "waitingSinceAfter" -> instant(problems, name, value, filter::waitingSinceAfter);
                case "updatedBefore" -> instant(problems, name, value, filter::updatedBefore);
                case "provider" -> text(problems, name, value, filter::provider);
                case "merchantNumber" -> text(problems, name, value, filter::merchantNumber);
                case "terminalSerial" -> text(problems, name, value, filter::terminalSerial);
                case "limit" -> limit(problems, value, filter);
                case "after" -> cursor(problems, value, filter);
                default -> problems.add(problem(name, "is not a filter; the filters are "
                        + PARAMETERS.stream().sorted().collect(Collectors.joining(", "))));
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The case query is invalid", problems);
        }
        return filter.build();
    }

    /** The cursor of the page after this one, whose last case is {@code last}. */
    static String cursor(CaseSnapshot last) {
        CaseFilter.Position position = CaseFilter.Position.of(last);
        return position.updatedAt() + "," + position.caseId();
    }

    private static Map<String, String> parameters(String query, List<RuleViolation> problems) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!PARAMETERS.contains(name)) {
                // The name is not echoed either when it is not one of ours: it is the client's text.
                problems.add(problem("query", "names a parameter that is not a filter; the filters are "
                        + PARAMETERS.stream().sorted().collect(Collectors.joining(", "))));
            } else if (parameters.put(name, value) != null) {
                problems.add(problem(name, "is given twice"));
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return "\u0000";
        }
    }

    private static <E extends Enum<E>> void oneOf(List<RuleViolation> problems, String name, String value,
            Class<E> type, Consumer<E> setter) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                setter.accept(constant);
                return;
            }
        }
        problems.add(problem(name, "is not one of the allowed values: " + Arrays.stream(type.getEnumConstants())
                .map(Enum::name).collect(Collectors.joining(", "))));
    }

    private static void instant(List<RuleViolation> problems, String name, String value, Consumer<Instant> setter) {
        try {
            setter.accept(Instant.parse(value));
        } catch (DateTimeParseException e) {
            problems.add(problem(name, "is not an ISO-8601 instant such as 2026-11-25T02:00:00Z"));
        }
    }

    private static void text(List<RuleViolation> problems, String name, String value, Consumer<String> setter) {
        if (TEXT.matcher(value).matches()) {
            setter.accept(value);
        } else {
            problems.add(problem(name, "has 1 to 64 characters from A-Z, a-z, 0-9, _ . : and -"));
        }
    }

    private static void limit(List<RuleViolation> problems, String value, CaseFilter.Builder filter) {
        if (value.matches("[0-9]{1,4}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= MAX_LIMIT) {
            filter.limit(Integer.parseInt(value));
        } else {
            problems.add(problem("limit", "is a whole number from 1 to " + MAX_LIMIT));
        }
    }

    private static void cursor(List<RuleViolation> problems, String value, CaseFilter.Builder filter) {
        int comma = value.indexOf(',');
        try {
            if (comma > 0 && CASE_ID.matcher(value.substring(comma + 1)).matches()) {
                filter.after(new CaseFilter.Position(Instant.parse(value.substring(0, comma)),
                        value.substring(comma + 1)));
                return;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(problem("after", "is not a cursor: pass the next value of the previous page as it is"));
    }

    private static RuleViolation problem(String field, String message) {
        return new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field, field + " " + message);
    }
}
