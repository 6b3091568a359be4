package io.posunbind.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.CaseId;
import io.posunbind.spi.API;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The final report of a batch: one line per row, by row number, with its case, outcome and error code. Holds
 * identifiers and codes only (see {@link BatchReportRow}). Asked for while the batch runs, it shows open cases
 * by their current state. Immutable and thread-safe.
 *
 * <pre>{@code
 * BatchReport report = unbinder.batches().report(batchId);
 * Files.writeString(Path.of("fleet-2026-11.csv"), report.toCsv());
 * }</pre>
 *
 * @param batchId the batch
 * @param state   the batch's state when the report was read
 * @param rows    every row, by row number
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchReport(BatchId batchId, BatchState state, List<BatchReportRow> rows) {

    /** The CSV header, in the order of the columns. */
    public static final String CSV_HEADER = "row,terminal_serial,provider,case_id,status,outcome,error_code,detail";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks and copies the fields. */
    public BatchReport {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(state, "state");
        rows = List.copyOf(rows);
    }

    /** The report as CSV (RFC 4180: comma-separated, CRLF line ends, quoted where needed), header first. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append("\r\n");
        for (BatchReportRow row : rows) {
            csv.append(row.rowNumber()).append(',')
                    .append(quoted(row.terminalSerial())).append(',')
                    .append(quoted(row.providerId())).append(',')
                    .append(row.caseId().map(CaseId::value).orElse("")).append(',')
                    .append(row.status().name()).append(',')
                    .append(quoted(row.outcome())).append(',')
                    .append(quoted(row.errorCode().orElse(""))).append(',')
                    .append(quoted(row.detail().orElse(""))).append("\r\n");
        }
        return csv.toString();
    }

    /**
     * The report as JSON: {@code {"batchId":…,"state":…,"rows":[{"row":1,"terminalSerial":…,"provider":…,
     * "caseId":…,"status":…,"outcome":…,"errorCode":…,"detail":…}]}}, absent values left out.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("batchId", batchId.value());
        root.put("state", state.name());
        ArrayNode array = root.putArray("rows");
        for (BatchReportRow row : rows) {
            ObjectNode line = array.addObject();
            line.put("row", row.rowNumber());
            line.put("terminalSerial", row.terminalSerial());
            line.put("provider", row.providerId());
            row.caseId().ifPresent(id -> line.put("caseId", id.value()));
            line.put("status", row.status().name());
            line.put("outcome", row.outcome());
            row.errorCode().ifPresent(code -> line.put("errorCode", code));
            row.detail().ifPresent(detail -> line.put("detail", detail));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field quoted when it holds a comma, quote or line break; a leading formula sign is defused for spreadsheets. */
    private static String quoted(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
            return safe;
        }
        return '"' + safe.replace("\"", "\"\"") + '"';
    }
}
