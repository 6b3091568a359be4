package io.posunbind.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample service, started on a real port with its embedded server, runs one merchant's device unbind to
 * COMPLETED through its HTTP endpoints, driven by a plain java.net.http client as another service would.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // A bound on how long a command waits for the worker, not a timing assertion: a slow machine still passes.
        properties = {"posunbind.command-wait-timeout=2m", "management.endpoint.health.show-components=always"})
class SampleCaseOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    @Value("${local.server.port}")
    int port;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void storeInATemporaryFolder(DynamicPropertyRegistry properties) {
        properties.add("posunbind.store.directory", () -> data.resolve("posunbind-data").toString());
    }

    /**
     * Open, the merchant's consent to the quote, the institution's approval recorded: each command answers when the
     * service's worker has brought the case to its next wait, the last one at COMPLETED.
     */
    @Test
    void oneCaseRunsToCompletedThroughTheHttpEndpoints() throws Exception {
        JsonNode opened = send("POST", "/posunbind/cases", resource("device-unbind.json"), 201);
        String cases = "/posunbind/cases/" + opened.get("id").asText();
        assertEquals("FEE_CONSENT", opened.get("waitingFor").asText(), opened.toString());

        JsonNode quote = opened.get("feeQuote");
        JsonNode consented = send("POST", cases + "/consent", "{\"quoteId\":" + quote.get("quoteId")
                + ",\"total\":" + quote.get("total")
                + ",\"actor\":{\"id\":\"merchant:898310058120001\",\"role\":\"merchant\"}}", 200);
        assertEquals("INSTITUTION_DECISION", consented.get("waitingFor").asText(), consented.toString());

        // The acquirer's letter arrives: an operator records its approval of the application under review.
        String application = step(consented, "OBTAIN_INSTITUTION_APPROVAL").get("providerReference").asText();
        JsonNode decided = send("POST", cases + "/decision", "{\"actor\":{\"id\":\"operator:li.na\",\"role\":"
                + "\"operator\"},\"decision\":{\"outcome\":\"APPROVED\",\"applicationReference\":\"" + application
                + "\",\"reasonCode\":\"\",\"message\":\"\",\"requestedDocuments\":[],\"decidedAt\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}}", 200);
        assertEquals("COMPLETED", decided.get("state").asText(), decided.toString());

        JsonNode completed = send("GET", cases, null, 200);
        assertEquals("COMPLETED", completed.get("state").asText());
        for (JsonNode step : completed.get("steps")) {
            assertEquals("DONE", step.get("status").asText(), step.toString());
        }
        assertEquals("0820000001", completed.get("request").get("terminalSerial").asText());

        // With the actuator and posunbind-micrometer on the class path, health and metrics came with no code.
        JsonNode health = send("GET", "/actuator/health", null, 200);
        assertEquals("UP", health.get("components").get("posunbind").get("status").asText(), health.toString());
        assertEquals(1, meters.find("posunbind.step.duration").tag("step", "UNBIND_TERMINAL").timer().count());
    }

    @Test
    void theOpenApiDescriptionIsServedBesideTheEndpoints() throws Exception {
        HttpResponse<String> description = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/posunbind/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertEquals(200, description.statusCode());
        assertTrue(description.body().lines().anyMatch(line -> line.startsWith("openapi: 3.1")));
    }

    private static JsonNode step(JsonNode snapshot, String kind) {
        for (JsonNode step : snapshot.get("steps")) {
            if (kind.equals(step.get("kind").asText())) {
                return step;
            }
        }
        throw new AssertionError("no step " + kind + " in " + snapshot);
    }

    private JsonNode send(String method, String path, String body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SampleCaseOverHttpTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
