package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.merchantNotFound;
import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;
import static io.posunbind.testkit.sandbox.SandboxAnswers.terminalNotFound;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's transfer desk (换绑): binds a terminal that was unbound from its former merchant to a new
 * one. Only an {@code UNBOUND} terminal, bound to nobody, can be bound, so a terminal never serves two
 * merchants (PBOC 259号 forbids 一机多户); the merchant must exist. The terminal becomes {@code ACTIVE},
 * stands at the given store, is configured for the new merchant and is registered in its merchant info.
 * Thread-safe through the backend's lock.
 */
final class SandboxTransferAdapter implements TerminalTransferAdapter {

    private final AdapterGateway acquirer;

    SandboxTransferAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public OperationOutcome bindTerminal(OperationContext context, String serialNumber, String merchantNumber,
            Optional<String> storeId) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(storeId, "storeId");
        return acquirer.execute(context, OperationKind.BIND_TERMINAL, List.of(serialNumber, merchantNumber, storeId),
                () -> List.of(merchantNumber), record -> {
                    Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
                    if (found.isEmpty()) {
                        return terminalNotFound(serialNumber);
                    }
                    Optional<MerchantState> merchant = acquirer.world().merchantState(merchantNumber);
                    if (merchant.isEmpty()) {
                        return merchantNotFound(merchantNumber);
                    }
                    TerminalState terminal = found.get();
                    if (!terminal.boundMerchantNumbers.isEmpty()) {
                        // Checked before the status, so that even a badly seeded terminal never gets a second merchant.
                        return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-STILL-BOUND",
                                "Terminal " + serialNumber + " is still bound to merchant(s) "
                                        + terminal.boundMerchantNumbers + "; unbind it first, since one terminal"
                                        + " serves one merchant only");
                    }
                    if (terminal.status != TerminalStatus.UNBOUND) {
                        return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-NOT-UNBOUND",
                                "Only an unbound terminal can be bound to another merchant; terminal " + serialNumber
                                        + " is " + terminal.status);
                    }
                    terminal.status = TerminalStatus.ACTIVE;
                    terminal.boundMerchantNumbers.add(merchantNumber);
                    terminal.storeId = storeId;
                    terminal.setUp = true;
                    terminal.settings.put("merchantNumber", merchantNumber);
                    terminal.settings.put("receiptHeader", merchant.get().name);
                    merchant.get().registeredTerminals.add(serialNumber);
                    return acquirer.done(record, "SBX-BND");
                });
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return acquirer.lookup(reference);
    }
}
