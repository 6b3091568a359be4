package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchReport;
import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpApiOptions;
import io.posunbind.http.HttpCall;
import io.posunbind.http.UnbindHttpApi;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operations team runs a fleet unbind over HTTP alone, through the framework-neutral {@link UnbindHttpApi}:
 * it uploads the stores' CSV, follows the batch, pauses and resumes it, cancels what is left and downloads the
 * report as CSV and as JSON; on the in-memory store and on H2. Refusals come back as problem documents with the
 * status of their code, a refused batch listing every row problem.
 */
class BatchesOverHttpScenarioTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = "{\"id\":\"operator:li.na\",\"role\":\"operator\"}";
    private static final String HEADER = "provider,merchant_number,terminal_serial,reason,bindings,time_zone\n";
    private static final String UPLOAD = "/batches?batchId=closing-2026-11&actorId=operator:li.na&actorRole=operator"
            + "&startFrom=09:00&startUntil=17:00&defaultTimeZone=Asia%2FShanghai&maxCasesInFlight=2";

    @TempDir
    Path directory;

    private final List<HttpAnswer> answers = new ArrayList<>();

    @Test
    void aFleetUploadedAsCsvIsFollowedPausedResumedCancelledAndReportedOverHttp() throws Exception {
        MerchantCase merchant = new MerchantCase();
        try {
            runTheFleet(merchant);
        } finally {
            merchant.unbinder.close();
        }
    }

    @Test
    void theSameFleetOverHttpOnTheEmbeddedH2Store() throws Exception {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(directory.resolve("data"), directory.resolve("keys"))) {
            MerchantCase merchant = new MerchantCase(store);
            try {
                runTheFleet(merchant);
            } finally {
                merchant.unbinder.close();
            }
        }
    }

    private void runTheFleet(MerchantCase merchant) throws Exception {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        UnbindHttpApi api = UnbindHttpApi.of(merchant.unbinder);
        String csv = HEADER + rowsOf(merchant, 1, 4);

        HttpAnswer opened = send(api, "POST", UPLOAD, "text/csv; charset=utf-8", csv, Map.of());
        assertEquals(201, opened.status(), opened.bodyText());
        assertEquals("batches/closing-2026-11", opened.headers().get("Location"));
        JsonNode pending = json(opened);
        assertEquals("RUNNING", pending.get("state").asText());
        assertEquals(4, pending.get("rows").asInt());
        assertEquals(4, pending.get("rowsByStatus").get("PENDING").asInt());

        merchant.unbinder.runDueWork(); // 10:00 in Shanghai, inside the window: two rows start, the cap
        JsonNode started = json(ok(send(api, "GET", "/batches/closing-2026-11", null, null, Map.of())));
        assertEquals(2, started.get("rowsByStatus").get("STARTED").asInt(), started.toString());
        assertEquals(2, started.get("rowsByStatus").get("PENDING").asInt());
        assertEquals(2, started.get("waitingFor").get("DOCUMENTS").asInt(), started.toString());
        assertEquals(merchant.clock.instant().toString(), started.get("firstStartedAt").asText());

        JsonNode paused = json(ok(post(api, "/batches/closing-2026-11/pause", "{\"actor\":" + OPERATOR + "}")));
        assertEquals("PAUSED", paused.get("state").asText());
        assertRefused(409, "UNB-COMMAND-NOT-EXPECTED",
                post(api, "/batches/closing-2026-11/pause", "{\"actor\":" + OPERATOR + "}"));
        JsonNode resumed = json(ok(post(api, "/batches/closing-2026-11/resume", "{\"actor\":" + OPERATOR + "}")));
        assertEquals("RUNNING", resumed.get("state").asText());

        // Row 1's merchant agrees to the fees and its case completes; then the rest of the batch is cancelled.
        BatchId batch = BatchId.of("closing-2026-11");
        // Rows from a file carry no documents: the case asks for them, and they are handed in over HTTP too.
        ok(post(api, "/cases/closing-2026-11-1/documents", "{\"actor\":" + OPERATOR + ",\"documents\":["
                + "{\"type\":\"BUSINESS_LICENCE\",\"unifiedSocialCreditCode\":\""
                + SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE + "\",\"merchantName\":\"" + SandboxDemoData.MERCHANT_NAME
                + "\"},{\"type\":\"TERMINAL_INFORMATION\",\"serialNumber\":\"" + serial(1)
                + "\",\"model\":\"PAX A920\"}]}"));
        merchant.agreeToFees(merchant.unbinder.find(batch.caseIdOf(1)).orElseThrow());
        JsonNode cancelled = json(ok(post(api, "/batches/closing-2026-11/cancel",
                "{\"actor\":" + OPERATOR + ",\"reason\":\"门店改为续租，暂不撤机\"}")));
        assertEquals(2, cancelled.get("rowsCancelledBeforeStart").asInt(), cancelled.toString());
        assertEquals(List.of("closing-2026-11-2"), texts(cancelled.get("casesCancelled")));
        assertEquals(0, cancelled.get("notCancelled").size());

        HttpAnswer csvReport = ok(send(api, "GET", "/batches/closing-2026-11/report", null, null,
                Map.of("Accept", List.of("text/csv, application/json;q=0.5"))), "text/csv; charset=utf-8");
        assertEquals(List.of(BatchReport.CSV_HEADER,
                "1,0860000001,sandbox,closing-2026-11-1,ENDED,COMPLETED,,",
                "2,0860000002,sandbox,closing-2026-11-2,ENDED,CANCELLED,UNB-CANCELLED,Cancelled by operator:li.na:"
                        + " 门店改为续租，暂不撤机",
                "3,0860000003,sandbox,,CANCELLED_BEFORE_START,CANCELLED_BEFORE_START,,",
                "4,0860000004,sandbox,,CANCELLED_BEFORE_START,CANCELLED_BEFORE_START,,"),
                csvReport.bodyText().lines().toList());
        assertEquals("Accept", csvReport.headers().get("Vary"));
        JsonNode jsonReport = json(ok(send(api, "GET", "/batches/closing-2026-11/report", null, null, Map.of())));
        assertEquals("CANCELLED", jsonReport.get("state").asText());
        assertEquals(4, jsonReport.get("rows").size());
        assertEquals("COMPLETED", jsonReport.get("rows").get(0).get("outcome").asText());
        assertEquals(merchant.unbinder.batches().report(batch).toJson(), jsonReport.toString(),
                "the API answers the report as the SDK renders it");
        JsonNode after = json(ok(send(api, "GET", "/batches/closing-2026-11", null, null, Map.of())));
        assertEquals(1, after.get("casesByState").get("COMPLETED").asInt(), after.toString());
        assertEquals(1, after.get("casesByState").get("CANCELLED").asInt(), after.toString());
        assertNoNumberInClear();
    }

    @Test
    void aBatchAsJsonWithItsOptionsOpensAndAnsweredAgainIsAConflict() throws Exception {
        MerchantCase merchant = new MerchantCase();
        UnbindHttpApi api = UnbindHttpApi.of(merchant.unbinder);
        String body = "{\"batchId\":\"night-2026-11\",\"actor\":" + OPERATOR + ",\"options\":{\"startWindow\":"
                + "{\"from\":\"23:00\",\"until\":\"05:00\"},\"maxCasesInFlight\":50},\"rows\":["
                + "{\"provider\":\"sandbox\",\"merchant_number\":\"" + MERCHANT_NUMBER + "\",\"terminal_serial\":"
                + "\"" + serial(1) + "\",\"reason\":\"CLOSURE\",\"bindings\":\"DEVICE\"}]}";
        addTerminals(merchant, 1, 1);

        assertEquals(201, post(api, "/batches", body).status());
        merchant.unbinder.runDueWork(); // 10:00 in Shanghai: outside the night window, nothing starts
        assertEquals(1, json(send(api, "GET", "/batches/night-2026-11", null, null, Map.of()))
                .get("rowsByStatus").get("PENDING").asInt());
        assertRefused(409, "UNB-BATCH-EXISTS", post(api, "/batches", body));
        merchant.unbinder.close();
    }

    @Test
    void rowProblemsAre422ListingEveryRowAndAnUnreadableFileIs400() throws Exception {
        MerchantCase merchant = new MerchantCase();
        UnbindHttpApi api = UnbindHttpApi.of(merchant.unbinder);
        addTerminals(merchant, 1, 3);
        String badRows = HEADER
                + "sandbox," + MERCHANT_NUMBER + "," + serial(1) + ",CLOSURE,DEVICE,\n"
                + "sandbox," + MERCHANT_NUMBER + ",,CLOSURE,DEVICE,\n"
                + "sandbox," + MERCHANT_NUMBER + "," + serial(2) + ",CLOSED_FOR_GOOD,DEVICE,\n"
                + "sandbox," + MERCHANT_NUMBER + "," + serial(3) + ",CLOSURE,DEVICE,Mars/Olympus\n";

        HttpAnswer refused = send(api, "POST", UPLOAD, "text/csv", badRows, Map.of("Accept-Language",
                List.of("zh-CN")));

        assertRefused(422, "UNB-BATCH-INVALID", refused);
        assertEquals(List.of("2 terminal_serial UNB-BATCH-FIELD-MISSING", "3 reason UNB-BATCH-FIELD-INVALID",
                "4 time_zone UNB-BATCH-FIELD-INVALID"), rowProblems(json(refused)));
        for (JsonNode error : json(refused).get("errors")) {
            assertTrue(error.get("detail").asText().chars().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN), "in the client's language: " + error);
        }

        // Rows that read well but cannot run: an unknown provider and the same terminal twice.
        String wellFormed = HEADER
                + "sandbox," + MERCHANT_NUMBER + "," + serial(1) + ",CLOSURE,DEVICE,\n"
                + "acme," + MERCHANT_NUMBER + "," + serial(2) + ",CLOSURE,DEVICE,\n"
                + "sandbox," + MERCHANT_NUMBER + "," + serial(1) + ",CLOSURE,DEVICE,\n";
        HttpAnswer cannotRun = send(api, "POST", UPLOAD, "text/csv", wellFormed, Map.of());
        assertRefused(422, "UNB-BATCH-INVALID", cannotRun);
        assertEquals(List.of("2 provider UNB-BATCH-UNKNOWN-PROVIDER", "3 terminal_serial UNB-BATCH-DUPLICATE-TERMINAL"),
                rowProblems(json(cannotRun)));
        assertRefused(404, "UNB-BATCH-NOT-FOUND", send(api, "GET", "/batches/closing-2026-11", null, null,
                Map.of()));

        // Both kinds in one file: one 422 lists them all, by row, so the file is put right in one round.
        HttpAnswer both = send(api, "POST", UPLOAD, "text/csv", wellFormed
                + "sandbox," + MERCHANT_NUMBER + ",,CLOSURE,DEVICE,\n", Map.of());
        assertRefused(422, "UNB-BATCH-INVALID", both);
        assertEquals(List.of("2 provider UNB-BATCH-UNKNOWN-PROVIDER", "3 terminal_serial UNB-BATCH-DUPLICATE-TERMINAL",
                "4 terminal_serial UNB-BATCH-FIELD-MISSING"), rowProblems(json(both)));

        HttpAnswer unterminated = send(api, "POST", UPLOAD, "text/csv", HEADER + "sandbox,\"" + MERCHANT_NUMBER
                + ",0860000001,CLOSURE,DEVICE,\n", Map.of());
        assertRefused(400, "UNB-BATCH-FILE-MALFORMED", unterminated);
        assertEquals(List.of("1  UNB-BATCH-FILE-MALFORMED"), rowProblems(json(unterminated)));
        HttpAnswer noHeader = send(api, "POST", UPLOAD, "text/csv", "\n", Map.of());
        assertEquals(List.of("0  UNB-BATCH-FILE-MALFORMED"), rowProblems(json(noHeader)));
        merchant.unbinder.close();
        assertNoNumberInClear();
    }

    @Test
    void anUnknownBatchAWrongTypeAndAMalformedCommandAreRefusedAsTheCaseRoutesAre() throws Exception {
        MerchantCase merchant = new MerchantCase();
        UnbindHttpApi api = UnbindHttpApi.of(merchant.unbinder);

        assertRefused(404, "UNB-BATCH-NOT-FOUND", send(api, "GET", "/batches/no-such-batch", null, null, Map.of()));
        assertRefused(404, "UNB-BATCH-NOT-FOUND", send(api, "GET", "/batches/no-such-batch/report", null, null,
                Map.of("Accept", List.of("text/csv"))));
        assertRefused(404, "UNB-BATCH-NOT-FOUND", post(api, "/batches/no-such-batch/cancel",
                "{\"actor\":" + OPERATOR + ",\"reason\":\"重复提交\"}"));
        HttpAnswer plain = send(api, "POST", UPLOAD, "text/plain", HEADER, Map.of());
        assertRefused(415, "UNB-HTTP-UNSUPPORTED-MEDIA-TYPE", plain);
        assertEquals("application/json, text/csv", plain.headers().get("Accept-Post"));
        assertRefused(415, "UNB-HTTP-UNSUPPORTED-MEDIA-TYPE", send(api, "POST", UPLOAD, "text/csv; charset=gbk",
                HEADER, Map.of()));
        assertRefused(415, "UNB-HTTP-UNSUPPORTED-MEDIA-TYPE", send(api, "POST", "/batches/b/pause", "text/csv",
                "{}", Map.of()));

        HttpAnswer malformed = post(api, "/batches", "{\"actor\":{\"id\":\"operator:li.na\"},\"rows\":[],"
                + "\"options\":{\"maxCasesInFlight\":0,\"startWindow\":{\"from\":\"23:00\"},\"colour\":\"red\"}}");
        assertRefused(400, "UNB-INVALID-REQUEST", malformed);
        assertEquals(List.of("actor.role", "batchId", "options", "options.maxCasesInFlight",
                "options.startWindow.until"), fields(json(malformed)));
        HttpAnswer query = send(api, "POST", "/batches?batchId=x&actorId=operator:li.na&limit=3&maxCasesInFlight=-1",
                "text/csv", HEADER, Map.of());
        assertEquals(List.of("actorRole", "maxCasesInFlight", "query"), fields(json(query)));
        assertEquals(List.of("batchId"), fields(json(send(api, "GET", "/batches/" + "x".repeat(33), null, null,
                Map.of()))));
        assertEquals(List.of("actor"), fields(json(post(api, "/batches/b/resume", "{}"))));
        merchant.unbinder.close();
    }

    @Test
    void aFleetFileLargerThanTheOrdinaryBodyLimitIsTakenUpToTheBatchLimit() throws Exception {
        MerchantCase merchant = new MerchantCase();
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 1_200; i++) {
            csv.append("sandbox,").append(MERCHANT_NUMBER).append(',').append(serial(i)).append(",CLOSURE,DEVICE,"
                    + "Asia/Shanghai\n");
        }
        assertTrue(csv.length() > HttpApiOptions.DEFAULT_MAX_BODY_BYTES, "more than a case command may carry");

        HttpAnswer opened = send(UnbindHttpApi.of(merchant.unbinder), "POST", UPLOAD, "text/csv", csv.toString(),
                Map.of());
        assertEquals(201, opened.status(), opened.bodyText());
        assertEquals(1_200, json(opened).get("rows").asInt());

        UnbindHttpApi small = UnbindHttpApi.of(merchant.unbinder, new HttpApiOptions(4096, true, true)
                .withMaxBatchBodyBytes(1024));
        HttpAnswer tooLarge = send(small, "POST", UPLOAD.replace("closing-2026-11", "other"), "text/csv",
                csv.toString(), Map.of());
        assertRefused(413, "UNB-HTTP-BODY-TOO-LARGE", tooLarge);
        assertEquals(1024, json(tooLarge).get("maxBodyBytes").asInt(), "the batch limit is named");
        HttpAnswer bigCommand = send(small, "POST", "/cases/c/cancel", "application/json", " ".repeat(5000),
                Map.of());
        assertRefused(413, "UNB-HTTP-BODY-TOO-LARGE", bigCommand);
        assertEquals(4096, json(bigCommand).get("maxBodyBytes").asInt(), "every other route keeps its own limit");
        merchant.unbinder.close();
    }

    // --- the fleet and the calls ---

    private static String rowsOf(MerchantCase merchant, int first, int last) {
        addTerminals(merchant, first, last);
        StringBuilder rows = new StringBuilder();
        for (int i = first; i <= last; i++) {
            rows.append("sandbox,").append(MERCHANT_NUMBER).append(',').append(serial(i)).append(",CLOSURE,DEVICE,\n");
        }
        return rows.toString();
    }

    private static void addTerminals(MerchantCase merchant, int first, int last) {
        for (int i = first; i <= last; i++) {
            merchant.sandbox.addTerminal(serial(i), "PAX A920", MERCHANT_NUMBER);
        }
    }

    private static String serial(int i) {
        return String.format("08600%05d", i);
    }

    private HttpAnswer post(UnbindHttpApi api, String path, String body) {
        return send(api, "POST", path, "application/json", body, Map.of());
    }

    private HttpAnswer send(UnbindHttpApi api, String method, String path, String contentType, String body,
            Map<String, List<String>> headers) {
        Map<String, List<String>> all = new HashMap<>(headers);
        if (contentType != null) {
            all.put("Content-Type", List.of(contentType));
        }
        HttpAnswer answer = api.handle(new HttpCall(method, path, all,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
        answers.add(answer);
        return answer;
    }

    private void assertNoNumberInClear() {
        for (HttpAnswer answer : answers) {
            String text = answer.bodyText();
            assertFalse(text.contains(SandboxDemoData.SETTLEMENT_CARD_NUMBER)
                    || text.contains(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE), text);
        }
    }

    private static HttpAnswer ok(HttpAnswer answer) {
        return ok(answer, "application/json");
    }

    private static HttpAnswer ok(HttpAnswer answer, String contentType) {
        assertEquals(200, answer.status(), answer.bodyText());
        assertEquals(contentType, answer.contentType());
        return answer;
    }

    private static void assertRefused(int status, String code, HttpAnswer answer) throws Exception {
        assertEquals(status, answer.status(), answer.bodyText());
        assertEquals("application/problem+json", answer.contentType());
        JsonNode problem = json(answer);
        assertEquals(code, problem.get("code").asText(), answer.bodyText());
        assertEquals(status, problem.get("status").asInt());
    }

    private static List<String> rowProblems(JsonNode problem) {
        List<String> rows = new ArrayList<>();
        problem.get("errors").forEach(error -> rows.add(error.get("row").asInt() + " " + error.get("field").asText()
                + " " + error.get("code").asText()));
        return rows;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields.stream().sorted().toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static JsonNode json(HttpAnswer answer) throws Exception {
        return JSON.readTree(answer.body());
    }
}
