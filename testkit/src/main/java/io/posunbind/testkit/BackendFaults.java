package io.posunbind.testkit;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;

/**
 * The adapter author's handle on the fake backend their adapter talks to during the contract (an HTTP
 * stub such as WireMock, or an in-memory fake of the provider's API). The contract seeds terminals
 * through it, injects faults and asks what the backend actually did.
 *
 * <p>Implement the required methods against your stub; the optional ones default to throwing
 * {@link UnsupportedOperationException}, and the checks that need them are then skipped with a reason
 * that names the method. A fault the stub cannot produce is refused the same way by {@link #failNext}.
 *
 * <p>The contract calls it from several threads in the concurrency check: implementations must be
 * thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface BackendFaults {

    /**
     * Creates a terminal, bound to a merchant and active, on which the contract's probe operation
     * ({@link PaymentProviderContract#probe()}) takes effect, and returns its serial number. Every call
     * returns a new terminal.
     */
    String seedTerminal();

    /** A serial number of the provider's own shape that the backend does not know. */
    String unknownSerial();

    /**
     * Makes the next request of this kind that reaches the backend suffer the fault.
     *
     * @throws UnsupportedOperationException when the fake backend cannot produce this fault
     */
    void failNext(OperationKind kind, Fault fault);

    /**
     * How many times the backend performed a request sent under the engine's key (the adapter may send a
     * compacted form; the fake maps it back). 0 or 1 for an adapter that honours keys.
     */
    int effectsUnder(IdempotencyKey key);

    /** How many requests of any kind (reads included) reached the backend so far. */
    int requestsReceived();

    /**
     * The merchant a seeded terminal is bound to, sent in every operation's target as the engine sends the
     * case's merchant number. The default is a fixed test merchant; override it when your stub checks it.
     */
    default String merchantOf(String serialNumber) {
        return "898000000000001";
    }

    /**
     * Creates a terminal on which the probe operation is refused for a business reason (locked, in
     * another state, owned by another account) and returns its serial number; the refusal must not
     * depend on the serial. Optional.
     */
    default String seedTerminalThatRefuses() {
        throw new UnsupportedOperationException("seedTerminalThatRefuses");
    }

    /** Makes the backend accept the next request of this kind asynchronously (HTTP 202). Optional. */
    default void holdNextAsPending(OperationKind kind) {
        throw new UnsupportedOperationException("holdNextAsPending");
    }

    /** Finishes, successfully, every request the backend holds as pending. Optional with {@link #holdNextAsPending}. */
    default void completePending() {
        throw new UnsupportedOperationException("completePending");
    }
}
