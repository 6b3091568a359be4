package io.posunbind.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.UnbindReason;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading a fleet from a CSV or JSON file: every row checked, every problem reported by row and code. */
class BatchFilesTest {

    private static final Actor OPERATOR = Actor.operator("operator:li.na");

    @Test
    void aCsvFileGivesOneRowPerTerminalWithQuotedFieldsAsRfc4180WritesThem() {
        String csv = "\uFEFFTerminal_Serial,provider,merchant_number,reason,bindings,reason_note,replacement_serial,"
                + "replacement_model,time_zone\r\n"
                + "0820000001,adyen,898310058120001,CLOSURE,DEVICE,,,,\r\n"
                + "0820000002,adyen,898310058120001,OTHER,device;account,\"门店关闭, \"\"整体\"\" 迁移\nsecond line\","
                + "1170000001,\"PAX A920Pro\",Europe/London\r\n";

        List<BatchRow> rows = BatchFiles.readCsv(csv, OPERATOR);

        assertEquals(2, rows.size());
        assertEquals(1, rows.get(0).rowNumber());
        assertEquals("0820000001", rows.get(0).request().terminalSerial());
        assertEquals(Set.of(BindingKind.DEVICE), rows.get(0).request().scope());
        assertEquals(Optional.empty(), rows.get(0).timeZone());
        BatchRow second = rows.get(1);
        assertEquals(UnbindReason.OTHER, second.request().reason());
        assertEquals("门店关闭, \"整体\" 迁移\nsecond line", second.request().reasonNote());
        assertEquals(Set.of(BindingKind.DEVICE, BindingKind.ACCOUNT), second.request().scope());
        assertEquals("PAX A920Pro", second.request().replacement().orElseThrow().model());
        assertEquals(Optional.of(ZoneId.of("Europe/London")), second.timeZone());
        assertEquals(OPERATOR, second.request().requestedBy());
    }

    @Test
    void everyProblemOfEveryRowComesAtOnceWithItsRowNumberAndCode() {
        String csv = """
                provider,merchant_number,terminal_serial,reason,bindings,replacement_serial,time_zone
                adyen,898310058120001,0820000001,CLOSURE,ALL,,
                adyen,,0820000002,SOLD,DEVICE,,
                adyen,898310058120001,0820 0003,CLOSURE,PRINTER,1170000001,Nowhere/Else

                adyen,898310058120001,0820000005,CLOSURE,DEVICE,,,extra
                """;

        BatchValidationException refused = assertThrows(BatchValidationException.class,
                () -> BatchFiles.readCsv(csv, OPERATOR));

        assertEquals(List.of(
                "2 UNB-BATCH-FIELD-MISSING merchant_number", "2 UNB-BATCH-FIELD-INVALID reason",
                "3 UNB-BATCH-FIELD-INVALID bindings", "3 UNB-BATCH-FIELD-INVALID time_zone",
                "3 UNB-BATCH-FIELD-MISSING replacement_model", "5 UNB-BATCH-FILE-MALFORMED "),
                refused.problems().stream().map(p -> p.rowNumber() + " " + p.code() + " " + p.field()).toList());
        assertEquals("UNB-BATCH-INVALID", refused.errorCode().code());
    }

    @Test
    void parsingKeepsTheRowsReadWellBesideTheProblemsOfTheRest() {
        String csv = """
                provider,merchant_number,terminal_serial,reason,bindings
                adyen,898310058120001,0820000001,CLOSURE,ALL
                adyen,,0820000002,SOLD,DEVICE
                adyen,898310058120001,0820000003,CLOSURE,DEVICE
                """;

        BatchFile file = BatchFiles.parseCsv(csv, OPERATOR);

        assertEquals(List.of(1, 3), file.rows().stream().map(BatchRow::rowNumber).toList());
        assertEquals(List.of("2 UNB-BATCH-FIELD-MISSING merchant_number", "2 UNB-BATCH-FIELD-INVALID reason"),
                file.problems().stream().map(p -> p.rowNumber() + " " + p.code() + " " + p.field()).toList());
        assertEquals(false, file.readWell());
        assertEquals("BatchFile[2 rows read, 2 problems]", file.toString(), "no row's contents");
        assertEquals(file.problems(), assertThrows(BatchValidationException.class, file::rowsOrThrow).problems());
        BatchFile json = BatchFiles.parseJson("[{\"provider\":\"adyen\"}, 7]", OPERATOR);
        assertEquals(List.of(), json.rows());
        assertEquals(List.of(1, 1, 1, 1, 2), json.problems().stream().map(BatchRowProblem::rowNumber).toList());
        assertEquals(List.of("0 UNB-BATCH-INVALID"), BatchFiles.parseJson("[]", OPERATOR).problems().stream()
                .map(p -> p.rowNumber() + " " + p.code()).toList(), "a file without rows says so");
    }

