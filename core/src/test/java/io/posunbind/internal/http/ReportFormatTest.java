package io.posunbind.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A spreadsheet download asks for CSV; a script, a browser's default or no Accept at all gets JSON. */
class ReportFormatTest {

    @Test
    void csvOnlyWhenTheClientNamesItAndWeighsItAtLeastAsHighAsJson() {
        Map<String, Boolean> csv = new LinkedHashMap<>();
        csv.put("text/csv", true);
        csv.put("text/csv; charset=utf-8", true);
        csv.put("TEXT/CSV", true);
        csv.put("text/csv, application/json;q=0.5", true);
        csv.put("application/json;q=0.9, text/csv", true);
        csv.put("text/*, */*;q=0.1", true);
        csv.put("text/csv, */*", true);
        csv.put("application/json, text/csv;q=0.5", false);
        csv.put("text/csv;q=0, application/json", false);
        csv.put("text/csv;q=0", false);
        csv.put("*/*", false);
        csv.put("application/json", false);
        csv.put("text/html, application/xhtml+xml, */*;q=0.8", false);
        csv.put("text/csv;q=nonsense, application/json;q=0.5", true);

        csv.forEach((accept, expected) -> assertEquals(expected, ReportFormat.prefersCsv(Optional.of(accept)), accept));
        assertEquals(false, ReportFormat.prefersCsv(Optional.empty()), "no Accept: JSON");
    }
}
