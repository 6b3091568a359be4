package io.posunbind.provider.adyen;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Adyen's Management API v3 on WireMock, answering with the shapes of Adyen's API
 * reference: {@code GET /v3/terminals?searchQuery=} (a page of {@code Terminal}s with their
 * {@code assignment}), {@code GET /v3/terminals/{id}/terminalSettings}, and {@code POST
 * /v3/terminals/{id}/reassign} (an empty 200; the terminal then shows {@code inventory}, or
 * {@code reassignmentInProgress} with its {@code reassignmentTarget} when held). Errors in Adyen's RFC 7807 form
 * ({@code type}, {@code title}, {@code status}, {@code detail}, {@code errorCode}, {@code requestId}).
 *
 * <p>Like Adyen it performs a POST once per {@code Idempotency-Key} and answers a repeat with the first answer;
 * it refuses a request without the {@code x-API-Key} it was given. WireMock keeps the request journal the tests
 * assert on. Thread-safe.
 */
final class AdyenManagementStub implements BackendFaults, AutoCloseable {

    static final String API_KEY = "AQE1hmfxKo7PaB-test-api-key-posunbind-0123456789";
    static final String COMPANY = "PosUnbindCompany";
    static final String MERCHANT = "898000000000001";
    /** How long an answer lost to a timeout is held back: beyond the adapter's read timeout in the tests. */
    static final Duration LOST_ANSWER_DELAY = Duration.ofMillis(2500);
    /** The adapter's read timeout in the tests. */
    static final String READ_TIMEOUT = "2s";

    private static final Pattern REASSIGN = Pattern.compile("/v3/terminals/([^/]+)/reassign");
    private static final Pattern SETTINGS = Pattern.compile("/v3/terminals/([^/]+)/terminalSettings");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> terminals = new ConcurrentHashMap<>();
    private final Map<String, ResponseDefinition> answersByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> effectsByKey = new ConcurrentHashMap<>();
    private final Queue<Fault> reassignFaults = new ConcurrentLinkedQueue<>();
    private final Queue<ResponseDefinition> reassignErrors = new ConcurrentLinkedQueue<>();
    private final Queue<ResponseDefinition> readErrors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger holdAsPending = new AtomicInteger();
    private final AtomicInteger serials = new AtomicInteger(324_689_000);
    private final AtomicInteger received = new AtomicInteger();
    private final WireMockServer server;

    AdyenManagementStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().extensions(new Behaviour()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ResponseDefinitionBuilder.responseDefinition().withStatus(200)));
        warmUp();
    }

    /** A first request warms WireMock up (its first answer is slow), so that only faults outlast a timeout. */
    private void warmUp() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(server.baseUrl() + "/warm-up").toURL()
                    .openConnection();
            connection.getResponseCode();
            connection.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        received.set(0);
        server.resetRequests();
    }

    /** The base URI the adapter is configured with, as Adyen's {@code https://management-test.adyen.com/v3}. */
    String baseUri() {
        return server.baseUrl() + "/v3";
    }

    WireMockServer wireMock() {
        return server;
    }

    /** A boarded terminal at the merchant account, in a store; its serial. */
    String seedBoardedTerminal(String merchantId) {
        int number = serials.incrementAndGet();
        String serial = String.format("%03d-%03d-%03d", number / 1_000_000, number / 1000 % 1000, number % 1000);
        ObjectNode terminal = JSON.createObjectNode();
        terminal.put("id", "V400m-" + serial.replace("-", ""));
        terminal.put("model", "V400m");
        terminal.put("serialNumber", serial);
        terminal.put("firmwareVersion", "Verifone_VOS 1.57.6");
        terminal.put("countryCode", "CN");
        terminal.put("lastActivityAt", "2026-11-30T09:12:44+01:00");
        ObjectNode assignment = terminal.putObject("assignment");
        assignment.put("companyId", COMPANY);
        assignment.put("merchantId", merchantId);
        assignment.put("storeId", "ST3224Z223225T5JQTRDD7CRZ");
        assignment.put("status", "boarded");
        terminals.put(terminal.get("id").asText(), terminal);
        return serial;
    }

    /** The terminal's id in Adyen ({@code V400m-324689001}). */
    String terminalIdOf(String serial) {
        return "V400m-" + serial.replace("-", "");
    }

    /** The terminal's assignment as the stub holds it now. */
    JsonNode assignmentOf(String serial) {
        return terminals.get(terminalIdOf(serial)).get("assignment").deepCopy();
    }

    /** The next reassign POST is answered with this status and Adyen error body, without effect. */
    void answerNextReassign(int status, String errorCode, Optional<String> retryAfter) {
        reassignErrors.add(error(status, errorCode, retryAfter));
    }

    /** The next reassign POST is answered with this response, without effect. */
    void answerNextReassign(ResponseDefinition answer) {
        reassignErrors.add(answer);
    }

    /** The next read (GET) is answered with this status and Adyen error body. */
    void answerNextRead(int status, String errorCode, Optional<String> retryAfter) {
        readErrors.add(error(status, errorCode, retryAfter));
    }

    /** Adyen's error body for a status, as its API reference shows it. */
    ResponseDefinition error(int status, String errorCode, Optional<String> retryAfter) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "https://docs.adyen.com/errors/" + switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 422 -> "unprocessable-entity";
            case 429 -> "too-many-requests";
            default -> "general";
        });
        body.put("errorCode", errorCode);
        body.put("title", "HTTP " + status);
        body.put("detail", "The stub refuses this request with " + errorCode);
        body.put("requestId", "JRJ7HC4GR9NKGK82");
        body.put("status", status);
        ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/problem+json").withBody(body.toString());
        retryAfter.ifPresent(seconds -> answer.withHeader("Retry-After", seconds));
        return answer.build();
    }

    // ---------------------------------------------------------------------------------------------- BackendFaults

    @Override
    public String seedTerminal() {
        return seedBoardedTerminal(MERCHANT);
    }

    @Override
    public String unknownSerial() {
        return "999-000-111";
    }

    @Override
    public void failNext(OperationKind kind, Fault fault) {
        if (kind != OperationKind.UNBIND_TERMINAL) {
            throw new UnsupportedOperationException("the Adyen stub only reassigns terminals");
        }
        reassignFaults.add(fault);
    }

    @Override
    public int effectsUnder(IdempotencyKey key) {
        AtomicInteger effects = effectsByKey.get(key.value());
        return effects == null ? 0 : effects.get();
    }

    @Override
    public int requestsReceived() {
        return received.get();
    }

    @Override
    public String seedTerminalThatRefuses() {
        String serial = seedBoardedTerminal(MERCHANT);
        terminals.get(terminalIdOf(serial)).put("refuses", true);
        return serial;
    }

    @Override
    public void holdNextAsPending(OperationKind kind) {
        holdAsPending.incrementAndGet();
    }

    @Override
    public void completePending() {
        terminals.values().forEach(terminal -> {
            synchronized (terminal) {
                ObjectNode assignment = (ObjectNode) terminal.get("assignment");
                if ("reassignmentInProgress".equals(assignment.path("status").asText())) {
                    JsonNode going = assignment.remove("reassignmentTarget");
                    moveTo(assignment, going);
                }
            }
        });
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---------------------------------------------------------------------------------------------- behaviour

    private static void moveTo(ObjectNode assignment, JsonNode target) {
        assignment.remove("storeId");
        if (target.hasNonNull("merchantId")) {
            assignment.put("merchantId", target.get("merchantId").asText());
        } else {
            assignment.remove("merchantId");
        }
        if (target.hasNonNull("companyId")) {
            assignment.put("companyId", target.get("companyId").asText());
        }
        assignment.put("status", "inventory");
    }

    private ResponseDefinition reassign(Request request, String terminalId) {
        ResponseDefinition scripted = reassignErrors.poll();
        if (scripted != null) {
            return scripted;
        }
        Fault fault = reassignFaults.poll();
        if (fault != null) {
            switch (fault.kind()) {
                case SERVER_ERROR:
                    return error(500, "00_500", Optional.empty());
                case RATE_LIMITED:
                    return error(429, "00_429", Optional.of(Long.toString(fault.duration().toSeconds())));
                case CONNECTION_RESET:
                    return ResponseDefinitionBuilder.responseDefinition()
                            .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
                default:
                    break;
            }
        }
        String key = request.getHeader("Idempotency-Key");
        ResponseDefinition answer = key == null ? perform(request, terminalId, key)
                : answersByKey.computeIfAbsent(key, k -> perform(request, terminalId, k));
        if (fault != null && (fault.kind() == Fault.Kind.TIMEOUT || fault.kind() == Fault.Kind.SLOW_ANSWER)) {
            Duration delay = fault.kind() == Fault.Kind.TIMEOUT ? LOST_ANSWER_DELAY : fault.duration();
            return ResponseDefinitionBuilder.like(answer).withFixedDelay((int) delay.toMillis()).build();
        }
        return answer;
    }

    private ResponseDefinition perform(Request request, String terminalId, String key) {
        ObjectNode terminal = terminals.get(terminalId);
        if (terminal == null) {
            return error(404, "00_404", Optional.empty());
        }
        if (terminal.path("refuses").asBoolean()) {
            return error(422, "00_422", Optional.empty());
        }
        JsonNode target;
        try {
            target = JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            return error(400, "00_400", Optional.empty());
        }
        synchronized (terminal) {
            ObjectNode assignment = (ObjectNode) terminal.get("assignment");
            if (holdAsPending.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ObjectNode going = assignment.putObject("reassignmentTarget");
                going.setAll((ObjectNode) target);
                assignment.put("status", "reassignmentInProgress");
            } else {
                moveTo(assignment, target);
            }
        }
        if (key != null) {
            effectsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200).build();
    }

    private ResponseDefinition list(Request request) {
        String query = request.queryParameter("searchQuery").isPresent()
                ? request.queryParameter("searchQuery").firstValue() : "";
        ObjectNode page = JSON.createObjectNode();
        ArrayNode data = page.putArray("data");
        terminals.values().stream().filter(terminal -> terminal.get("id").asText().contains(query))
                .forEach(terminal -> {
                    synchronized (terminal) {
                        ObjectNode shown = terminal.deepCopy();
                        shown.remove("refuses");
                        data.add(shown);
                    }
                });
        page.put("itemsTotal", data.size());
        page.put("pagesTotal", 1);
        page.putObject("_links").putObject("self").put("href", baseUri() + "/terminals?pageNumber=1");
        return json(page.toString());
    }

    private ResponseDefinition settings(String terminalId) {
        if (!terminals.containsKey(terminalId)) {
            return error(404, "00_404", Optional.empty());
        }
        try (var in = AdyenManagementStub.class.getResourceAsStream("terminal-settings.json")) {
            return json(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseDefinition json(String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    private final class Behaviour implements ResponseDefinitionTransformerV2 {

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            received.incrementAndGet();
            Request request = serveEvent.getRequest();
            if (!API_KEY.equals(request.getHeader("x-api-key"))) {
                return error(401, "00_401", Optional.empty());
            }
            String path = request.getUrl().replaceFirst("\\?.*$", "");
            Matcher reassign = REASSIGN.matcher(path);
            if ("POST".equals(request.getMethod().value()) && reassign.matches()) {
                return reassign(request, reassign.group(1));
            }
            ResponseDefinition readError = readErrors.poll();
            if (readError != null) {
                return readError;
            }
            Matcher settings = SETTINGS.matcher(path);
            if ("GET".equals(request.getMethod().value()) && settings.matches()) {
                return settings(settings.group(1));
            }
            if ("GET".equals(request.getMethod().value()) && path.equals("/v3/terminals")) {
                return list(request);
            }
            return error(404, "00_404", Optional.empty());
        }

        @Override
        public String getName() {
            return "adyen-management-stub";
        }
    }
}
