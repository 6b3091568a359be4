package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.testkit.sandbox.FaultPlan.Fault;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

/**
 * The failures a test injects into a {@link SandboxBackend}, taken from {@link SandboxBackend#faults()}.
 * Injected faults are not state: a {@linkplain SandboxBackend#persistentIn persistent} backend does not
 * keep them across a restart.
 *
 * <pre>{@code
 * backend.faults().failNextTransiently(OperationKind.DISABLE_TERMINAL, 2).timeOutNext(OperationKind.UNBIND_PERIPHERAL);
 * }</pre>
 *
 * <p>Thread-safe: every method runs under the backend's lock.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxFaults {

    private final SandboxBackend backend;
    private final FaultPlan plan;

    SandboxFaults(SandboxBackend backend, FaultPlan plan) {
        this.backend = backend;
        this.plan = plan;
    }

    /**
     * The next {@code times} requests of this kind fail transiently ({@code RetryableFailure}, provider
     * code {@code SBX-503}) before reaching the acquirer: no effect, nothing remembered under the key.
     */
    public SandboxFaults failNextTransiently(OperationKind kind, int times) {
        FaultPlan.requirePositive(times);
        return steer(() -> plan.queue(kind, Fault.TRANSIENT, times));
    }

    /**
     * The next request of this kind takes effect (or replays its remembered answer) but the answer is lost
     * on the way back: the adapter answers {@code Unknown("read timed out ...")}. The engine must reconcile
     * with a lookup, which finds the operation, rather than repeat blindly.
     */
    public SandboxFaults timeOutNext(OperationKind kind) {
        return steer(() -> plan.queue(kind, Fault.TIMEOUT, 1));
    }

    /**
     * Like {@link #timeOutNext}, but the adapter throws an {@link UncheckedIOException} caused by a
     * {@link SocketTimeoutException}, as an HTTP client would; the SPI treats a throw from a mutating call
     * as an unknown outcome too.
     */
    public SandboxFaults timeOutNextWithException(OperationKind kind) {
        return steer(() -> plan.queue(kind, Fault.TIMEOUT_EXCEPTION, 1));
    }

    /**
     * The next request of this kind is lost before it reaches the acquirer: no effect, nothing remembered,
     * and the adapter answers {@code Unknown("connection reset ...")}. A lookup then answers empty.
     */
    public SandboxFaults loseNext(OperationKind kind) {
        return steer(() -> plan.queue(kind, Fault.LOST, 1));
    }

    /**
     * The next {@code times} reads (readTerminal, exportTerminalData, readSettlementAccount,
     * readUnsettledFunds, accountChangeLimit, readMerchantInfo, readDecision, quoteFees, demandFor, and
     * checkAnswer, which then costs no attempt) throw a {@link ProviderException} with
     * {@link StandardErrorCode#PROVIDER_UNAVAILABLE}.
     */
    public SandboxFaults failNextReads(int times) {
        FaultPlan.requirePositive(times);
        return steer(() -> plan.failReads(times));
    }

    /** The next {@code times} lookups throw a {@link ProviderException} with {@code PROVIDER_UNAVAILABLE}. */
    public SandboxFaults failNextLookups(int times) {
        FaultPlan.requirePositive(times);
        return steer(() -> plan.failLookups(times));
    }

    /** Forgets every fault not yet triggered. */
    public SandboxFaults clearFaults() {
        return steer(plan::clear);
    }

    private SandboxFaults steer(Runnable steering) {
        backend.steer(steering);
        return this;
    }
}