    @Test
    void aRequestTheBuilderRefusesIsReportedWithTheRequestsOwnCodeUnderItsColumn() {
        String csv = "provider,merchant_number,terminal_serial,reason,bindings\n"
                + "adyen,898310058120001,0820\u200B0001,CLOSURE,DEVICE\n";

        BatchValidationException refused = assertThrows(BatchValidationException.class,
                () -> BatchFiles.readCsv(csv, OPERATOR));

        BatchRowProblem problem = refused.problems().get(0);
        assertEquals(1, problem.rowNumber());
        assertEquals("terminal_serial", problem.field());
        assertTrue(problem.code().startsWith("UNB-") || problem.code().startsWith("VAL-"), problem.code());
    }

    @Test
    void aFileWithoutTheRequiredColumnsOrWithAnUnknownOneIsRefusedBeforeItsRowsAreRead() {
        BatchValidationException refused = assertThrows(BatchValidationException.class,
                () -> BatchFiles.readCsv("provider,terminal_serial,timezone\nadyen,0820000001,UTC\n", OPERATOR));

        assertEquals(List.of("0 UNB-BATCH-FILE-MALFORMED ", "0 UNB-BATCH-FIELD-MISSING merchant_number",
                "0 UNB-BATCH-FIELD-MISSING reason", "0 UNB-BATCH-FIELD-MISSING bindings"),
                refused.problems().stream().map(p -> p.rowNumber() + " " + p.code() + " " + p.field()).toList());
    }

    @Test
    void aQuoteLeftOpenIsNamedByItsRow() {
        String csv = "provider,merchant_number,terminal_serial,reason,bindings,reason_note\n"
                + "adyen,898310058120001,0820000001,CLOSURE,DEVICE,\n"
                + "adyen,898310058120001,0820000002,CLOSURE,DEVICE,\"never closed\n";

        BatchValidationException refused = assertThrows(BatchValidationException.class,
                () -> BatchFiles.readCsv(csv, OPERATOR));

        assertEquals(List.of("2 UNB-BATCH-FILE-MALFORMED"), refused.problems().stream()
                .map(p -> p.rowNumber() + " " + p.code()).toList());
    }

    @Test
    void aJsonFileGivesTheSameRowsAndRefusesUnknownFieldsAndNonStrings() {
        List<BatchRow> rows = BatchFiles.readJson("""
                [{"provider":"adyen","merchant_number":"898310058120001","terminal_serial":"0820000001",
                  "reason":"CLOSURE","bindings":"DEVICE","time_zone":"Asia/Shanghai"}]""", OPERATOR);
        assertEquals(1, rows.size());
        assertEquals(Optional.of(ZoneId.of("Asia/Shanghai")), rows.get(0).timeZone());

        BatchValidationException refused = assertThrows(BatchValidationException.class, () -> BatchFiles.readJson("""
                [{"provider":"adyen","merchant_number":"898310058120001","terminal_serial":"0820000001",
                  "reason":"CLOSURE","bindings":"DEVICE","timezone":"UTC"},
                 {"provider":"adyen","merchant_number":898310058120001,"terminal_serial":"0820000002",
                  "reason":"CLOSURE","bindings":"DEVICE"},
                 "not an object"]""", OPERATOR));
        assertEquals(List.of("1 UNB-BATCH-FIELD-INVALID", "2 UNB-BATCH-FIELD-INVALID", "3 UNB-BATCH-FILE-MALFORMED"),
                refused.problems().stream().map(p -> p.rowNumber() + " " + p.code()).toList());

        BatchValidationException notJson = assertThrows(BatchValidationException.class,
                () -> BatchFiles.readJson("{\"rows\":", OPERATOR));
        assertEquals("UNB-BATCH-FILE-MALFORMED", notJson.problems().get(0).code());
    }
}
