package io.posunbind.examples.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seeds, steers and inspects a {@link SandboxServer} from a test: the admin half of the server's API.
 * Failures are {@link UncheckedIOException}s: a test that cannot reach its sandbox cannot go on.
 *
 * <p>Thread-safe.
 */
public final class SandboxAdminClient {

    /** One idempotency key that took effect at the sandbox, how often, and for which case. */
    public record Effect(String key, String kind, int count, String caseId) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUri;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final ObjectMapper mapper = SandboxJson.mapper();

    /** A client for the server at {@code baseUri}. */
    public SandboxAdminClient(URI baseUri) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
    }

    /** Adds the fleet's merchants {@code from} (inclusive) to {@code to} (exclusive). */
    public void seed(int from, int to) {
        post("/admin/seed", mapper.createObjectNode().put("from", from).put("to", to));
    }

    /** Reviewed operations complete at once. */
    public void completeImmediately() {
        post("/admin/policy", mapper.createObjectNode().put("policy", "immediate"));
    }

    /** Reviewed operations complete on their n-th poll. */
    public void completeAfterPolls(int polls) {
        post("/admin/policy", mapper.createObjectNode().put("policy", "afterPolls").put("polls", polls));
    }

    /** The next {@code calls} calls take effect, then answer only after {@code delay}. */
    public void stallNext(int calls, Duration delay) {
        post("/admin/stall", mapper.createObjectNode().put("calls", calls).put("millis", delay.toMillis()));
    }

    /**
     * From now on every mutating call takes effect, then answers only after {@code delay}; reads and
     * lookups answer at once. {@link Duration#ZERO} turns it off.
     */
    public void answerMutatingCallsAfter(Duration delay) {
        post("/admin/latency", mapper.createObjectNode().put("millis", delay.toMillis()));
    }

    /** Every idempotency key that took effect, with its count and case. */
    public List<Effect> effects() {
        return read(get("/admin/effects"), new TypeReference<List<Effect>>() { });
    }

    /** How often each {@code adapter.method} was called. */
    public Map<String, Long> calls() {
        return read(get("/admin/calls"), new TypeReference<Map<String, Long>>() { });
    }

    /** What is not as a full unbind leaves it, for fleet merchants {@code from} to {@code to} (exclusive). */
    public List<String> fleetProblems(int from, int to) {
        return read(get("/admin/fleet-problems?from=" + from + "&to=" + to), new TypeReference<List<String>>() { });
    }

    /** Asks the server to stop. */
    public void shutdown() {
        post("/admin/shutdown", mapper.createObjectNode());
    }

    private JsonNode post(String path, ObjectNode body) {
        try {
            return exchange(HttpRequest.newBuilder(baseUri.resolve(path))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode get(String path) {
        return exchange(HttpRequest.newBuilder(baseUri.resolve(path)).GET());
    }

    private JsonNode exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = mapper.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The sandbox refused " + request.build().uri().getPath() + ": "
                        + body);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reach the sandbox at " + baseUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while talking to the sandbox", e);
        }
    }

    private <T> T read(JsonNode node, TypeReference<T> type) {
        return mapper.convertValue(node, type);
    }
}
