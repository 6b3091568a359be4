package io.posunbind.testkit;

import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small adapter written the way the contract asks, on {@link FakeTerminalApi}: the kit's proof that
 * the contract can be passed. Broken variants ({@link BrokenProviders}) override one hook each.
 */
public class ReferenceProvider implements PaymentProvider {
    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }


    static final String ID = "kit-reference";
    /** The adapter's credential: it must never show in anything the adapter lets out. */
    static final String API_KEY = "kit_sk_live_5f2b9c1e77d04a";
    static final Duration BUDGET = Duration.ofSeconds(10);

    protected final FakeTerminalApi api;
    private final DeviceUnbindAdapter devices = new Devices();
    private final CallbackParser notifications = new Notifications();

    /** The provider ServiceLoader creates, on the shared fake backend. */
    public ReferenceProvider() {
        this(FakeTerminalApi.shared());
    }

    ReferenceProvider(FakeTerminalApi api) {
        this.api = api;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Test kit reference provider";
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.of(devices);
    }

    @Override
    public Optional<CallbackParser> callbackParser() {
        return Optional.of(notifications);
    }

    @Override
    public Optional<Pattern> terminalSerialPattern() {
        return Optional.of(Pattern.compile("KIT-[0-9]{6}"));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + "]";
    }

    // Hooks the broken variants override ---------------------------------------------------------------

    /** The key the request is sent and later found under. */
    protected String requestKey(OperationContext context) {
        return context.idempotencyKey().value();
    }

    /** Whether the request carries the Idempotency-Key header. */
    protected boolean sendsIdempotencyKey() {
        return true;
    }

    protected OperationOutcome answer(FakeTerminalApi.Response response, String serial) {
        if (response.elapsed().compareTo(BUDGET) > 0) {
            return OperationOutcome.unknown("no answer within " + BUDGET);
        }
        return switch (response.status()) {
            case 200 -> OperationOutcome.done(response.body());
            case 202 -> OperationOutcome.pending(response.body(), Duration.ofMinutes(1));
            case 404 -> OperationOutcome.rejected(StandardErrorCode.TERMINAL_NOT_FOUND, response.body(),
                    "Terminal " + serial + " is unknown");
            case 422 -> refused(response.body(), serial);
            case 429 -> response.retryAfter().map(wait -> OperationOutcome.retryable("429", "rate limited", wait))
                    .orElseGet(() -> OperationOutcome.retryable("429", "rate limited"));
            default -> serverError(response);
        };
    }

    protected OperationOutcome refused(String providerCode, String serial) {
        return OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, providerCode,
                "Terminal " + serial + " is locked at the provider");
    }

    protected OperationOutcome serverError(FakeTerminalApi.Response response) {
        return OperationOutcome.retryable(String.valueOf(response.status()), "provider error " + response.body());
    }

    protected OperationOutcome onIoException(IOException e) {
        return OperationOutcome.unknown((e instanceof SocketTimeoutException ? "read timed out: " : "connection lost: ")
                + e.getMessage());
    }

    protected ProviderException notFound(String serial) {
        return new ProviderException(StandardErrorCode.TERMINAL_NOT_FOUND, "NO_SUCH_TERMINAL",
                "Terminal " + serial + " is unknown to the provider");
    }

    /** The note persisted before the call: what the terminal was before, never a credential. */
    protected Optional<String> note(SentOperation operation) {
        return Optional.of("before=" + operation.kind());
    }

    /**
     * Verifies a notification's {@code X-Signature}, an HMAC-SHA256 of the body under the API key. The kit
     * only needs the refusal of a forged one; reading a genuine one is the engine's tests' business.
     */
    protected ProviderNotification verify(RawCallback request) {
        String expected = hmac(request.body());
        String given = request.headers().getOrDefault("X-Signature", List.of("")).get(0);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            throw new ProviderException(NotificationErrorCode.SIGNATURE_INVALID, "SIGNATURE_MISMATCH",
                    "The notification's X-Signature does not verify");
        }
        throw new ProviderException(NotificationErrorCode.MALFORMED, "UNREADABLE",
                "The reference adapter reads no notification content");
    }

    private static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(API_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    protected Optional<OperationOutcome> lookup(SentOperation reference) {
        FakeTerminalApi.Response found = api.findOperation(reference.idempotencyKey().value());
        return found.status() == 404 ? Optional.empty() : Optional.of(answer(found, "?"));
    }

    protected OperationOutcome send(OperationContext context, OperationKind kind, String serial) {
        String key = requestKey(context);
        try {
            return answer(api.post(kind, serial, sendsIdempotencyKey() ? key : null, key), serial);
        } catch (IOException e) {
            return onIoException(e);
        }
    }

    /**
     * The reference adapter as an adapter of a real API writes it: every refusal and failure carries the
     * provider's request id from its per-request header, and the message names the request.
     */
    static final class WithRequestIds extends ReferenceProvider {
        private static final AtomicLong REQUEST_IDS = new AtomicLong(0x5eed_0000L);

        WithRequestIds(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String serial) {
            // Not a random UUID: the masking rule joins digit groups across hyphens ("…a1234567-1234-5678-…"),
            // so a UUID read as a card number to the secret scan once in a few hundred runs.
            String requestId = "req_" + Long.toString(REQUEST_IDS.incrementAndGet(), 36) + "_kit";
            OperationOutcome outcome = super.answer(response, serial);
            if (outcome instanceof OperationOutcome.Rejected rejected) {
                return OperationOutcome.rejected(rejected.code(), rejected.providerCode(),
                        rejected.message() + " (request " + requestId + ")").withRequestId(requestId);
            }
            if (outcome instanceof OperationOutcome.RetryableFailure failure) {
                return failure.withRequestId(requestId);
            }
            return outcome;
        }
    }

    /**
     * The factory a host would configure: it needs the API key, as a factory of a real adapter needs its
     * credentials, and refuses to create a provider without it.
     */
    public static final class Factory implements PaymentProviderFactory {
        static final String API_KEY_SETTING = "api-key";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            settings.secret(API_KEY_SETTING);
            return new ReferenceProvider(FakeTerminalApi.shared());
        }
    }

    /**
     * The reference adapter for an API without idempotency keys, declared honestly: the engine looks each
     * operation up by the client reference before it sends it again.
     */
    static final class WithoutKeys extends ReferenceProvider {
        WithoutKeys(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected boolean sendsIdempotencyKey() {
            return false;
        }

        @Override
        public boolean honoursIdempotencyKeys() {
            return false;
        }
    }

    /** Notifications in the reference provider's own format, through the provider's hook. */
    private final class Notifications implements CallbackParser {
        @Override
        public boolean verifiesNativeNotifications() {
            return true;
        }

        @Override
        public ProviderNotification verify(RawCallback request) {
            return ReferenceProvider.this.verify(request);
        }

        @Override
        public String toString() {
            return ReferenceProvider.this + ".notifications";
        }
    }

    /** The device adapter: everything goes through the provider's hooks. */
    private final class Devices implements DeviceUnbindAdapter {

        @Override
        public Terminal readTerminal(String serialNumber) {
            FakeTerminalApi.Response response = api.getTerminal(serialNumber);
            if (response.status() == 404) {
                throw notFound(serialNumber);
            }
            return new Terminal(serialNumber, "KIT-1", TerminalStatus.ACTIVE, List.of("898310058120001"),
                    Optional.empty(), List.of());
        }

        @Override
        public TerminalDataExport exportTerminalData(String serialNumber) {
            readTerminal(serialNumber);
            return new TerminalDataExport(serialNumber, List.of(), Map.of("language", "zh-CN"));
        }

        @Override
        public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
            return send(context, OperationKind.UNBIND_PERIPHERAL, serialNumber);
        }

        @Override
        public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
            return send(context, OperationKind.DISABLE_TERMINAL, serialNumber);
        }

        @Override
        public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
            return send(context, OperationKind.UNBIND_TERMINAL, serialNumber);
        }

        @Override
        public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
            return send(context, OperationKind.DECOMMISSION_TERMINAL, serialNumber);
        }

        @Override
        public Optional<String> prepare(SentOperation operation) {
            return note(operation);
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation reference) {
            return ReferenceProvider.this.lookup(reference);
        }

        @Override
        public String toString() {
            return ReferenceProvider.this + ".devices";
        }
    }
}
