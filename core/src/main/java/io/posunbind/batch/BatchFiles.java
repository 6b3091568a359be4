package io.posunbind.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.internal.batch.BatchRowReader;
import io.posunbind.internal.batch.CsvRecords;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the rows of a batch from a file, one row per terminal, checking every row and reporting every problem
 * at once ({@link BatchValidationException}, each problem with its row number and a stable code). Two formats,
 * with the same field names:
 *
 * <table>
 *   <caption>Fields of a row</caption>
 *   <tr><th>field</th><th>required</th><th>what</th></tr>
 *   <tr><td>{@code provider}</td><td>yes</td><td>the provider's id, such as {@code adyen}</td></tr>
 *   <tr><td>{@code merchant_number}</td><td>yes</td><td>the merchant number (商户号)</td></tr>
 *   <tr><td>{@code terminal_serial}</td><td>yes</td><td>the old terminal's serial number</td></tr>
 *   <tr><td>{@code reason}</td><td>yes</td><td>an {@code UnbindReason}, such as {@code CLOSURE}</td></tr>
 *   <tr><td>{@code bindings}</td><td>yes</td><td>{@code ALL}, or some of {@code DEVICE}, {@code ACCOUNT},
 *       {@code MERCHANT_INFO} separated by {@code ;}</td></tr>
 *   <tr><td>{@code reason_note}</td><td>no</td><td>the merchant's words; required for {@code OTHER}</td></tr>
 *   <tr><td>{@code replacement_serial}, {@code replacement_model}</td><td>no, both or neither</td>
 *       <td>the replacement terminal</td></tr>
 *   <tr><td>{@code time_zone}</td><td>no</td><td>the merchant's IANA time zone, for the start window; the
 *       batch's default otherwise</td></tr>
 * </table>
 *
 * <p><b>CSV</b> (RFC 4180): a header naming the columns, in any order, then one record per terminal; row 1 is
 * the first record after the header (a blank line keeps its number and is skipped). <b>JSON</b>: an array of
 * objects with those fields as strings; row 1 is the first object. An unknown column or field is refused, so
 * a misspelt {@code time_zone} is not silently ignored. The rows' requests are checked as
 * {@code UnbindRequest}'s builder checks them, with the request's own codes. Rows carry no documents: submit
 * them per case as the cases ask, or open the rows from code ({@link BatchRow}) with documents.
 *
 * <p>Thread-safe; all methods are static.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class BatchFiles {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private BatchFiles() {
    }

    /**
     * The rows of a CSV text.
     *
     * @param requestedBy who asks for the unbinds (every row's {@code requestedBy})
     * @throws BatchValidationException listing every problem of the file and of every row
     */
    public static List<BatchRow> readCsv(String csv, Actor requestedBy) {
        return parseCsv(csv, requestedBy).rowsOrThrow();
    }

    /**
     * A CSV text as read: its rows read well and the problems of the rest, for
     * {@link Batches#open(BatchId, BatchFile, BatchOptions, Actor)}, which reports them with the problems of the
     * rows read in one refusal.
     */
    public static BatchFile parseCsv(String csv, Actor requestedBy) {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(requestedBy, "requestedBy");
        List<BatchRowProblem> problems = new ArrayList<>();
        CsvRecords.Result parsed = CsvRecords.parse(csv);
        List<List<String>> records = parsed.records();
        if (records.isEmpty() || records.get(0).stream().allMatch(String::isBlank)) {
            return new BatchFile(List.of(), List.of(malformed(0, "the file has no header; the first line names"
                    + " the columns: " + BatchRowReader.REQUIRED)));
        }
        List<String> header = records.get(0).stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).toList();
        checkHeader(header, problems);
        if (parsed.unterminatedAt() > 0) {
            problems.add(malformed(parsed.unterminatedAt() - 1, "a quoted field is never closed; the rows from here"
                    + " on were not read"));
        }
        if (!problems.isEmpty() && problems.stream().anyMatch(problem -> problem.rowNumber() == 0)) {
            return new BatchFile(List.of(), problems); // without a usable header no row can be read
        }
        List<BatchRow> rows = new ArrayList<>();
        checkCount(records.size() - 1, problems);
        for (int index = 1; index < records.size() && index <= Batches.MAX_ROWS; index++) {
            List<String> record = records.get(index);
            if (record.stream().allMatch(String::isBlank)) {
                continue;
            }
            if (record.size() > header.size()) {
                problems.add(malformed(index, "the row has " + record.size() + " fields, the header "
                        + header.size()));
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (int column = 0; column < record.size(); column++) {
                fields.put(header.get(column), record.get(column));
            }
            BatchRowReader.read(index, fields, requestedBy, problems).ifPresent(rows::add);
        }
        return new BatchFile(rows, problems);
    }

    /**
     * The rows of a JSON array of objects, such as
     * {@code [{"provider":"adyen","merchant_number":"898310058120001","terminal_serial":"0820000001",
     * "reason":"CLOSURE","bindings":"DEVICE","time_zone":"Asia/Shanghai"}]}.
     *
     * @param requestedBy who asks for the unbinds (every row's {@code requestedBy})
     * @throws BatchValidationException listing every problem of the file and of every row
     */
    public static List<BatchRow> readJson(String json, Actor requestedBy) {
        return parseJson(json, requestedBy).rowsOrThrow();
    }

    /**
     * A JSON text as read: its rows read well and the problems of the rest, for
     * {@link Batches#open(BatchId, BatchFile, BatchOptions, Actor)}, which reports them with the problems of the
     * rows read in one refusal.
     */
    public static BatchFile parseJson(String json, Actor requestedBy) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(requestedBy, "requestedBy");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return new BatchFile(List.of(), List.of(malformed(0, "the file is not JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        }
        if (root == null || !root.isArray()) {
            return new BatchFile(List.of(), List.of(malformed(0, "the file is a JSON array of objects, one per"
                    + " terminal")));
        }
        List<BatchRowProblem> problems = new ArrayList<>();
        checkCount(root.size(), problems);
        List<BatchRow> rows = new ArrayList<>();
        for (int index = 0; index < root.size() && index < Batches.MAX_ROWS; index++) {
            int rowNumber = index + 1;
            JsonNode node = root.get(index);
            if (!node.isObject()) {
                problems.add(malformed(rowNumber, "each row is a JSON object"));
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            int before = problems.size();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!BatchRowReader.known(field.getKey())) {
                    problems.add(new BatchRowProblem(rowNumber, CoreErrorCode.BATCH_FIELD_INVALID.code(), "",
                            "a field is not one of " + known()));
                } else if (field.getValue().isTextual()) {
                    fields.put(field.getKey(), field.getValue().asText());
                } else if (!field.getValue().isNull()) {
                    problems.add(new BatchRowProblem(rowNumber, CoreErrorCode.BATCH_FIELD_INVALID.code(),
                            field.getKey(), field.getKey() + " is a string"));
                }
            }
            if (problems.size() == before) {
                BatchRowReader.read(rowNumber, fields, requestedBy, problems).ifPresent(rows::add);
            }
        }
        return new BatchFile(rows, problems);
    }

    private static void checkHeader(List<String> header, List<BatchRowProblem> problems) {
        for (String column : header) {
            if (!BatchRowReader.known(column)) {
                problems.add(malformed(0, "the header has a column that is not one of " + known()));
            }
        }
        if (header.size() != header.stream().distinct().count()) {
            problems.add(malformed(0, "the header names a column twice"));
        }
        for (String required : BatchRowReader.REQUIRED) {
            if (!header.contains(required)) {
                problems.add(new BatchRowProblem(0, CoreErrorCode.BATCH_FIELD_MISSING.code(), required,
                        "the header has no column " + required));
            }
        }
    }

    private static void checkCount(int rows, List<BatchRowProblem> problems) {
        if (rows > Batches.MAX_ROWS) {
            problems.add(new BatchRowProblem(0, CoreErrorCode.BATCH_INVALID.code(), "", "a batch has at most "
                    + Batches.MAX_ROWS + " rows, this file " + rows + "; split it"));
        }
    }

    private static BatchRowProblem malformed(int row, String message) {
        return new BatchRowProblem(row, CoreErrorCode.BATCH_FILE_MALFORMED.code(), "", message);
    }

    private static List<String> known() {
        List<String> all = new ArrayList<>(BatchRowReader.REQUIRED);
        all.addAll(BatchRowReader.OPTIONAL);
        return all;
    }
}
