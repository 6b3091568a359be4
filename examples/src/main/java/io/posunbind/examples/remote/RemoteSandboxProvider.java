package io.posunbind.examples.remote;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.Secret;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalSetupAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment provider with id {@code "sandbox"} whose acquirer runs in another process: every SPI call
 * travels as JSON over HTTP to a {@link SandboxServer}. It exists so that crash tests can kill the
 * engine's JVM without killing the acquirer's memory of what it did.
 *
 * <p>It behaves like an adapter for a real HTTP acquirer: a request timeout (2 s by default), no retries
 * of its own (the engine owns retries and reconciles an unknown outcome with a lookup under the same
 * idempotency key), and every transport failure surfaces as a {@link ProviderException} with
 * {@link StandardErrorCode#PROVIDER_UNAVAILABLE}: a read is retried later, a mutating call becomes an
 * unknown outcome. A {@link ProviderException} the sandbox throws arrives with its code, provider code,
 * message and request id intact.
 *
 * <p>Created by {@link RemoteSandboxProviderFactory} from settings (the server's {@code base-uri}, an
 * optional {@code api-key}, ...), or constructed directly. The factory is not registered in
 * {@code META-INF/services}, because the in-process sandbox has the same id: hand it to the builder.
 *
 * <pre>{@code
 * Unbinder unbinder = Unbinder.builder().store(store)
 *         .providerFactory(new RemoteSandboxProviderFactory())
 *         .providerSettings("sandbox", Map.of("base-uri", "http://127.0.0.1:41234", "timeout", "2s"))
 *         .withoutDiscovery().build(); // closing the unbinder closes the provider
 * }</pre>
 *
 * <p>Thread-safe: the HTTP client and the adapters are shared and stateless. {@link #close()} stops the
 * HTTP client's threads.
 */
public final class RemoteSandboxProvider implements PaymentProvider {

    /** The provider id, the same as the in-process sandbox's. */
    public static final String ID = "sandbox";

    /** How long one call may take before it counts as timed out. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final URI rpcUri;
    private final Duration timeout;
    private final boolean honoursIdempotencyKeys;
    private final Optional<Secret> apiKey;
    private final ExecutorService httpThreads;
    private final HttpClient client;
    private final ObjectMapper mapper = SandboxJson.mapper();

    private final DeviceUnbindAdapter devices;
    private final AccountUnbindAdapter accounts;
    private final MerchantInfoAdapter merchantInfo;
    private final InstitutionApplicationAdapter applications;
    private final FeeQuoteAdapter fees;
    private final TerminalSetupAdapter terminalSetup;
    private final ReplacementCatalog catalog;
    private final io.posunbind.spi.TerminalTransferAdapter transfer;
    private final io.posunbind.spi.VerificationAdapter verification;

    /** A provider for the server at {@code baseUri} with the {@linkplain #DEFAULT_TIMEOUT default timeout}. */
    public RemoteSandboxProvider(URI baseUri) {
        this(baseUri, DEFAULT_TIMEOUT);
    }

    /**
     * A provider for the server at {@code baseUri}.
     *
     * @param baseUri the server's base URL, {@code http://127.0.0.1:PORT}
     * @param timeout how long one call may take, connecting included; positive
     */
    public RemoteSandboxProvider(URI baseUri, Duration timeout) {
        this(baseUri, timeout, true);
    }

    /**
     * A provider for a server whose sandbox ignores idempotency keys
     * ({@link io.posunbind.testkit.sandbox.SandboxRequests#setHonoursIdempotencyKeys(boolean)} with
     * {@code false}): it says so, so the engine stores "sent, outcome unknown" before every mutating call
     * and looks the operation up before it sends anything again.
     *
     * @param baseUri the server's base URL, {@code http://127.0.0.1:PORT}
     */
    public static RemoteSandboxProvider ignoringKeys(URI baseUri) {
        return new RemoteSandboxProvider(baseUri, DEFAULT_TIMEOUT, false, Optional.empty());
    }

    private RemoteSandboxProvider(URI baseUri, Duration timeout, boolean honoursIdempotencyKeys) {
        this(baseUri, timeout, honoursIdempotencyKeys, Optional.empty());
    }

    /**
     * The provider {@link RemoteSandboxProviderFactory} creates.
     *
     * @param apiKey sent as a bearer token with every call when present, as a real acquirer's key would be
     */
    RemoteSandboxProvider(URI baseUri, Duration timeout, boolean honoursIdempotencyKeys, Optional<Secret> apiKey) {
        Objects.requireNonNull(baseUri, "baseUri");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.rpcUri = baseUri.resolve("/rpc");
        this.timeout = timeout;
        this.honoursIdempotencyKeys = honoursIdempotencyKeys;
        // Our own threads rather than the client's default pool, so that close() can stop them: the HTTP
        // client of Java 17 has no close() of its own.
        AtomicInteger threadNumber = new AtomicInteger();
        this.httpThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "remote-sandbox-http-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // HTTP/1.1 on purpose: the JDK's server speaks nothing else, and an upgrade attempt would cost a round trip.
        this.client = HttpClient.newBuilder()
                .executor(httpThreads)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        this.devices = adapter(SandboxAdapter.DEVICE, DeviceUnbindAdapter.class);
        this.accounts = adapter(SandboxAdapter.ACCOUNT, AccountUnbindAdapter.class);
        this.merchantInfo = adapter(SandboxAdapter.MERCHANT_INFO, MerchantInfoAdapter.class);
        this.applications = adapter(SandboxAdapter.APPLICATION, InstitutionApplicationAdapter.class);
        this.fees = adapter(SandboxAdapter.FEES, FeeQuoteAdapter.class);
        this.terminalSetup = adapter(SandboxAdapter.TERMINAL_SETUP, TerminalSetupAdapter.class);
        this.catalog = adapter(SandboxAdapter.CATALOG, ReplacementCatalog.class);
        this.transfer = adapter(SandboxAdapter.TRANSFER, io.posunbind.spi.TerminalTransferAdapter.class);
        this.verification = adapter(SandboxAdapter.VERIFICATION, io.posunbind.spi.VerificationAdapter.class);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String displayName() {
        return "Sandbox Acquiring (remote test)";
    }

    /** Stops the HTTP client's threads; calls made afterwards fail. */
    @Override
    public void close() {
        httpThreads.shutdown();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return httpThreads.isShutdown();
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.of(devices);
    }

    @Override
    public Optional<AccountUnbindAdapter> accountAdapter() {
        return Optional.of(accounts);
    }

    @Override
    public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
        return Optional.of(merchantInfo);
    }

    @Override
    public Optional<InstitutionApplicationAdapter> applicationAdapter() {
        return Optional.of(applications);
    }

    @Override
    public Optional<FeeQuoteAdapter> feeQuoteAdapter() {
        return Optional.of(fees);
    }

    @Override
    public Optional<TerminalSetupAdapter> terminalSetupAdapter() {
        return Optional.of(terminalSetup);
    }

    @Override
    public Optional<ReplacementCatalog> replacementCatalog() {
        return Optional.of(catalog);
    }

    /** Whether the sandbox server deduplicates by idempotency key: yes, unless built {@link #ignoringKeys}. */
    @Override
    public boolean honoursIdempotencyKeys() {
        return honoursIdempotencyKeys;
    }

    @Override
    public String toString() {
        return "RemoteSandboxProvider[" + rpcUri + (honoursIdempotencyKeys ? "" : ", ignoring keys") + "]";
    }

    // ----------------------------------------------------------------------------------------------

    /**
     * An adapter whose SPI methods each become one remote call. A proxy rather than seven hand-written
     * classes: the wire is the SPI itself, so a method added to the SPI travels without a change here.
     */
    private <T> T adapter(SandboxAdapter adapter, Class<T> type) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> type.getSimpleName() + "@" + rpcUri;
                };
            }
            return call(adapter, method, args);
        });
        return type.cast(proxy);
    }

    private Object call(SandboxAdapter adapter, Method method, Object[] args) {
        Object[] values = args == null ? new Object[0] : args;
        ObjectNode request = mapper.createObjectNode()
                .put("adapter", adapter.wireName())
                .put("method", method.getName());
        ArrayNode wireArgs = request.putArray("args");
        java.lang.reflect.Type[] parameterTypes = method.getGenericParameterTypes();
        for (int i = 0; i < values.length; i++) {
            // The SPI takes no nulls; refuse here with the parameter's position rather than at the server.
            int position = i;
            Objects.requireNonNull(values[i], () -> method.getName() + " parameter " + position);
            wireArgs.add(toTree(values[i], mapper.constructType(parameterTypes[i])));
        }
        String what = adapter.wireName() + "." + method.getName();
        HttpResponse<byte[]> response = send(what, request);
        JsonNode body = readBody(what, response);
        JsonNode error = body.get("error");
        if (error != null) {
            throw rebuild(what, error);
        }
        JavaType resultType = mapper.constructType(method.getGenericReturnType());
        JsonNode result = body.get("result");
        try {
            if ((result == null || result.isNull()) && resultType.getRawClass() == Optional.class) {
                return Optional.empty();
            }
            return mapper.readerFor(resultType).readValue(result);
        } catch (IOException e) {
            throw new ProviderException(StandardErrorCode.UNMAPPED_PROVIDER_ERROR, "SBX-REMOTE-BAD-ANSWER",
                    "The sandbox's answer to " + what + " could not be read as " + resultType, null, e);
        }
    }

    private JsonNode toTree(Object value, JavaType type) {
        try {
            return mapper.readTree(mapper.writerFor(type).writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot send a " + value.getClass().getName() + " to the sandbox", e);
        }
    }

    private HttpResponse<byte[]> send(String what, ObjectNode request) {
        byte[] payload;
        try {
            payload = mapper.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException("A JSON tree always serialises", e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(rpcUri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        apiKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key.reveal()));
        HttpRequest http = builder.build();
        try {
            return client.send(http, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            // The call may or may not have taken effect: the engine reconciles, we do not retry.
            throw unavailable("SBX-REMOTE-TIMEOUT", "No answer to " + what + " within " + timeout.toMillis() + " ms",
                    e);
        } catch (IOException e) {
            throw unavailable("SBX-REMOTE-IO", "The call " + what + " failed on the way: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("SBX-REMOTE-INTERRUPTED", "Interrupted while waiting for " + what, e);
        }
    }

    private JsonNode readBody(String what, HttpResponse<byte[]> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new ProviderException(StandardErrorCode.UNMAPPED_PROVIDER_ERROR, "SBX-REMOTE-HTTP-"
                    + response.statusCode(), "The sandbox answered " + what + " with unreadable JSON", null, e);
        }
    }

    /** The exception the sandbox threw, rebuilt on this side. */
    private static RuntimeException rebuild(String what, JsonNode error) {
        String kind = error.path("kind").asText();
        String message = error.path("message").asText();
        if (kind.equals("provider")) {
            JsonNode requestId = error.get("providerRequestId");
            return new ProviderException(SandboxJson.errorCode(error.path("code").asText()),
                    error.path("providerCode").asText(), message, requestId == null ? null : requestId.asText(), null);
        }
        String exceptionClass = error.path("exceptionClass").asText();
        String remote = "sandbox " + what + ": " + message;
        if (exceptionClass.equals(UncheckedIOException.class.getName())) {
            return new UncheckedIOException(remote, new IOException(message));
        }
        if (exceptionClass.equals(IllegalArgumentException.class.getName())) {
            return new IllegalArgumentException(remote);
        }
        if (exceptionClass.equals(NullPointerException.class.getName())) {
            return new NullPointerException(remote);
        }
        return new IllegalStateException("The sandbox failed on " + what + " (" + kind + " " + exceptionClass + "): "
                + message);
    }

    private static ProviderException unavailable(String providerCode, String message, Throwable cause) {
        return new ProviderException(StandardErrorCode.PROVIDER_UNAVAILABLE, providerCode, message, null, cause);
    }

    @Override
    public Optional<io.posunbind.spi.TerminalTransferAdapter> transferAdapter() {
        return Optional.of(transfer);
    }

    @Override
    public Optional<io.posunbind.spi.VerificationAdapter> verificationAdapter() {
        return Optional.of(verification);
    }

    /** Callback bodies are parsed where they arrive, not at the acquirer. */
    @Override
    public Optional<io.posunbind.spi.CallbackParser> callbackParser() {
        return Optional.of(new io.posunbind.testkit.sandbox.SandboxCallbacks());
    }
}
