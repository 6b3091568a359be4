package io.posunbind.provider.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.Fault;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stub of Stripe's Terminal API on WireMock, answering with the shapes of Stripe's API reference:
 * readers listed by serial number, retrieved and deleted ({@code {"id", "object": "terminal.reader",
 * "deleted": true}}), locations retrieved, and Stripe's error body
 * ({@code {"error": {"type", "code", "message", "param", "doc_url", "request_log_url"}}}) with a
 * {@code Request-Id} header on every answer. It checks the {@code Authorization: Bearer} key like Stripe.
 *
 * <p>Stripe's delete is idempotent by nature: a second delete of the same reader answers 404
 * {@code resource_missing}, whatever the key (Stripe documents idempotency keys for POST requests; the stub
 * does not pretend a DELETE replays its first answer). Effects are counted under the {@code Idempotency-Key}
 * they were sent with. A test adds its own WireMock stubs at a higher priority for one-off answers.
 */
final class StripeStub implements BackendFaults, AutoCloseable {

    static final String API_KEY = "sk_test_51PosUnbindStubKey0123456789abcdefABCDEF";
    static final String MERCHANT = "898000000000001";
    static final Duration READ_TIMEOUT = Duration.ofMillis(1500);

    private static final Pattern READER = Pattern.compile("/v1/terminal/readers/([A-Za-z0-9_]+)");
    private static final Pattern LOCATION = Pattern.compile("/v1/terminal/locations/([A-Za-z0-9_]+)");

    private final WireMockServer server;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<String, ReaderState> readers = new LinkedHashMap<>();
    private final Map<String, String> locations = new HashMap<>();
    private final Deque<Fault> deleteFaults = new ArrayDeque<>();
    private final Map<String, Integer> effects = new HashMap<>();

    private static final class ReaderState {
        final String id;
        final String serial;
        final String location;
        final Map<String, String> metadata;
        final boolean busy;
        boolean deleted;

        ReaderState(String id, String serial, String location, Map<String, String> metadata, boolean busy) {
            this.id = id;
            this.serial = serial;
            this.location = location;
            this.metadata = metadata;
            this.busy = busy;
        }
    }

