package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.Fault;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contract's handle on a {@link SandboxBackend}: terminals of the demo merchant, merchants with the demo
 * settlement account or merchant info of their own, and the sandbox's own faults. The sandbox has no 429
 * and no latency, answers device operations synchronously, and counts mutating requests only (not reads),
 * so those checks are skipped or see mutating calls alone. A refused account change is one within the
 * merchant's change interval; a refused merchant-info deletion, one of a merchant with an active terminal.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxBackendFaults implements BackendFaults {

    private final SandboxBackend backend;
    private final AtomicInteger serials = new AtomicInteger();
    private final AtomicInteger merchants = new AtomicInteger();

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
    public String seedMerchantWithAccount() {
        String merchant = newMerchant();
        backend.bindAccount(merchant, SandboxDemoData.settlementAccount());
        return merchant;
    }

    @Override
    public String seedMerchantWithAccountThatRefuses() {
        // Changed a moment ago, and only once in 30 days: refused with ACCOUNT_CHANGE_LIMIT whoever asks.
        String merchant = seedMerchantWithAccount();
        backend.settlement().setAccountChangeLimit(merchant, Duration.ofDays(30), backend.clock().instant());
        return merchant;
    }

    @Override
    public String unknownMerchant() {
        return "898999999999999";
    }

    @Override
    public String seedMerchantInfo() {
        return newMerchant();
    }

    @Override
    public String seedMerchantInfoThatRefuses() {
        String merchant = newMerchant();
        backend.addTerminal(nextSerial(), "PAX A920Pro", merchant);
        return merchant;
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

    /**
     * The sandbox reviews every account unbind (pending until reviewed, under the default
     * {@link CompletionPolicy#manual()}); a device or merchant-info operation it answers at once.
     */
    @Override
    public void holdNextAsPending(OperationKind kind) {
        if (kind != OperationKind.UNBIND_SETTLEMENT_ACCOUNT) {
            throw new UnsupportedOperationException("the sandbox answers " + kind + " at once");
        }
    }

    /** Completes every review the sandbox holds as pending. */
    @Override
    public void completePending() {
        backend.reviews().pendingReferences().forEach(backend.reviews()::completePending);
    }

    @Override
    public int effectsUnder(IdempotencyKey key) {
        return backend.requests().effectCount(key);
    }

    @Override
    public int requestsReceived() {
        return Arrays.stream(OperationKind.values()).mapToInt(backend.requests()::callsFor).sum();
    }

    private String newMerchant() {
        String merchant = String.format("8983100%08d", merchants.incrementAndGet());
        backend.addMerchant(merchant, SandboxDemoData.MERCHANT_NAME, SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE,
                SandboxDemoData.LEGAL_REPRESENTATIVE_NAME);
        return merchant;
    }

    private String nextSerial() {
        return String.format("CT%08d", serials.incrementAndGet());
    }
}
