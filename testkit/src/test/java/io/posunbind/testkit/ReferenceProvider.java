package io.posunbind.testkit;

import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
        public Optional<OperationOutcome> lookup(SentOperation reference) {
            return ReferenceProvider.this.lookup(reference);
        }

        @Override
        public String toString() {
            return ReferenceProvider.this + ".devices";
        }
    }
}
