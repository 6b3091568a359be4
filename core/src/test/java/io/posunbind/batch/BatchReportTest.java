package io.posunbind.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.CaseId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The final report of a batch, as CSV a spreadsheet opens safely and as JSON. */
class BatchReportTest {

    private final BatchReport report = new BatchReport(BatchId.of("b1"), BatchState.FINISHED, List.of(
            new BatchReportRow(1, "0820000001", "adyen", Optional.of(CaseId.of("b1-1")), BatchRowStatus.ENDED,
                    "FAILED", Optional.of("PRV-REJECTED"), Optional.of("refused, \"terminal locked\"")),
            new BatchReportRow(2, "=cmd", "adyen", Optional.empty(), BatchRowStatus.REFUSED_AT_START,
                    "REFUSED_AT_START", Optional.of("UNB-TERMINAL-IN-CASE"), Optional.empty())));

    @Test
    void theCsvQuotesWhatNeedsQuotingAndDefusesFormulas() {
        assertEquals(BatchReport.CSV_HEADER + "\r\n"
                + "1,0820000001,adyen,b1-1,ENDED,FAILED,PRV-REJECTED,\"refused, \"\"terminal locked\"\"\"\r\n"
                + "2,'=cmd,adyen,,REFUSED_AT_START,REFUSED_AT_START,UNB-TERMINAL-IN-CASE,\r\n", report.toCsv());
    }

    @Test
    void theJsonLeavesAbsentValuesOut() {
        assertEquals("{\"batchId\":\"b1\",\"state\":\"FINISHED\",\"rows\":["
                + "{\"row\":1,\"terminalSerial\":\"0820000001\",\"provider\":\"adyen\",\"caseId\":\"b1-1\","
                + "\"status\":\"ENDED\",\"outcome\":\"FAILED\",\"errorCode\":\"PRV-REJECTED\","
                + "\"detail\":\"refused, \\\"terminal locked\\\"\"},"
                + "{\"row\":2,\"terminalSerial\":\"=cmd\",\"provider\":\"adyen\",\"status\":\"REFUSED_AT_START\","
                + "\"outcome\":\"REFUSED_AT_START\",\"errorCode\":\"UNB-TERMINAL-IN-CASE\"}]}", report.toJson());
    }
}
