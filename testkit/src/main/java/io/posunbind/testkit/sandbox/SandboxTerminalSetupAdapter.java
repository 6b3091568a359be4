package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.merchantNotFound;
import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;
import static io.posunbind.testkit.sandbox.SandboxAnswers.terminalNotFound;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalSetup;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets up a replacement terminal in the sandbox: only a {@code NEW} terminal can be set up, test
 * transactions run only on a set-up terminal and must be tiny (at most the backend's limit, one yuan by
 * default), and only an existing, not yet voided test transaction can be voided. Thread-safe through the
 * backend's lock.
 */
final class SandboxTerminalSetupAdapter implements TerminalSetupAdapter {

    /** The version {@link #updateSoftware} installs. */
    static final String LATEST_SOFTWARE = "SBX-OS 3.2.1";

    private final AdapterGateway acquirer;

    SandboxTerminalSetupAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public OperationOutcome setUpTerminal(OperationContext context, TerminalSetup setup) {
        Objects.requireNonNull(setup, "setup");
        return acquirer.execute(context, OperationKind.SET_UP_TERMINAL, List.of(setup),
                () -> List.of(setup.merchantNumber()), record -> {
            String serial = setup.serialNumber();
            Optional<TerminalState> found = acquirer.world().terminalState(serial);
            if (found.isEmpty()) {
                return terminalNotFound(serial);
            }
            TerminalState terminal = found.get();
            if (terminal.status != TerminalStatus.NEW) {
                return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-NOT-NEW",
                        "Only a new terminal can be set up; terminal " + serial + " is " + terminal.status);
            }
            if (!terminal.model.equals(setup.model())) {
                return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-MODEL-MISMATCH",
                        "Terminal " + serial + " is a " + terminal.model + ", not a " + setup.model());
            }
            Optional<MerchantState> merchant = acquirer.world().merchantState(setup.merchantNumber());
            if (merchant.isEmpty()) {
                return merchantNotFound(setup.merchantNumber());
            }
            terminal.status = TerminalStatus.ACTIVE;
            terminal.setUp = true;
            terminal.boundMerchantNumbers.add(setup.merchantNumber());
            terminal.settings.put("merchantNumber", setup.merchantNumber());
            terminal.settings.put("receiptHeader", setup.merchantName());
            merchant.get().registeredTerminals.add(serial);
            setup.settlementAccount().ifPresent(account -> {
                // The set-up binds the account it carries; settings keep the masked form only.
                merchant.get().account = Optional.of(account);
                terminal.settings.put("settlementAccount", account.number().masked());
            });
            return acquirer.done(record, "SBX-SET");
        });
    }

    @Override
    public OperationOutcome updateSoftware(OperationContext context, String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return acquirer.execute(context, OperationKind.UPDATE_TERMINAL_SOFTWARE, List.of(serialNumber),
                () -> acquirer.world().merchantsOf(serialNumber), record -> {
            Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
            if (found.isEmpty()) {
                return terminalNotFound(serialNumber);
            }
            TerminalState terminal = found.get();
            if (terminal.status != TerminalStatus.NEW && terminal.status != TerminalStatus.ACTIVE) {
                return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-OFFLINE",
                        "Terminal " + serialNumber + " is " + terminal.status + " and cannot receive software");
            }
            terminal.settings.put("softwareVersion", LATEST_SOFTWARE);
            return acquirer.done(record, "SBX-SW");
        });
    }

    @Override
    public OperationOutcome runTestTransaction(OperationContext context, String serialNumber, Money amount) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(amount, "amount");
        return acquirer.execute(context, OperationKind.RUN_TEST_TRANSACTION, List.of(serialNumber, amount),
                () -> acquirer.world().merchantsOf(serialNumber), record -> {
                    Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
                    if (found.isEmpty()) {
                        return terminalNotFound(serialNumber);
                    }
                    TerminalState terminal = found.get();
                    if (!terminal.setUp || terminal.status != TerminalStatus.ACTIVE) {
                        return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-NOT-SET-UP",
                                "Terminal " + serialNumber + " is " + terminal.status
                                        + (terminal.setUp ? "" : " and not set up") + "; set it up first");
                    }
                    Money limit = acquirer.world().testTransactionLimit();
                    if (!amount.currency().equals(limit.currency()) || amount.minorUnits() <= 0
                            || amount.minorUnits() > limit.minorUnits()) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-TEST-AMOUNT",
                                "A test transaction is positive and at most " + limit + ", was " + amount);
                    }
                    OperationOutcome outcome = acquirer.done(record, "SBX-TXN");
                    String reference = record.providerReference.orElseThrow();
                    acquirer.world().putTestTransaction(
                            new SandboxTestTransaction(reference, serialNumber, amount, acquirer.now(), false));
                    return outcome;
                });
    }

    @Override
    public OperationOutcome voidTestTransaction(OperationContext context, String serialNumber,
            String transactionReference) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(transactionReference, "transactionReference");
        return acquirer.execute(context, OperationKind.VOID_TEST_TRANSACTION,
                List.of(serialNumber, transactionReference), () -> acquirer.world().merchantsOf(serialNumber), record -> {
                    Optional<SandboxTestTransaction> found = acquirer.world().testTransaction(transactionReference)
                            .filter(transaction -> transaction.serialNumber().equals(serialNumber));
                    if (found.isEmpty()) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-TXN-NOT-FOUND",
                                "No test transaction " + transactionReference + " ran on terminal " + serialNumber);
                    }
                    if (found.get().voided()) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-TXN-ALREADY-VOIDED",
                                "Test transaction " + transactionReference + " is already voided");
                    }
                    acquirer.world().putTestTransaction(found.get().markVoided());
                    return acquirer.done(record, "SBX-VOID");
                });
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return acquirer.lookup(reference);
    }
}
