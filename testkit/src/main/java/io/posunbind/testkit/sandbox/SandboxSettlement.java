package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.model.AccountChangeLimit;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.UnsettledFunds;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The merchants' settlement in a {@link SandboxBackend}, taken from {@link SandboxBackend#settlement()}:
 * what is unsettled on their terminals, their bound settlement account, and the limit on how often that
 * account may change. The account itself is bound with {@link SandboxBackend#bindAccount}.
 *
 * <p>Thread-safe: every method runs under the backend's lock. Methods throw
 * {@link IllegalArgumentException} for a merchant or terminal that was never added.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxSettlement {

    private final SandboxBackend backend;
    private final WorldState world;
    private final ReviewDesk desk;

    SandboxSettlement(SandboxBackend backend, WorldState world, ReviewDesk desk) {
        this.backend = backend;
        this.world = world;
        this.desk = desk;
    }

    /**
     * Sets what is unsettled on a merchant's terminal. The expected settlement time is the start of the
     * next business day (T+1) after now, when anything is unsettled.
     *
     * @param amount               funds captured, not yet settled, in CNY
     * @param inFlightTransactions transactions started, not finished
     */
    public SandboxSettlement setUnsettledFunds(String merchantNumber, String serialNumber, Money amount,
            int inFlightTransactions) {
        Objects.requireNonNull(amount, "amount");
        SandboxBackend.requireText(serialNumber, "serialNumber");
        if (!amount.currency().equals(SandboxBackend.CNY)) {
            throw new IllegalArgumentException("The sandbox settles in CNY only, not " + amount.currency());
        }
        return change(() -> world.setUnsettledFunds(merchantNumber, serialNumber, amount, inFlightTransactions));
    }

    /** Settles everything of a merchant: no funds unsettled and nothing in flight on any terminal. */
    public SandboxSettlement settleAll(String merchantNumber) {
        return change(() -> world.seededMerchant(merchantNumber).unsettledByTerminal.clear());
    }

    /** What is unsettled on the merchant's terminal. */
    public UnsettledFunds unsettledFunds(String merchantNumber, String serialNumber) {
        return backend.inspect(() -> world.unsettledFundsOf(world.seededMerchant(merchantNumber), serialNumber));
    }

    /**
     * Limits how often the merchant may change its settlement account, as many Chinese acquirers do (for
     * example once per 30 days), for a merchant whose account never changed in the sandbox.
     *
     * @see #setAccountChangeLimit(String, Duration, Instant)
     */
    public SandboxSettlement setAccountChangeLimit(String merchantNumber, Duration minimumInterval) {
        AccountChangeLimit limit = new AccountChangeLimit(minimumInterval, Optional.empty());
        return change(() -> world.setAccountChangeLimit(merchantNumber, limit));
    }

    /**
     * Limits how often the merchant may change its settlement account and says when it last did. The
     * account adapter then reports the limit, refuses an account unbind inside the interval with
     * {@code ACCOUNT_CHANGE_LIMIT}, and moves {@code lastChangedAt} to the moment each account unbind
     * completes.
     *
     * @param minimumInterval the shortest time between two changes, not negative
     * @param lastChangedAt   when the account last changed
     */
    public SandboxSettlement setAccountChangeLimit(String merchantNumber, Duration minimumInterval,
            Instant lastChangedAt) {
        Objects.requireNonNull(lastChangedAt, "lastChangedAt");
        AccountChangeLimit limit = new AccountChangeLimit(minimumInterval, Optional.of(lastChangedAt));
        return change(() -> world.setAccountChangeLimit(merchantNumber, limit));
    }

    /** The merchant's bound settlement account, empty when none is. */
    public Optional<SettlementAccount> settlementAccount(String merchantNumber) {
        return backend.inspect(() -> {
            desk.completeDue();
            return world.seededMerchant(merchantNumber).account;
        });
    }

    /** The merchant's limit on settlement-account changes, with the last change; empty when none is set. */
    public Optional<AccountChangeLimit> accountChangeLimit(String merchantNumber) {
        return backend.inspect(() -> {
            desk.completeDue();
            return world.accountChangeLimitOf(world.seededMerchant(merchantNumber));
        });
    }

    private SandboxSettlement change(Runnable change) {
        backend.change(change);
        return this;
    }
}
