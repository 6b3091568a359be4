package io.posunbind.testkit;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationTarget;

/**
 * The adapter author's handle on the fake backend their adapter talks to during the contract (an HTTP
 * stub such as WireMock, or an in-memory fake of the provider's API). The contract seeds terminals,
 * merchants with a settlement account and merchant info through it, injects faults and asks what the
 * backend actually did.
 *
 * <p>Implement the required methods and the seeding hooks of the bindings your provider declares
 * ({@link io.posunbind.spi.PaymentProvider#capabilities()}): {@link #seedTerminal()} and
 * {@link #unknownSerial()} for a device adapter, {@link #seedMerchantWithAccount()} for an account adapter,
 * {@link #seedMerchantInfo()} for a merchant-info adapter. The contract never calls the hooks of a binding
 * the provider does not declare. Every optional method defaults to throwing
 * {@link UnsupportedOperationException}, and the checks that need it are then skipped with a reason that
 * names the method. A fault the stub cannot produce is refused the same way by {@link #failNext}.
 *
 * <p>The contract calls it from several threads in the concurrency check: implementations must be
 * thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface BackendFaults {

    /**
     * Creates a terminal, bound to a merchant and active, on which the contract's probe operation
     * ({@link PaymentProviderContract#probe()}) takes effect, and returns its serial number. Every call
     * returns a new terminal. Needed when the provider declares device unbinding.
     */
    default String seedTerminal() {
        throw new UnsupportedOperationException("seedTerminal");
    }

    /** A serial number of the provider's own shape that the backend does not know. Needed with {@link #seedTerminal}. */
    default String unknownSerial() {
        throw new UnsupportedOperationException("unknownSerial");
    }

    /**
     * Makes the next request of this kind that reaches the backend suffer the fault.
     *
     * @throws UnsupportedOperationException when the fake backend cannot produce this fault
     */
    void failNext(OperationKind kind, Fault fault);

    /**
     * How many times the backend performed a request sent under the engine's key (the adapter may send a
     * compacted form; the fake maps it back). 0 or 1 for an adapter that honours keys. A fake of an API that
     * carries no key at all implements {@link #effectsOn} instead and may throw
     * {@link UnsupportedOperationException} here.
     */
    int effectsUnder(IdempotencyKey key);

    /**
     * How many times the backend performed an operation on this target (the merchant, with its terminal or
     * settlement account). The contract gives every operation a freshly seeded target, so for an API that
     * carries no idempotency key (WeChat Pay's account change) this counts the effects of one operation; when
     * implemented, the contract uses it instead of {@link #effectsUnder}. Optional.
     */
    default int effectsOn(OperationTarget target) {
        throw new UnsupportedOperationException("effectsOn");
    }

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

    /**
     * Creates a merchant with a settlement account bound, on which the account operation
     * ({@link io.posunbind.spi.AccountUnbindAdapter#unbindSettlementAccount}, with the account the adapter
     * reads) takes effect, and returns its merchant number. Every call returns a new merchant. Needed when
     * the provider declares account unbinding.
     */
    default String seedMerchantWithAccount() {
        throw new UnsupportedOperationException("seedMerchantWithAccount");
    }

    /**
     * Creates a merchant with a settlement account whose change or unbind is refused for a business reason
     * (a change already in review, a frozen account), the same refusal whatever the merchant. Optional.
     */
    default String seedMerchantWithAccountThatRefuses() {
        throw new UnsupportedOperationException("seedMerchantWithAccountThatRefuses");
    }

    /** A merchant number of the provider's own shape that the backend does not know. Optional. */
    default String unknownMerchant() {
        throw new UnsupportedOperationException("unknownMerchant");
    }

    /**
     * Creates a merchant whose merchant info is bound, on which the merchant-info operation takes effect:
     * deleting it ({@code DELETE_MERCHANT_INFO}: no active terminal left) or, when the provider offers only
     * that, detaching {@link #terminalToDetach} from it ({@code MODIFY_MERCHANT_INFO}). Returns its merchant
     * number; every call a new merchant. Needed when the provider declares merchant-info unbinding.
     */
    default String seedMerchantInfo() {
        throw new UnsupportedOperationException("seedMerchantInfo");
    }

    /** Creates a merchant whose merchant-info operation is refused for a business reason. Optional. */
    default String seedMerchantInfoThatRefuses() {
        throw new UnsupportedOperationException("seedMerchantInfoThatRefuses");
    }

    /**
     * The terminal that {@code MODIFY_MERCHANT_INFO} detaches from a merchant of {@link #seedMerchantInfo}.
     * Needed only when the provider offers that operation and not {@code DELETE_MERCHANT_INFO}.
     */
    default String terminalToDetach(String merchantNumber) {
        throw new UnsupportedOperationException("terminalToDetach");
    }
}
