package io.posunbind.examples.remote;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxEffect;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Serves a {@link SandboxBackend} over HTTP on 127.0.0.1, so that the acquirer lives outside the engine's
 * JVM and survives when that JVM is killed with {@code kill -9}. The engine reaches it through
 * {@link RemoteSandboxProvider}; tests steer and inspect it through {@link SandboxAdminClient}.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /rpc} {@code {"adapter":"device","method":"disableTerminal","args":[...]}}: calls the SPI
 *       method of that name on the sandbox provider's adapter ({@code device}, {@code account},
 *       {@code merchantInfo}, {@code application}, {@code fees}, {@code terminalSetup}, {@code catalog}).
 *       Answers {@code {"result": ...}}, or {@code {"error": {...}}} with status 422 for a
 *       {@link ProviderException} (its code, provider code, message and request id) and 500 for anything
 *       else the sandbox threw.</li>
 *   <li>{@code POST /admin/seed} {@code {"from":0,"to":200}}: adds merchants of the {@link SandboxFleet}.</li>
 *   <li>{@code POST /admin/policy} {@code {"policy":"immediate"}} or {@code {"policy":"afterPolls","polls":2}}:
 *       when reviewed operations complete.</li>
 *   <li>{@code POST /admin/stall} {@code {"calls":1,"millis":3000}}: the next calls take effect, then answer
 *       only after the delay, as a provider whose answers time out.</li>
 *   <li>{@code POST /admin/latency} {@code {"millis":20}}: from now on every mutating call (one with an
 *       idempotency key) takes effect, then answers after the delay, as a distant acquirer would; reads and
 *       lookups answer at once. A crash test widens so the moment between an effect and its answer.</li>
 *   <li>{@code GET /admin/effects} (also {@code GET /effects}): {@code [{"key","kind","count","caseId"}]},
 *       one entry per idempotency key that took effect.</li>
 *   <li>{@code GET /admin/calls}: how often each {@code adapter.method} was called.</li>
 *   <li>{@code GET /admin/fleet-problems?from=0&to=200}: what is not as a full unbind leaves it
 *       ({@link SandboxFleet#problemsAfterFullUnbind}).</li>
 *   <li>{@code POST /admin/shutdown}: answers, then stops the server.</li>
 * </ul>
 *
 * <p>Run it on its own with {@code java -cp ... io.posunbind.examples.remote.SandboxServer [port]
 * [immediate|afterPolls:N] [merchants]}; it prints {@code SANDBOX_URL http://127.0.0.1:PORT}.
 *
 * <p>Thread-safe: requests run on a small pool; the backend serialises all access to its state.
 */
public final class SandboxServer implements AutoCloseable {

    /** What the server prints on start, followed by its base URL. */
    public static final String URL_LINE_PREFIX = "SANDBOX_URL ";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each small answer waits
        // for the client's delayed ACK (40 ms on Linux), which made every call 40 ms slow. The property is
        // read once, when the JDK's server configuration loads, so set it before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final int THREADS = 16;
    private static final int UNPROCESSABLE = 422;

    private final SandboxBackend backend;
    private final SandboxProvider provider;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper mapper = SandboxJson.mapper();
    private final Map<IdempotencyKey, String> caseIdByKey = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final AtomicInteger stalledCalls = new AtomicInteger();
    private final AtomicLong stallMillis = new AtomicLong();
    private final AtomicLong mutatingLatencyMillis = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SandboxServer(SandboxBackend backend, HttpServer server, ExecutorService executor) {
        this.backend = backend;
        this.provider = new SandboxProvider(backend);
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a server for the backend on 127.0.0.1.
     *
     * @param backend the acquirer to serve
     * @param port    the port, or 0 for an ephemeral one (see {@link #port()})
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static SandboxServer start(SandboxBackend backend, int port) {
        Objects.requireNonNull(backend, "backend");
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind the sandbox server to 127.0.0.1:" + port, e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-server-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        SandboxServer sandbox = new SandboxServer(backend, http, executor);
        http.setExecutor(executor);
        http.createContext("/rpc", exchange -> sandbox.handle(exchange, sandbox::rpc));
        http.createContext("/admin/seed", exchange -> sandbox.handle(exchange, sandbox::seed));
        http.createContext("/admin/policy", exchange -> sandbox.handle(exchange, sandbox::policy));
        http.createContext("/admin/stall", exchange -> sandbox.handle(exchange, sandbox::stall));
        http.createContext("/admin/latency", exchange -> sandbox.handle(exchange, sandbox::latency));
        http.createContext("/admin/effects", exchange -> sandbox.handle(exchange, sandbox::effects));
        http.createContext("/effects", exchange -> sandbox.handle(exchange, sandbox::effects));
        http.createContext("/admin/calls", exchange -> sandbox.handle(exchange, sandbox::calls));
        http.createContext("/admin/fleet-problems", exchange -> sandbox.handle(exchange, sandbox::fleetProblems));
        http.createContext("/admin/shutdown", exchange -> sandbox.handle(exchange, sandbox::shutdown));
        http.start();
        return sandbox;
    }

    /**
     * Runs a server until {@code POST /admin/shutdown}.
     *
     * @param args optionally the port (0: ephemeral), the completion policy ({@code immediate} or
     *             {@code afterPolls:N}) and a number of fleet merchants to seed
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        SandboxBackend backend = new SandboxBackend();
        backend.setCompletionPolicy(args.length > 1 ? parsePolicy(args[1]) : CompletionPolicy.immediate());
        if (args.length > 2) {
            SandboxFleet.seed(backend, 0, Integer.parseInt(args[2]));
        }
        try (SandboxServer server = start(backend, port)) {
            System.out.println(URL_LINE_PREFIX + server.baseUri());
            System.out.flush();
            server.awaitShutdown();
        }
    }

    /** Parses {@code immediate}, {@code manual} or {@code afterPolls:N}. */
    static CompletionPolicy parsePolicy(String text) {
        if (text.equals("immediate")) {
            return CompletionPolicy.immediate();
        }
        if (text.equals("manual")) {
            return CompletionPolicy.manual();
        }
        if (text.startsWith("afterPolls:")) {
            return CompletionPolicy.afterPolls(Integer.parseInt(text.substring("afterPolls:".length())));
        }
        throw new IllegalArgumentException("A policy is immediate, manual or afterPolls:N, was " + text);
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The backend served. */
    public SandboxBackend backend() {
        return backend;
    }

    /** Waits until the server was shut down through {@code /admin/shutdown} or {@link #close()}. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Stops the server at once; calls in progress are cut off. Idempotent. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        stopped.countDown();
    }

    // ----------------------------------------------------------------------------------------------

    /** Answers one request; a handler returns the status and the JSON body. */
    @FunctionalInterface
    private interface Handler {
        Answer handle(HttpExchange exchange) throws IOException;
    }

    private record Answer(int status, byte[] body) {
        static Answer ok(byte[] body) {
            return new Answer(200, body);
        }
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = handler.handle(exchange);
            } catch (RuntimeException | IOException e) {
                // A malformed request, or a bug here: say so rather than drop the connection.
                answer = new Answer(400, errorBody("exception", e).toString().getBytes(StandardCharsets.UTF_8));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            try {
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (IOException e) {
                // The client gave up waiting (a stalled answer, a killed engine): nothing to tell it.
            }
        }
    }

    private Answer rpc(HttpExchange exchange) throws IOException {
        JsonNode request = readBody(exchange);
        String adapterName = request.path("adapter").asText();
        String methodName = request.path("method").asText();
        JsonNode args = request.path("args");
        if (!args.isArray()) {
            return badRequest("args must be an array");
        }
        Optional<SandboxAdapter> adapter = SandboxAdapter.byWireName(adapterName);
        if (adapter.isEmpty()) {
            return badRequest("no adapter named '" + adapterName + "'");
        }
        Optional<?> target = adapter.get().of(provider);
        Optional<Method> method = adapter.get().method(methodName, args.size());
        if (target.isEmpty() || method.isEmpty()) {
            return badRequest("adapter " + adapterName + " has no method " + methodName + " with " + args.size()
                    + " parameters");
        }
        calls.computeIfAbsent(adapterName + "." + methodName, name -> new LongAdder()).increment();
        Type[] parameterTypes = method.get().getGenericParameterTypes();
        Object[] values = new Object[parameterTypes.length];
        boolean mutating = false;
        for (int i = 0; i < values.length; i++) {
            JavaType type = mapper.constructType(parameterTypes[i]);
            values[i] = mapper.readerFor(type).readValue(args.get(i));
            if (values[i] instanceof OperationContext context) {
                // The effects report names each key's case, so a test can count effects per case.
                caseIdByKey.putIfAbsent(context.idempotencyKey(), context.caseId());
                mutating = true;
            }
        }
        Answer answer;
        try {
            Object result = method.get().invoke(target.get(), values);
            byte[] value = mapper.writerFor(mapper.constructType(method.get().getGenericReturnType()))
                    .writeValueAsBytes(result);
            byte[] prefix = "{\"result\":".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + value.length + 1];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(value, 0, body, prefix.length, value.length);
            body[body.length - 1] = '}';
            answer = Answer.ok(body);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProviderException providerError) {
                answer = new Answer(UNPROCESSABLE, json(providerError(providerError)));
            } else {
                answer = new Answer(500, json(errorBody("exception", cause)));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("SPI methods are public; cannot call " + method.get(), e);
        }
        stallIfAsked();
        if (mutating) {
            pause(mutatingLatencyMillis.get());
        }
        return answer;
    }

    private void stallIfAsked() {
        if (stalledCalls.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            pause(stallMillis.get());
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // The server is closing: answer now.
            Thread.currentThread().interrupt();
        }
    }

    private Answer seed(HttpExchange exchange) throws IOException {
        JsonNode request = readBody(exchange);
        int from = request.path("from").asInt(0);
        int to = request.path("to").asInt();
        SandboxFleet.seed(backend, from, to);
        return Answer.ok(json(mapper.createObjectNode().put("seeded", to - from)));
    }

    private Answer policy(HttpExchange exchange) throws IOException {
        JsonNode request = readBody(exchange);
        String policy = request.path("policy").asText();
        backend.setCompletionPolicy(policy.equals("afterPolls")
                ? CompletionPolicy.afterPolls(request.path("polls").asInt(1))
                : parsePolicy(policy));
        return Answer.ok(json(mapper.createObjectNode().put("policy", policy)));
    }

    private Answer stall(HttpExchange exchange) throws IOException {
        JsonNode request = readBody(exchange);
        stallMillis.set(request.path("millis").asLong());
        stalledCalls.set(request.path("calls").asInt(1));
        return Answer.ok(json(mapper.createObjectNode().put("stalled", stalledCalls.get())));
    }

    private Answer latency(HttpExchange exchange) throws IOException {
        JsonNode request = readBody(exchange);
        mutatingLatencyMillis.set(Math.max(0, request.path("millis").asLong()));
        return Answer.ok(json(mapper.createObjectNode().put("millis", mutatingLatencyMillis.get())));
    }

    private Answer effects(HttpExchange exchange) throws IOException {
        Map<IdempotencyKey, List<SandboxEffect>> byKey = backend.requests().effects().stream()
                .collect(Collectors.groupingBy(SandboxEffect::idempotencyKey, LinkedHashMap::new, Collectors.toList()));
        ArrayNode list = mapper.createArrayNode();
        byKey.forEach((key, effects) -> list.addObject()
                .put("key", key.value())
                .put("kind", effects.get(0).kind().name())
                .put("count", effects.size())
                .put("caseId", caseIdByKey.getOrDefault(key, "")));
        return Answer.ok(json(list));
    }

    private Answer calls(HttpExchange exchange) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        calls.forEach((name, count) -> counts.put(name, count.sum()));
        return Answer.ok(mapper.writeValueAsBytes(counts));
    }

    private Answer fleetProblems(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        int from = Integer.parseInt(query.getOrDefault("from", "0"));
        int to = Integer.parseInt(Objects.requireNonNull(query.get("to"), "to"));
        return Answer.ok(mapper.writeValueAsBytes(SandboxFleet.problemsAfterFullUnbind(backend, from, to)));
    }

    private Answer shutdown(HttpExchange exchange) {
        // Stop after this answer has gone out, from another thread than the one answering.
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }, "sandbox-server-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        return Answer.ok(json(mapper.createObjectNode().put("stopping", true)));
    }

    private ObjectNode providerError(ProviderException error) {
        String code = error.errorCode().code();
        String message = Objects.toString(error.getMessage(), "");
        // ProviderException decorates its message with both codes; send it bare so the client can rebuild it.
        String prefix = "[" + code + "] ";
        String suffix = " (provider code " + error.providerCode() + ")";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        if (message.endsWith(suffix)) {
            message = message.substring(0, message.length() - suffix.length());
        }
        ObjectNode body = mapper.createObjectNode();
        ObjectNode detail = body.putObject("error")
                .put("kind", "provider")
                .put("code", code)
                .put("retryable", error.retryable())
                .put("providerCode", error.providerCode())
                .put("message", message);
        error.providerRequestId().ifPresent(id -> detail.put("providerRequestId", id));
        return body;
    }

    private ObjectNode errorBody(String kind, Throwable error) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error")
                .put("kind", kind)
                .put("exceptionClass", error.getClass().getName())
                .put("message", Objects.toString(error.getMessage(), ""));
        return body;
    }

    private Answer badRequest(String message) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("kind", "badRequest").put("message", message);
        return new Answer(400, json(body));
    }

    private JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
        }
    }

    private byte[] json(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("A JSON tree always serialises", e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return query;
    }

    @Override
    public String toString() {
        return "SandboxServer[" + baseUri() + "]";
    }
}