    StripeStub() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(new Api()));
        server.start();
        server.stubFor(any(urlPathMatching("/v1/.*")).atPriority(10).willReturn(
                ResponseDefinitionBuilder.responseDefinition().withTransformers(Api.NAME)));
    }

    WireMockServer server() {
        return server;
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** What a host gives the factory to talk to this stub. */
    Map<String, String> settings() {
        return Map.of("api-key", API_KEY, "base-uri", baseUrl(), "read-timeout", READ_TIMEOUT.toMillis() + "ms",
                "connect-timeout", "2s", "webhook-secret", StripeWebhookRequests.SECRET);
    }

    /** A reader at a new location whose metadata names the merchant; its id. */
    synchronized String seedReader(String serial, String merchantNumber) {
        return seedReader(serial, merchantNumber, true);
    }

    /** A reader at a new location naming the merchant, on the reader's metadata too or only the location's. */
    synchronized String seedReader(String serial, String merchantNumber, boolean onTheReader) {
        String location = "tml_" + String.format("%08d", sequence.incrementAndGet());
        locations.put(location, merchantNumber);
        String id = "tmr_" + String.format("%08d", sequence.incrementAndGet());
        readers.put(id, new ReaderState(id, serial, location,
                onTheReader ? Map.of("merchant_number", merchantNumber) : Map.of(), false));
        return id;
    }

    synchronized String readerIdOf(String serial) {
        return readers.values().stream().filter(r -> r.serial.equals(serial)).map(r -> r.id).findFirst().orElseThrow();
    }

    synchronized boolean isDeleted(String readerId) {
        return readers.get(readerId).deleted;
    }

    @Override
    public String seedTerminal() {
        String serial = "WSC51" + String.format("%010d", 3_105_000_000L + sequence.incrementAndGet());
        seedReader(serial, MERCHANT);
        return serial;
    }

    @Override
    public synchronized String seedTerminalThatRefuses() {
        String serial = "STRM2" + String.format("%010d", 6_138_000_000L + sequence.incrementAndGet());
        String id = "tmr_" + String.format("%08d", sequence.incrementAndGet());
        readers.put(id, new ReaderState(id, serial, null, Map.of("merchant_number", MERCHANT), true));
        return serial;
    }

    @Override
    public String unknownSerial() {
        return "WSC519999999999";
    }

    @Override
    public synchronized void failNext(OperationKind kind, Fault fault) {
        if (kind != OperationKind.UNBIND_TERMINAL) {
            throw new UnsupportedOperationException("Stripe has no " + kind + "; only the reader's delete");
        }
        deleteFaults.add(fault);
    }

    @Override
    public synchronized int effectsUnder(IdempotencyKey key) {
        return effects.getOrDefault(key.value(), 0);
    }

    @Override
    public int requestsReceived() {
        return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
    }

    @Override
    public String merchantOf(String serialNumber) {
        return MERCHANT;
    }

    @Override
    public void close() {
        server.stop();
    }

    static String errorBody(String type, String code, String message, String param, String requestId) {
        return "{\"error\":{\"type\":\"" + type + "\"" + (code == null ? "" : ",\"code\":\"" + code + "\"")
                + (code == null ? "" : ",\"doc_url\":\"https://docs.stripe.com/error-codes/" + code.replace('_', '-')
                + "\"") + ",\"message\":\"" + message + "\"" + (param == null ? "" : ",\"param\":\"" + param + "\"")
                + ",\"request_log_url\":\"https://dashboard.stripe.com/test/logs/" + requestId + "\"}}";
    }

    /** The stateful part: answers from the readers and locations above. */
    private final class Api implements ResponseDefinitionTransformerV2 {
        static final String NAME = "stripe-terminal";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            String requestId = "req_" + String.format("%014d", sequence.incrementAndGet());
            if (!("Bearer " + API_KEY).equals(request.getHeader("Authorization"))) {
                return json(401, requestId, errorBody("invalid_request_error", null,
                        "Invalid API Key provided: sk_test_********************CDEF", null, requestId));
            }
            String path = request.getUrl().split("\\?")[0];
            synchronized (StripeStub.this) {
                if (RequestMethod.GET.equals(request.getMethod()) && path.equals("/v1/terminal/readers")) {
                    return list(request, requestId);
                }
                Matcher reader = READER.matcher(path);
                if (reader.matches() && RequestMethod.GET.equals(request.getMethod())) {
                    ReaderState state = readers.get(reader.group(1));
                    return state == null || state.deleted ? missing("terminal.reader", reader.group(1), requestId)
                            : json(200, requestId, readerJson(state));
                }
                if (reader.matches() && RequestMethod.DELETE.equals(request.getMethod())) {
                    return delete(reader.group(1), request.getHeader("Idempotency-Key"), requestId);
                }
                Matcher location = LOCATION.matcher(path);
                if (location.matches() && RequestMethod.GET.equals(request.getMethod())) {
                    String merchant = locations.get(location.group(1));
                    return merchant == null ? missing("terminal.location", location.group(1), requestId)
                            : json(200, requestId, locationJson(location.group(1), merchant));
                }
            }
            return json(404, requestId, errorBody("invalid_request_error", null,
                    "Unrecognized request URL (" + request.getMethod() + ": " + path + ").", null, requestId));
        }

        private ResponseDefinition list(Request request, String requestId) {
            QueryParameter serial = request.queryParameter("serial_number");
            StringBuilder data = new StringBuilder();
            readers.values().stream()
                    .filter(r -> !r.deleted && (!serial.isPresent() || r.serial.equals(serial.firstValue())))
                    .forEach(r -> data.append(data.length() == 0 ? "" : ",").append(readerJson(r)));
            return json(200, requestId, "{\"object\":\"list\",\"data\":[" + data
                    + "],\"has_more\":false,\"url\":\"/v1/terminal/readers\"}");
        }

        private ResponseDefinition delete(String id, String key, String requestId) {
            Fault fault = deleteFaults.poll();
            ReaderState state = readers.get(id);
            if (fault != null) {
                switch (fault.kind()) {
                    case CONNECTION_RESET:
                        // WireMock's Fault shares the test kit's name: spelled out here, once.
                        return ResponseDefinitionBuilder.responseDefinition()
                                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
                    case SERVER_ERROR:
                        return json(500, requestId, errorBody("api_error", null,
                                "An unknown error occurred", null, requestId));
                    case RATE_LIMITED:
                        return ResponseDefinitionBuilder.like(json(429, requestId, errorBody("invalid_request_error",
                                "rate_limit", "Too many requests hit the API too quickly.", null, requestId)))
                                .withHeader("Retry-After", String.valueOf(fault.duration().toSeconds())).build();
                    default:
                        break;
                }
            }
            if (state == null || state.deleted) {
                return missing("terminal.reader", id, requestId);
            }
            if (state.busy) {
                return json(400, requestId, errorBody("invalid_request_error", "terminal_reader_busy",
                        "Reader is currently busy processing another request.", null, requestId));
            }
            state.deleted = true;
            if (key != null) {
                effects.merge(key, 1, Integer::sum);
            }
            ResponseDefinition deleted = json(200, requestId,
                    "{\"id\":\"" + id + "\",\"object\":\"terminal.reader\",\"deleted\":true}");
            if (fault != null && fault.kind() == Fault.Kind.TIMEOUT) {
                return ResponseDefinitionBuilder.like(deleted)
                        .withFixedDelay((int) READ_TIMEOUT.multipliedBy(2).toMillis()).build();
            }
            if (fault != null && fault.kind() == Fault.Kind.SLOW_ANSWER) {
                return ResponseDefinitionBuilder.like(deleted).withFixedDelay((int) fault.duration().toMillis()).build();
            }
            return deleted;
        }

        private ResponseDefinition missing(String object, String id, String requestId) {
            return json(404, requestId, errorBody("invalid_request_error", "resource_missing",
                    "No such " + object + ": '" + id + "'", "id", requestId));
        }
    }

    private static String readerJson(ReaderState r) {
        StringBuilder metadata = new StringBuilder();
        r.metadata.forEach((k, v) -> metadata.append(metadata.length() == 0 ? "" : ",")
                .append('"').append(k).append("\":\"").append(v).append('"'));
        return "{\"id\":\"" + r.id + "\",\"object\":\"terminal.reader\",\"action\":null,"
                + "\"device_sw_version\":\"2.37.2.0\",\"device_type\":\"bbpos_wisepos_e\",\"ip_address\":\"192.168.2.2\","
                + "\"label\":\"Front counter\",\"last_seen_at\":1764554400000,\"livemode\":false,\"location\":"
                + (r.location == null ? "null" : "\"" + r.location + "\"") + ",\"metadata\":{" + metadata
                + "},\"serial_number\":\"" + r.serial + "\",\"status\":\"online\"}";
    }

    private static String locationJson(String id, String merchant) {
        return "{\"id\":\"" + id + "\",\"object\":\"terminal.location\",\"address\":{\"city\":\"San Francisco\","
                + "\"country\":\"US\",\"line1\":\"1234 Main Street\",\"line2\":null,\"postal_code\":\"94111\","
                + "\"state\":\"CA\"},\"display_name\":\"Market Street store\",\"livemode\":false,\"metadata\":{"
                + "\"merchant_number\":\"" + merchant + "\"},\"phone\":\"+14155550100\"}";
    }

    static ResponseDefinition json(int status, String requestId, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", requestId)
                .withBody(body).build();
    }

    /** The reader id in a path, for assertions on the journal. */
    static Optional<String> readerIn(String path) {
        Matcher m = READER.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
