package io.posunbind.internal.batch;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.ReplacementTerminal;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchRowProblem;
import io.posunbind.rules.RuleViolation;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the fields of one row of a batch file (CSV or JSON, the same names) into a {@link BatchRow}, or into
 * every problem the row has. Messages name the column and the allowed values, never echo a value. Stateless.
 */
public final class BatchRowReader {

    /** The columns every row needs. */
    public static final List<String> REQUIRED = List.of("provider", "merchant_number", "terminal_serial", "reason",
            "bindings");
    /** The columns a row may have in addition. */
    public static final List<String> OPTIONAL = List.of("reason_note", "replacement_serial", "replacement_model",
            "time_zone");

    /** Request fields by the column that fills them, for the request's own problems. */
    private static final Map<String, String> COLUMN_OF_FIELD = Map.of("providerId", "provider", "merchantNumber",
            "merchant_number", "terminalSerial", "terminal_serial", "reason", "reason", "reasonNote", "reason_note",
            "scope", "bindings", "replacement", "replacement_serial");

    private BatchRowReader() {
    }

    /** Whether a column name is one of the file format's. */
    public static boolean known(String column) {
        return REQUIRED.contains(column) || OPTIONAL.contains(column);
    }

    /**
     * Reads one row; adds its problems to {@code problems} and returns empty when it has any.
     *
     * @param fields the row's values by column; blank values count as absent
     */
    public static Optional<BatchRow> read(int rowNumber, Map<String, String> fields, Actor requestedBy,
            List<BatchRowProblem> problems) {
        int before = problems.size();
        for (String column : REQUIRED) {
            if (value(fields, column).isEmpty()) {
                problems.add(new BatchRowProblem(rowNumber, CoreErrorCode.BATCH_FIELD_MISSING.code(), column,
                        column + " is required"));
            }
        }
        UnbindReason reason = value(fields, "reason").map(text -> reason(rowNumber, text, problems)).orElse(null);
        Set<BindingKind> bindings = value(fields, "bindings").map(text -> bindings(rowNumber, text, problems))
                .orElse(null);
        Optional<ZoneId> zone = value(fields, "time_zone").flatMap(text -> zone(rowNumber, text, problems));
        Optional<String> replacementSerial = value(fields, "replacement_serial");
        Optional<String> replacementModel = value(fields, "replacement_model");
        if (replacementSerial.isPresent() != replacementModel.isPresent()) {
            problems.add(new BatchRowProblem(rowNumber, CoreErrorCode.BATCH_FIELD_MISSING.code(),
                    replacementSerial.isPresent() ? "replacement_model" : "replacement_serial",
                    "replacement_serial and replacement_model go together: give both or neither"));
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            UnbindRequest.Builder request = UnbindRequest.builder()
                    .provider(fields.get("provider").strip())
                    .merchantNumber(fields.get("merchant_number").strip())
                    .terminalSerial(fields.get("terminal_serial").strip())
                    .reason(reason)
                    .scope(bindings.toArray(BindingKind[]::new))
                    .requestedBy(requestedBy);
            value(fields, "reason_note").ifPresent(request::reasonNote);
            if (replacementSerial.isPresent()) {
                request.replacement(ReplacementTerminal.of(replacementSerial.get(), replacementModel.get()));
            }
            return Optional.of(new BatchRow(rowNumber, request.build(), zone));
        } catch (InvalidRequestException e) {
            for (RuleViolation violation : e.violations()) {
                String column = COLUMN_OF_FIELD.getOrDefault(violation.field(), violation.field());
                problems.add(new BatchRowProblem(rowNumber, violation.code(), column, violation.message()));
            }
            return Optional.empty();
        }
    }

    private static Optional<String> value(Map<String, String> fields, String column) {
        String value = fields.get(column);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static UnbindReason reason(int row, String text, List<BatchRowProblem> problems) {
        try {
            return UnbindReason.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new BatchRowProblem(row, CoreErrorCode.BATCH_FIELD_INVALID.code(), "reason",
                    "reason is one of " + List.of(UnbindReason.values())));
            return null;
        }
    }

    private static Set<BindingKind> bindings(int row, String text, List<BatchRowProblem> problems) {
        if (text.equalsIgnoreCase("ALL")) {
            return EnumSet.allOf(BindingKind.class);
        }
        Set<BindingKind> kinds = EnumSet.noneOf(BindingKind.class);
        for (String part : text.split("[;|]")) {
            try {
                kinds.add(BindingKind.valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(new BatchRowProblem(row, CoreErrorCode.BATCH_FIELD_INVALID.code(), "bindings",
                        "bindings is ALL or some of " + List.of(BindingKind.values()) + " separated by ';'"));
                return null;
            }
        }
        return kinds;
    }

    private static Optional<ZoneId> zone(int row, String text, List<BatchRowProblem> problems) {
        try {
            return Optional.of(ZoneId.of(text));
        } catch (DateTimeException e) {
            problems.add(new BatchRowProblem(row, CoreErrorCode.BATCH_FIELD_INVALID.code(), "time_zone",
                    "time_zone is an IANA time zone such as Asia/Shanghai"));
            return Optional.empty();
        }
    }
}
