package io.posunbind.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.Unbinder;
import io.posunbind.i18n.Messages;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SpiVersion;
import io.posunbind.store.InMemoryCaseStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A web front end forwards whatever clients send; every refusal comes back as an RFC 9457 problem
 * document with our code, the status fixed for that code, and the text in the client's language, and
 * nothing is thrown.
 */
class UnbindHttpApiRefusalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANCEL = """
            {"actor":{"id":"operator:li.na","role":"operator"},"reason":"商户改变主意"}""";
    private static final String REQUEST = """
            {"providerId":"bare","merchantNumber":"898310058120001","terminalSerial":"0820000001",
             "reason":"PAYMENT_SYSTEM_CHANGE","reasonNote":"","scope":["DEVICE"],"replacement":null,
             "requestedBy":{"id":"operator:li.na","role":"operator"},"documents":[],"transferTo":null,
             "makeBeforeBreak":false}""";

    private final Unbinder unbinder = Unbinder.builder().store(new InMemoryCaseStore())
            .clock(Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC)).provider(new BareProvider())
            .withoutDiscovery().build();
    private final UnbindHttpApi api = UnbindHttpApi.of(unbinder);

    @AfterEach
    void close() {
        unbinder.close();
    }

    @Test
    void anUnknownCaseIsA404ProblemDocumentInEnglishByDefault() throws Exception {
        HttpAnswer answer = api.handle(get("/cases/NO-SUCH-CASE", Map.of()));

        assertEquals(404, answer.status());
        assertEquals("application/problem+json", answer.contentType());
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals("tag:posunbind.io,2026:problem:UNB-CASE-NOT-FOUND", problem.get("type").asText());
        assertEquals("Not found", problem.get("title").asText());
        assertEquals(404, problem.get("status").asInt());
        assertEquals(Messages.forLocale(Locale.ENGLISH).errorText(CoreErrorCode.CASE_NOT_FOUND),
                problem.get("detail").asText());
        assertEquals("/cases/NO-SUCH-CASE", problem.get("instance").asText());
        assertEquals("UNB-CASE-NOT-FOUND", problem.get("code").asText());
        assertFalse(problem.get("retryable").asBoolean());
        assertEquals("en", answer.headers().get("Content-Language"));
    }

    @Test
    void aClientThatPrefersChineseReadsTheProblemInChinese() throws Exception {
        HttpAnswer answer = api.handle(get("/cases/NO-SUCH-CASE",
                Map.of("accept-language", List.of("en;q=0.3, zh-CN;q=0.9"))));

        JsonNode problem = JSON.readTree(answer.body());
        assertEquals("未找到", problem.get("title").asText());
        assertEquals(Messages.forLocale(Locale.SIMPLIFIED_CHINESE).errorText(CoreErrorCode.CASE_NOT_FOUND),
                problem.get("detail").asText());
        assertEquals("zh-CN", answer.headers().get("Content-Language"));
        assertEquals("UNB-CASE-NOT-FOUND", problem.get("code").asText(), "the code is the same in every language");
    }

    @Test
    void aMalformedCommandIs400ListingEveryFieldInTheClientsLanguage() throws Exception {
        HttpAnswer answer = api.handle(post("/cases/CASE-1/internal-review",
                "{\"reviewer\":{\"id\":\"operator:wang.fang\",\"role\":\"reviewer\"},\"verdict\":\"MAYBE\",\"colour\":1}",
                Map.of("Accept-Language", List.of("zh-CN"))));

        assertEquals(400, answer.status());
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals("UNB-INVALID-REQUEST", problem.get("code").asText());
        List<String> fields = fields(problem);
        assertFalse(fields.isEmpty(), answer.bodyText());
        assertTrue(fields.contains("verdict"), fields.toString());
        for (JsonNode error : problem.get("errors")) {
            assertTrue(error.get("detail").asText().chars().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN), "in Chinese: " + error);
            assertTrue(error.has("code"));
            if (error.get("field").asText().equals("verdict")) {
                assertEquals("is not one of the allowed values: APPROVE, REJECT", error.get("message").asText());
            }
        }
    }

    @Test
    void anInvalidCaseIdInThePathIs400NamingTheCaseId() throws Exception {
        HttpAnswer answer = api.handle(post("/cases/" + "x".repeat(41) + "/cancel", CANCEL, Map.of()));

        assertEquals(400, answer.status());
        assertEquals(List.of("caseId"), fields(JSON.readTree(answer.body())));
    }

    @Test
    void aBodyOverTheLimitIs413AndSaysTheLimit() throws Exception {
        UnbindHttpApi small = UnbindHttpApi.of(unbinder, new HttpApiOptions(64, true, true));

        HttpAnswer answer = small.handle(post("/cases/CASE-1/cancel", CANCEL + " ".repeat(64), Map.of()));
        HttpAnswer declared = small.handle(post("/cases/CASE-1/cancel", "{}",
                Map.of("Content-Length", List.of("1048576"))));

        assertEquals(413, answer.status());
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals("UNB-HTTP-BODY-TOO-LARGE", problem.get("code").asText());
        assertEquals(64, problem.get("maxBodyBytes").asInt());
        assertEquals(413, declared.status(), "a declared length over the limit is refused before the body counts");
    }

    @Test
    void aBodyThatIsNotJsonInUtf8Is415() throws Exception {
        HttpAnswer plain = api.handle(call("POST", "/cases/CASE-1/cancel", CANCEL,
                Map.of("Content-Type", List.of("text/plain"))));
        HttpAnswer latin = api.handle(call("POST", "/cases/CASE-1/cancel", CANCEL,
                Map.of("Content-Type", List.of("application/json; charset=ISO-8859-1"))));
        HttpAnswer none = api.handle(call("POST", "/cases/CASE-1/cancel", CANCEL, Map.of()));

        assertEquals(List.of(415, 415, 415), List.of(plain.status(), latin.status(), none.status()));
        assertEquals("UNB-HTTP-UNSUPPORTED-MEDIA-TYPE", JSON.readTree(plain.body()).get("code").asText());
        assertEquals("application/json", plain.headers().get("Accept-Post"));
    }

    @Test
    void aWrongMethodIs405AndListsTheMethodsThePathTakes() throws Exception {
        HttpAnswer delete = api.handle(call("DELETE", "/cases/CASE-1", "", Map.of()));
        HttpAnswer put = api.handle(call("DELETE", "/cases", "", Map.of()));

        assertEquals(405, delete.status());
        assertEquals("GET, PUT", delete.headers().get("Allow"));
        assertEquals("GET, POST", put.headers().get("Allow"));
        assertEquals("UNB-HTTP-METHOD-NOT-ALLOWED", JSON.readTree(put.body()).get("code").asText());
        assertEquals(405, api.handle(call("PUT", "/cases", "", Map.of())).status());
    }

    @Test
    void anUnknownAddressIs404() throws Exception {
        for (String path : List.of("/", "/nothing", "/cases/CASE-1/approve", "/callbacks", "/cases/CASE-1/cancel/x")) {
            HttpAnswer answer = api.handle(get(path, Map.of()));
            assertEquals(404, answer.status(), path);
            assertEquals("UNB-HTTP-NOT-FOUND", JSON.readTree(answer.body()).get("code").asText(), path);
        }
    }

    @Test
    void routesSwitchedOffAreNotThere() {
        UnbindHttpApi callbacksOnly = UnbindHttpApi.of(unbinder, new HttpApiOptions(1024, false, true));
        UnbindHttpApi commandsOnly = UnbindHttpApi.of(unbinder, new HttpApiOptions(1024, true, false));

        assertEquals(404, callbacksOnly.handle(get("/cases/CASE-1", Map.of())).status());
        assertEquals(404, commandsOnly.handle(post("/callbacks/bare", "{}", Map.of())).status());
        assertEquals(404, commandsOnly.handle(get("/cases/CASE-1", Map.of())).status(), "the commands are served");
    }

    @Test
    void aCallbackForAProviderTheUnbinderDoesNotKnowIs404AndIsNotLookedAt() throws Exception {
        HttpAnswer answer = api.handle(post("/callbacks/nobody", "{}", Map.of()));

        assertEquals(404, answer.status());
        assertEquals("UNB-HTTP-NOT-FOUND", JSON.readTree(answer.body()).get("code").asText());
    }

    @Test
    void aWebLayerOfTheHostsOwnAnswersEveryCodeWithTheStatusThisApiAnswers() throws Exception {
        // What a host's own endpoint gets from statusOf is what the API itself answered for the same code.
        HttpAnswer unknownCase = api.handle(get("/cases/NO-SUCH-CASE", Map.of()));
        HttpAnswer cannotUnbind = api.handle(post("/cases", REQUEST, Map.of()));
        assertEquals(unknownCase.status(), UnbindHttpApi.statusOf(CoreErrorCode.CASE_NOT_FOUND));
        assertEquals(cannotUnbind.status(), UnbindHttpApi.statusOf(CoreErrorCode.CAPABILITY_MISSING));

        // And a provider's notification is answered so that it resends exactly when it may succeed later.
        assertEquals(401, UnbindHttpApi.statusOf(CoreErrorCode.CALLBACK_SIGNATURE_INVALID));
        assertEquals(200, UnbindHttpApi.statusOf(CoreErrorCode.CALLBACK_REPLAYED));
        assertEquals(503, UnbindHttpApi.statusOf(CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE));
        assertEquals(503, UnbindHttpApi.statusOf(CoreErrorCode.UNBINDER_CLOSED));
    }

    @Test
    void aRequestForABindingTheProviderCannotUnbindIs422() throws Exception {
        HttpAnswer answer = api.handle(post("/cases", REQUEST, Map.of()));

        assertEquals(422, answer.status(), answer.bodyText());
        assertEquals("UNB-CAPABILITY-MISSING", JSON.readTree(answer.body()).get("code").asText());
    }

    @Test
    void aMalformedQueryIs400NamingEachParameterWithoutEchoingIt() throws Exception {
        HttpAnswer answer = api.handle(get("/cases?state=SLEEPING&limit=0&waitingSinceBefore=yesterday"
                + "&after=nonsense&6222021234567890123=x", Map.of()));

        assertEquals(400, answer.status());
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(List.of("state", "limit", "waitingSinceBefore", "after", "query").stream().sorted().toList(),
                fields(problem).stream().sorted().toList());
        assertFalse(answer.bodyText().contains("6222021234567890123"), "a number in the query is not echoed");
        assertEquals("/cases", problem.get("instance").asText(), "the instance leaves the query out");
    }

    @Test
    void aClosedUnbinderAnswers503WithRetryAfterSoTheClientGoesToARunningInstance() throws Exception {
        unbinder.close();

        HttpAnswer answer = api.handle(post("/cases/CASE-1/cancel", CANCEL, Map.of()));

        assertEquals(503, answer.status(), answer.bodyText());
        assertEquals("UNB-CLOSED", JSON.readTree(answer.body()).get("code").asText());
        assertEquals("1", answer.headers().get("Retry-After"));
    }

    @Test
    void aCardNumberTypedIntoThePathIsNotEchoedInTheAnswer() throws Exception {
        HttpAnswer answer = api.handle(get("/cases/6222021001123456789", Map.of()));

        assertEquals(404, answer.status());
        assertFalse(answer.bodyText().contains("6222021001123456789"), answer.bodyText());
        assertEquals("/cases/***************6789", JSON.readTree(answer.body()).get("instance").asText());
        assertEquals("HttpCall[GET /cases/***************6789?limit=1, 0 bytes]",
                get("/cases/6222021001123456789?limit=1", Map.of()).toString());
    }

    @Test
    void theCallIsNamedByMethodAndPathOnlyNeverByItsBody() {
        HttpCall call = post("/cases", "{\"card\":\"6222021234567890123\"}", Map.of());

        assertEquals("HttpCall[POST /cases, 30 bytes]", call.toString());
        assertEquals("application/json", call.header("CONTENT-TYPE").orElseThrow());
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        if (problem.has("errors")) {
            StreamSupport.stream(problem.get("errors").spliterator(), false)
                    .forEach(error -> fields.add(error.get("field").asText()));
        }
        return fields;
    }

    private static HttpCall get(String path, Map<String, List<String>> headers) {
        return call("GET", path, "", headers);
    }

    private static HttpCall post(String path, String body, Map<String, List<String>> headers) {
        Map<String, List<String>> all = new HashMap<>(headers);
        all.putIfAbsent("Content-Type", List.of("application/json"));
        return call("POST", path, body, all);
    }

    private static HttpCall call(String method, String path, String body, Map<String, List<String>> headers) {
        return new HttpCall(method, path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A provider that can unbind nothing: enough to reach every refusal of the API. */
    private static final class BareProvider implements PaymentProvider {
        @Override
        public String id() {
            return "bare";
        }

        @Override
        public String displayName() {
            return "Bare";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }
    }
}
