package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;
import static io.posunbind.testkit.sandbox.SandboxAnswers.terminalNotFound;

import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's terminal-management backend, with PAXSTORE-like guards: only an active terminal can be
 * disabled, an active terminal cannot be unbound, peripherals go before their terminal, and only an
 * unbound terminal can be decommissioned. Thread-safe through the backend's lock.
 */
final class SandboxDeviceAdapter implements DeviceUnbindAdapter {

    /** The adapter note's prefix: the terminal's status before the operation. */
    static final String STATUS_BEFORE = "statusBefore=";

    private final SandboxBackend backend;
    private final AdapterGateway acquirer;

    SandboxDeviceAdapter(SandboxBackend backend) {
        this.backend = backend;
        this.acquirer = backend.gateway();
    }

    @Override
    public Terminal readTerminal(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return acquirer.read("readTerminal", () -> requireTerminal(serialNumber).snapshot());
    }

    @Override
    public TerminalDataExport exportTerminalData(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return acquirer.read("exportTerminalData", () -> {
            TerminalState terminal = requireTerminal(serialNumber);
            return new TerminalDataExport(serialNumber, terminal.usageRecords, terminal.settings);
        });
    }

    @Override
    public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(peripheral, "peripheral");
        return acquirer.execute(context, OperationKind.UNBIND_PERIPHERAL, List.of(serialNumber, peripheral),
                () -> acquirer.world().merchantsOf(serialNumber), record -> {
                    Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
                    if (found.isEmpty()) {
                        return terminalNotFound(serialNumber);
                    }
                    TerminalState terminal = found.get();
                    if (terminal.status == TerminalStatus.DECOMMISSIONED) {
                        return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-DECOMMISSIONED",
                                "Terminal " + serialNumber + " is decommissioned; nothing is bound to it any more");
                    }
                    if (!peripheral.equals(terminal.peripheralsById.get(peripheral.id()))) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-PERIPHERAL-NOT-BOUND",
                                "Peripheral " + peripheral.id() + " (" + peripheral.kind() + " "
                                        + peripheral.serialNumber() + ") is not bound to terminal " + serialNumber);
                    }
                    terminal.peripheralsById.remove(peripheral.id());
                    return acquirer.done(record, "SBX-PRL");
                });
    }

    @Override
    public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return acquirer.execute(context, OperationKind.DISABLE_TERMINAL, List.of(serialNumber),
                () -> acquirer.world().merchantsOf(serialNumber), record -> {
            Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
            if (found.isEmpty()) {
                return terminalNotFound(serialNumber);
            }
            TerminalState terminal = found.get();
            if (terminal.status != TerminalStatus.ACTIVE) {
                return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-NOT-ACTIVE",
                        "Only an active terminal can be disabled; terminal " + serialNumber + " is "
                                + terminal.status);
            }
            terminal.status = TerminalStatus.DISABLED;
            return acquirer.done(record, "SBX-DIS");
        });
    }

    @Override
    public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return acquirer.execute(context, OperationKind.UNBIND_TERMINAL, List.of(serialNumber),
                () -> acquirer.world().merchantsOf(serialNumber), record -> {
            Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
            if (found.isEmpty()) {
                return terminalNotFound(serialNumber);
            }
            TerminalState terminal = found.get();
            if (terminal.status == TerminalStatus.ACTIVE) {
                return rejected(StandardErrorCode.TERMINAL_ACTIVE, "SBX-TERMINAL-ACTIVE",
                        "Terminal " + serialNumber + " is active; disable it before unbinding it");
            }
            if (terminal.status != TerminalStatus.DISABLED) {
                return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-NOT-BOUND",
                        "Terminal " + serialNumber + " is " + terminal.status + ", not bound to a merchant");
            }
            if (!terminal.peripheralsById.isEmpty()) {
                return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-PERIPHERALS-BOUND",
                        "Terminal " + serialNumber + " still has peripherals " + terminal.peripheralsById.keySet()
                                + "; unbind them first");
            }
            WorldState world = acquirer.world();
            for (String merchantNumber : terminal.boundMerchantNumbers) {
                Optional<MerchantState> merchant = world.merchantState(merchantNumber);
                if (merchant.isPresent() && !world.unsettledFundsOf(merchant.get(), serialNumber).settled()) {
                    // Retryable code: not remembered under the key, so the same request succeeds after settlement.
                    return rejected(StandardErrorCode.FUNDS_UNSETTLED, "SBX-FUNDS-UNSETTLED",
                            "Terminal " + serialNumber + " has unsettled funds or transactions in flight for merchant "
                                    + merchantNumber + "; wait for settlement");
                }
            }
            terminal.status = TerminalStatus.UNBOUND;
            terminal.boundMerchantNumbers.clear();
            terminal.storeId = Optional.empty();
            return acquirer.done(record, "SBX-UNB");
        });
    }

    @Override
    public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return acquirer.execute(context, OperationKind.DECOMMISSION_TERMINAL, List.of(serialNumber),
                () -> acquirer.world().merchantsOf(serialNumber), record -> {
            Optional<TerminalState> found = acquirer.world().terminalState(serialNumber);
            if (found.isEmpty()) {
                return terminalNotFound(serialNumber);
            }
            TerminalState terminal = found.get();
            if (terminal.status == TerminalStatus.ACTIVE) {
                return rejected(StandardErrorCode.TERMINAL_ACTIVE, "SBX-TERMINAL-ACTIVE",
                        "Terminal " + serialNumber + " is active; disable and unbind it before decommissioning");
            }
            if (terminal.status != TerminalStatus.UNBOUND) {
                return rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "SBX-TERMINAL-NOT-UNBOUND",
                        "Only an unbound terminal can be decommissioned; terminal " + serialNumber + " is "
                                + terminal.status);
            }
            terminal.status = TerminalStatus.DECOMMISSIONED;
            return acquirer.done(record, "SBX-DEC");
        });
    }

    /**
     * Notes the terminal's status before a disable, unbind or decommission, so that a lookup can tell from
     * the terminal alone whether the change happened, as an adapter must at a provider that cannot be asked
     * about a key (Adyen's Management API is one).
     */
    @Override
    public Optional<String> prepare(SentOperation operation) {
        if (statusAfter(operation.kind()).isEmpty()) {
            return Optional.empty();
        }
        return operation.target().terminalSerial().flatMap(backend.terminals()::terminal)
                .map(terminal -> STATUS_BEFORE + terminal.status());
    }

    /**
     * The operation's outcome by its key; when the sandbox has no record of the key (it forgot its ledger,
     * as a provider does past its key retention), from the terminal and the note the engine persisted.
     */
    @Override
    public Optional<OperationOutcome> lookup(SentOperation operation) {
        Optional<OperationOutcome> known = acquirer.lookup(operation);
        return known.isPresent() ? known : fromTerminal(operation);
    }

    /** Done when the terminal moved from the noted status to the one the operation leads to. */
    private Optional<OperationOutcome> fromTerminal(SentOperation operation) {
        Optional<TerminalStatus> after = statusAfter(operation.kind());
        Optional<String> before = operation.adapterNote().filter(note -> note.startsWith(STATUS_BEFORE))
                .map(note -> note.substring(STATUS_BEFORE.length()));
        Optional<TerminalStatus> now = operation.target().terminalSerial().flatMap(backend.terminals()::terminal)
                .map(Terminal::status);
        if (after.isEmpty() || before.isEmpty() || now.isEmpty() || now.get() != after.get()
                || before.get().equals(after.get().name())) {
            return Optional.empty();
        }
        return Optional.of(OperationOutcome.done("SBX-FOUND-" + operation.idempotencyKey().compact(16)));
    }

    private static Optional<TerminalStatus> statusAfter(OperationKind kind) {
        return switch (kind) {
            case DISABLE_TERMINAL -> Optional.of(TerminalStatus.DISABLED);
            case UNBIND_TERMINAL -> Optional.of(TerminalStatus.UNBOUND);
            case DECOMMISSION_TERMINAL -> Optional.of(TerminalStatus.DECOMMISSIONED);
            default -> Optional.empty();
        };
    }

    private TerminalState requireTerminal(String serialNumber) {
        return acquirer.world().terminalState(serialNumber).orElseThrow(() -> new ProviderException(
                StandardErrorCode.TERMINAL_NOT_FOUND, "SBX-TERMINAL-NOT-FOUND",
                "Terminal " + serialNumber + " is unknown to the sandbox; check the serial number"));
    }
}
