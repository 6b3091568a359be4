package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.Fault;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contract's handle on a {@link SandboxBackend}: terminals of the demo merchant, and the sandbox's
 * own faults. The sandbox has no 429 and no latency, answers device operations synchronously, and
 * counts mutating requests only (not reads), so those checks are skipped or see mutating calls alone.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxBackendFaults implements BackendFaults {

    private final SandboxBackend backend;
    private final AtomicInteger serials = new AtomicInteger();

    /** A handle on {@code backend}; the contract seeds its terminals under the demo merchant. */
    public SandboxBackendFaults(SandboxBackend backend) {
        this.backend = backend;
    }

    @Override
    public String seedTerminal() {
        String serial = nextSerial();
        backend.addTerminal(serial, "PAX A920Pro", SandboxDemoData.MERCHANT_NUMBER);
        return serial;
    }

    @Override
    public String seedTerminalThatRefuses() {
        // Only an active terminal can be disabled: a decommissioned one is refused, whatever its serial.
        String serial = nextSerial();
        backend.addTerminal(serial, "PAX A920Pro", TerminalStatus.DECOMMISSIONED, Optional.empty(), List.of());
        return serial;
    }

    @Override
    public String unknownSerial() {
        return "CT99999999";
    }

    @Override
    public void failNext(OperationKind kind, Fault fault) {
        switch (fault.kind()) {
            case TIMEOUT -> backend.faults().timeOutNext(kind);
            case CONNECTION_RESET -> backend.faults().loseNext(kind);
            case SERVER_ERROR -> backend.faults().failNextTransiently(kind, 1);
            default -> throw new UnsupportedOperationException("the sandbox has no " + fault.kind());
        }
    }

    @Override
    public int effectsUnder(IdempotencyKey key) {
        return backend.requests().effectCount(key);
    }

    @Override
    public int requestsReceived() {
        return Arrays.stream(OperationKind.values()).mapToInt(backend.requests()::callsFor).sum();
    }

    private String nextSerial() {
        return String.format("CT%08d", serials.incrementAndGet());
    }
}
