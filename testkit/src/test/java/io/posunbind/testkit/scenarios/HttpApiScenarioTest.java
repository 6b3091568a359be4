package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NAME;
import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.SETTLEMENT_CARD_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.StepKind;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpCall;
import io.posunbind.http.UnbindHttpApi;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxNotifications;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A back office drives a merchant's unbind entirely over HTTP, through the framework-neutral
 * {@link UnbindHttpApi}, against the sandbox acquirer: it opens the case, hands in documents, agrees to the
 * fees, and the acquirer's signed webhooks carry the case to COMPLETED. Refusals come back with the status
 * and code a client can act on; no answer carries a card or account number in clear.
 */
class HttpApiScenarioTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SANDBOX_SECRET = SandboxNotifications.DEMO_SECRET.getBytes(StandardCharsets.UTF_8);
    private static final String NEW_ACCOUNT_NUMBER = "31050161373700000512";
    private static final String OPERATOR = "{\"id\":\"operator:li.na\",\"role\":\"operator\"}";
    private static final String MERCHANT = "{\"id\":\"merchant:zhang.wei\",\"role\":\"merchant\"}";
    private static final String REVIEWER = "{\"id\":\"operator:wang.fang\",\"role\":\"reviewer\"}";

    private final MerchantCase merchant = new MerchantCase();
    private final List<HttpAnswer> answers = new ArrayList<>();
    private UnbindHttpApi api;

    @AfterEach
    void close() {
        merchant.unbinder.close();
        for (HttpAnswer answer : answers) {
            String text = answer.bodyText();
            assertFalse(text.contains(SETTLEMENT_CARD_NUMBER) || text.contains(NEW_ACCOUNT_NUMBER),
                    "an answer carries a number in clear: " + text);
        }
    }

    @Test
    void aMerchantsUnbindGoesFromOpenToCompletedOverHttpAlone() throws Exception {
        serve(false);

        HttpAnswer opened = post("/cases", request(false));
        assertEquals(201, opened.status(), opened.bodyText());
        String id = json(opened).get("id").asText();
        assertEquals("cases/" + id, opened.headers().get("Location"));
        assertEquals("DOCUMENTS", json(opened).get("waitingFor").asText(), opened.bodyText());

        JsonNode documented = json(ok(post("/cases/" + id + "/documents",
                "{\"actor\":" + MERCHANT + ",\"documents\":" + documents() + "}")));
        assertEquals("FEE_CONSENT", documented.get("waitingFor").asText(), documented.toString());

        JsonNode quote = documented.get("feeQuote");
        JsonNode applied = json(ok(post("/cases/" + id + "/consent", "{\"quoteId\":\"" + quote.get("quoteId").asText()
                + "\",\"total\":" + quote.get("total") + ",\"actor\":" + MERCHANT + "}")));
        assertEquals("INSTITUTION_DECISION", applied.get("waitingFor").asText(), applied.toString());

        // The acquirer's webhooks name only its own references, never our case id.
        HttpAnswer approval = callback(SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(),
                SandboxNotifications.decisionBody("evt_SBX_0001",
                        InstitutionDecision.approved(merchant.applicationReference(), merchant.clock.instant()))));
        assertEquals(200, approval.status(), approval.bodyText());
        assertEquals("ACCEPTED", json(approval).get("outcome").asText());
        assertEquals(id, json(approval).get("caseId").asText());

        String accountReference = snapshot(id).steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).providerReference()
                .orElseThrow();
        merchant.sandbox.reviews().completePending(accountReference);
        HttpAnswer accountChanged = callback(SandboxNotifications.signedRequest(SANDBOX_SECRET,
                merchant.clock.instant(), SandboxNotifications.operationSucceededBody("evt_SBX_0002", accountReference)));
        assertEquals(200, accountChanged.status(), accountChanged.bodyText());
        merchant.afterWaiting(CaseId.of(id), Duration.ofHours(1));

        JsonNode done = json(ok(get("/cases/" + id)));
        assertEquals("COMPLETED", done.get("state").asText(), done.toString());
        JsonNode page = json(ok(get("/cases?state=COMPLETED&provider=sandbox&limit=10")));
        assertEquals(id, page.get("cases").get(0).get("id").asText());
        assertFalse(page.has("next"), "one case, one page");
    }

    @Test
    void aClientThatRetriesAnOpenUnderItsOwnIdGetsTheSameCaseAndAnotherRequestUnderThatIdIsAConflict()
            throws Exception {
        serve(false);

        HttpAnswer opened = put("/cases/ORDER-2026-0001", request(true));
        HttpAnswer retried = put("/cases/ORDER-2026-0001", request(true));

        assertEquals(201, opened.status(), opened.bodyText());
        assertEquals(200, retried.status(), retried.bodyText());
        assertEquals("ORDER-2026-0001", json(retried).get("id").asText());
        assertEquals(1, merchant.unbinder.findCases(CaseFilter.builder().build()).size(), "one case");
        assertRefused(409, "UNB-DUPLICATE-CASE", put("/cases/ORDER-2026-0001",
                request(true).replace("更换支付系统", "另一个请求")));
    }

    @Test
    void theAcquirersWebhookIsAcceptedOnceAndForgedStaleUnsignedOrEarlyOnesAreRefusedWithTheirStatus()
            throws Exception {
        serve(false);
        String id = waitingForTheInstitution();
        long version = snapshot(id).version();
        String body = SandboxNotifications.decisionBody("evt_SBX_0001",
                InstitutionDecision.approved(merchant.applicationReference(), merchant.clock.instant()));
        RawCallback genuine = SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(), body);

        assertRefused(401, "UNB-CALLBACK-FORGED", callback(SandboxNotifications.signedRequest(
                "whsec_guessed_by_an_attacker_00000".getBytes(StandardCharsets.UTF_8), merchant.clock.instant(), body)));
        assertRefused(401, "UNB-CALLBACK-STALE", callback(SandboxNotifications.signedRequest(SANDBOX_SECRET,
                merchant.clock.instant().minus(Duration.ofMinutes(10)), body)));
        assertRefused(400, "UNB-CALLBACK-MALFORMED", callback(new RawCallback(genuine.path(), Map.of(),
                genuine.body(), genuine.receivedAt())));
        HttpAnswer early = callback(SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(),
                SandboxNotifications.decisionBody("evt_SBX_0009",
                        InstitutionDecision.approved("SBX-APP-999999", merchant.clock.instant()))));
        assertRefused(503, "UNB-CALLBACK-UNKNOWN-REFERENCE", early);
        assertEquals("1", early.headers().get("Retry-After"), "the acquirer is told to send it again");
        assertEquals(version, snapshot(id).version(), "no refused webhook touched the case");

        HttpAnswer accepted = callback(genuine);
        assertEquals(200, accepted.status(), accepted.bodyText());
        long afterApproval = snapshot(id).version();
        assertTrue(afterApproval > version);

        merchant.clock.advance(Duration.ofSeconds(30));
        HttpAnswer replayed = callback(genuine);
        assertEquals(200, replayed.status(), "answered 2xx so that the acquirer stops resending it");
        assertEquals("ALREADY_HANDLED", json(replayed).get("outcome").asText());
        assertEquals("UNB-CALLBACK-REPLAYED", json(replayed).get("code").asText());
        assertEquals(afterApproval, snapshot(id).version(), "acted on once");
    }

    @Test
    void commandsTheCaseDoesNotExpectAreConflictsAndADeclineCancelsTheCase() throws Exception {
        serve(false);
        String id = json(ok201(post("/cases", request(true)))).get("id").asText();
        JsonNode quote = json(ok(get("/cases/" + id))).get("feeQuote");

        assertRefused(409, "UNB-CONSENT-MISMATCH", post("/cases/" + id + "/consent", "{\"quoteId\":\""
                + quote.get("quoteId").asText() + "\",\"total\":{\"minorUnits\":1,\"currency\":\"CNY\"},\"actor\":"
                + MERCHANT + "}"));
        JsonNode declined = json(ok(post("/cases/" + id + "/decline-fees", "{\"actor\":" + MERCHANT + "}")));
        assertEquals("CANCELLED", declined.get("state").asText());
        assertRefused(409, "UNB-COMMAND-NOT-EXPECTED", post("/cases/" + id + "/cancel",
                "{\"actor\":" + OPERATOR + ",\"reason\":\"商户改变主意\"}"));
        assertRefused(404, "UNB-CASE-NOT-FOUND", post("/cases/NO-SUCH-CASE/decline-fees", "{\"actor\":" + MERCHANT
                + "}"));
    }

    @Test
    void anOpenCaseIsCancelledWithItsReasonKept() throws Exception {
        serve(false);
        String id = json(ok201(post("/cases", request(true)))).get("id").asText();

        JsonNode cancelled = json(ok(post("/cases/" + id + "/cancel",
                "{\"actor\":" + OPERATOR + ",\"reason\":\"商户改变主意，继续使用原POS机\"}")));

        assertEquals("CANCELLED", cancelled.get("state").asText());
        assertTrue(cancelled.toString().contains("商户改变主意"), "the reason is in the history");
    }

    @Test
    void theInstitutionsDecisionRecordedByHandMovesTheCaseOn() throws Exception {
        serve(false);
        String id = waitingForTheInstitution();

        JsonNode approved = json(ok(post("/cases/" + id + "/decision", "{\"actor\":" + OPERATOR + ",\"decision\":"
                + "{\"outcome\":\"APPROVED\",\"applicationReference\":\"" + merchant.applicationReference()
                + "\",\"reasonCode\":\"\",\"message\":\"批准\",\"requestedDocuments\":[],\"decidedAt\":\""
                + merchant.clock.instant() + "\"}}")));

        assertEquals("PROVIDER_OPERATION", approved.get("waitingFor").asText(), approved.toString());
    }

    @Test
    void theRequesterCannotApproveTheirOwnCaseButASecondPersonCan() throws Exception {
        serve(true);
        String id = json(ok201(post("/cases", request(true)))).get("id").asText();
        assertEquals("INTERNAL_REVIEW", json(ok(get("/cases/" + id))).get("waitingFor").asText());

        HttpAnswer ownApproval = post("/cases/" + id + "/internal-review", "{\"reviewer\":" + OPERATOR
                + ",\"verdict\":\"APPROVE\",\"note\":\"\"}", "zh-CN");
        assertRefused(403, "UNB-FOUR-EYES", ownApproval);
        assertEquals("zh-CN", ownApproval.headers().get("Content-Language"));

        JsonNode approved = json(ok(post("/cases/" + id + "/internal-review", "{\"reviewer\":" + REVIEWER
                + ",\"verdict\":\"APPROVE\",\"note\":\"材料齐全\"}")));
        assertEquals("FEE_CONSENT", approved.get("waitingFor").asText(), approved.toString());
    }

    @Test
    void theMerchantAnswersTheSmsCodeThatGuardsTheAccountChange() throws Exception {
        serve(false);
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.verifications().requireVerification(MERCHANT_NUMBER,
                new VerificationDemand(VerificationDemand.Method.SMS_CODE, 3, Duration.ofMinutes(5)),
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        String id = json(ok201(post("/cases", request(true)))).get("id").asText();
        JsonNode quote = json(ok(get("/cases/" + id))).get("feeQuote");
        JsonNode challenged = json(ok(post("/cases/" + id + "/consent", "{\"quoteId\":\""
                + quote.get("quoteId").asText() + "\",\"total\":" + quote.get("total") + ",\"actor\":" + MERCHANT + "}")));
        assertEquals("VERIFICATION", challenged.get("waitingFor").asText(), challenged.toString());

        String code = merchant.sandbox.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow();
        JsonNode done = json(ok(post("/cases/" + id + "/verification-answer",
                "{\"actor\":" + MERCHANT + ",\"answer\":\"" + code + "\"}")));

        assertEquals("COMPLETED", done.get("state").asText(), done.toString());
    }

    @Test
    void anOperatorPutsAFailedCaseBackToWork() throws Exception {
        serve(false);
        merchant.sandbox.faults().failNextTransiently(OperationKind.SUBMIT_APPLICATION, 50);
        String id = json(ok201(post("/cases", request(true)))).get("id").asText();
        JsonNode quote = json(ok(get("/cases/" + id))).get("feeQuote");
        ok(post("/cases/" + id + "/consent", "{\"quoteId\":\"" + quote.get("quoteId").asText() + "\",\"total\":"
                + quote.get("total") + ",\"actor\":" + MERCHANT + "}"));
        merchant.letTimePass(CaseId.of(id), Duration.ofMinutes(5), 20);
        assertEquals("FAILED", json(ok(get("/cases/" + id))).get("state").asText());
        assertEquals(id, json(ok(get("/cases?state=FAILED"))).get("cases").get(0).get("id").asText());

        merchant.sandbox.faults().clearFaults();
        JsonNode retried = json(ok(post("/cases/" + id + "/retry",
                "{\"actor\":" + OPERATOR + ",\"reason\":\"服务商已修复接口，重试\"}")));

        assertEquals("INSTITUTION_DECISION", retried.get("waitingFor").asText(), retried.toString());
    }

    @Test
    void casesArePagedWithACursorTheClientPassesBackAsItIs() throws Exception {
        serve(false);
        String first = json(ok201(post("/cases", request(true)))).get("id").asText();
        ok(post("/cases/" + first + "/decline-fees", "{\"actor\":" + MERCHANT + "}"));
        merchant.clock.advance(Duration.ofMinutes(1));
        String second = json(ok201(post("/cases", request(true)))).get("id").asText();

        JsonNode page = json(ok(get("/cases?limit=1")));
        assertEquals(first, page.get("cases").get(0).get("id").asText());
        JsonNode next = json(ok(get("/cases?limit=1&after=" + page.get("next").asText())));
        assertEquals(second, next.get("cases").get(0).get("id").asText());
    }

    @Test
    void aStoreFailingWithACardNumberInItsMessageIs503AndNeitherAnswerNorLogCarriesTheNumber() throws Exception {
        InMemoryCaseStore store = new InMemoryCaseStore();
        // A store whose search fails with a message quoting a card number, as a careless driver might.
        CaseStore failing = (CaseStore) Proxy.newProxyInstance(CaseStore.class.getClassLoader(),
                new Class<?>[] {CaseStore.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("findCases")) {
                        throw new IllegalStateException("index broken near card " + SETTLEMENT_CARD_NUMBER);
                    }
                    try {
                        return method.invoke(store, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        merchant.unbinder.close();
        merchant.unbinder = merchant.builderOn(failing).build();
        api = UnbindHttpApi.of(merchant.unbinder);

        HttpAnswer answer;
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            answer = get("/cases?state=FAILED");
            log = captured.text();
        }

        assertRefused(503, "UNB-STORE-UNAVAILABLE", answer);
        assertEquals("1", answer.headers().get("Retry-After"));
        assertTrue(log.contains("GET /cases answered 503 UNB-STORE-UNAVAILABLE"), log);
        assertFalse(log.contains(SETTLEMENT_CARD_NUMBER), log);
    }

    private void serve(boolean internalReview) {
        merchant.unbinder.close();
        merchant.unbinder = merchant.builderOn(new InMemoryCaseStore())
                .callbackVerifier(CallbackVerifier.builder().nativeNotifications(SandboxProvider.ID)
                        .clock(merchant.clock).build())
                .internalReview(internalReview).build();
        api = UnbindHttpApi.of(merchant.unbinder);
    }

    private String waitingForTheInstitution() throws Exception {
        String id = json(ok201(post("/cases", request(true)))).get("id").asText();
        JsonNode quote = json(ok(get("/cases/" + id))).get("feeQuote");
        JsonNode applied = json(ok(post("/cases/" + id + "/consent", "{\"quoteId\":\"" + quote.get("quoteId").asText()
                + "\",\"total\":" + quote.get("total") + ",\"actor\":" + MERCHANT + "}")));
        assertEquals("INSTITUTION_DECISION", applied.get("waitingFor").asText(), applied.toString());
        return id;
    }

    private CaseSnapshot snapshot(String id) {
        return merchant.unbinder.find(CaseId.of(id)).orElseThrow();
    }

    /** The full replacement with a new settlement account, as a web form would post it. */
    private static String request(boolean withDocuments) {
        return "{\"providerId\":\"sandbox\",\"merchantNumber\":\"" + MERCHANT_NUMBER + "\",\"terminalSerial\":\""
                + TERMINAL_SERIAL + "\",\"reason\":\"PAYMENT_SYSTEM_CHANGE\",\"reasonNote\":\"更换支付系统\","
                + "\"scope\":[\"DEVICE\",\"ACCOUNT\",\"MERCHANT_INFO\"],\"replacement\":{\"serialNumber\":\""
                + REPLACEMENT_SERIAL + "\",\"model\":\"" + REPLACEMENT_MODEL + "\",\"settlementAccount\":"
                + "{\"kind\":\"BANK_ACCOUNT\",\"number\":\"" + NEW_ACCOUNT_NUMBER + "\",\"holderName\":\""
                + MERCHANT_NAME + "\",\"institutionName\":\"中国建设银行上海分行\"}},\"requestedBy\":" + OPERATOR
                + ",\"documents\":" + (withDocuments ? documents() : "[]")
                + ",\"transferTo\":null,\"makeBeforeBreak\":false}";
    }

    private static String documents() {
        return "[{\"type\":\"BUSINESS_LICENCE\",\"unifiedSocialCreditCode\":\"" + UNIFIED_SOCIAL_CREDIT_CODE
                + "\",\"merchantName\":\"" + MERCHANT_NAME + "\"},"
                + "{\"type\":\"TERMINAL_INFORMATION\",\"serialNumber\":\"" + TERMINAL_SERIAL + "\",\"model\":\""
                + TERMINAL_MODEL + "\"},"
                + "{\"type\":\"SETTLEMENT_ACCOUNT\",\"account\":{\"kind\":\"BANK_CARD\",\"number\":\""
                + SETTLEMENT_CARD_NUMBER + "\",\"holderName\":\"" + SandboxDemoData.LEGAL_REPRESENTATIVE_NAME
                + "\",\"institutionName\":\"" + SandboxDemoData.SETTLEMENT_BANK + "\"}},"
                + "{\"type\":\"FILE\",\"kind\":\"TRAINING_MATERIAL\",\"reference\":\"docs/a920pro-training.pdf\","
                + "\"sha256Hex\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}]";
    }

    private HttpAnswer get(String path) {
        return keep(api.handle(new HttpCall("GET", path, Map.of(), new byte[0])));
    }

    private HttpAnswer put(String path, String body) {
        return keep(api.handle(new HttpCall("PUT", path, Map.of("Content-Type", List.of("application/json")),
                body.getBytes(StandardCharsets.UTF_8))));
    }

    private HttpAnswer post(String path, String body) {
        return post(path, body, "en");
    }

    private HttpAnswer post(String path, String body, String language) {
        return keep(api.handle(new HttpCall("POST", path, Map.of("Content-Type", List.of("application/json"),
                "Accept-Language", List.of(language)), body.getBytes(StandardCharsets.UTF_8))));
    }

    /** Posts the webhook as the acquirer sent it: its headers and the body's bytes unchanged. */
    private HttpAnswer callback(RawCallback sent) {
        return keep(api.handle(new HttpCall("POST", "/callbacks/" + SandboxProvider.ID, sent.headers(), sent.body())));
    }

    private HttpAnswer keep(HttpAnswer answer) {
        answers.add(answer);
        return answer;
    }

    private static HttpAnswer ok(HttpAnswer answer) {
        assertEquals(200, answer.status(), answer.bodyText());
        assertEquals("application/json", answer.contentType());
        return answer;
    }

    private static HttpAnswer ok201(HttpAnswer answer) {
        assertEquals(201, answer.status(), answer.bodyText());
        return answer;
    }

    private static void assertRefused(int status, String code, HttpAnswer answer) throws Exception {
        assertEquals(status, answer.status(), answer.bodyText());
        assertEquals("application/problem+json", answer.contentType());
        JsonNode problem = json(answer);
        assertEquals(code, problem.get("code").asText());
        assertEquals(status, problem.get("status").asInt());
    }

    private static JsonNode json(HttpAnswer answer) throws Exception {
        return JSON.readTree(answer.body());
    }
}
