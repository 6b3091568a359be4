package io.posunbind.provider.adyen.internal;

import com.adyen.model.management.TerminalAssignment;
import com.adyen.model.management.TerminalReassignmentRequest;
import com.adyen.service.exception.ApiException;
import io.posunbind.provider.adyen.internal.AdyenSettings.ReassignTarget;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.LocalizedText;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Device binding on the Adyen Management API. Unbinding a terminal is reassigning it to the merchant
 * account's inventory (or the company's): {@code POST /terminals/{terminalId}/reassign}, answered with an
 * empty 200. A boarded terminal then shows {@code reassignmentInProgress} until it synchronises with Adyen,
 * so the answer is {@link OperationOutcome.Pending} under the terminal's id until the assignment reads
 * {@code inventory}; the {@code terminalAssignment.completed} webhook or a lookup finishes it.
 *
 * <p>The Management API cannot disable or decommission a terminal apart from reassigning it, and lists no
 * peripherals: those operations answer {@link OperationOutcome.NotApplicable}, and the provider leaves them
 * out of its supported operations. Thread-safe.
 */
final class AdyenDeviceAdapter implements DeviceUnbindAdapter {

    static final String NO_SUCH_SERIAL = "NO-TERMINAL-WITH-SERIAL";

    private static final LocalizedText SYNCHRONISATION_NOTE = LocalizedText.of(
            "Adyen removes the terminal's configuration when it next connects: keep it switched on and online until"
                    + " its assignment shows inventory.",
            "Adyen 将在终端下次联网时移除其配置：请保持终端开机联网，直到其分配状态显示为库存。");

    private final ManagementApi api;
    private final AdyenSettings settings;

    AdyenDeviceAdapter(ManagementApi api, AdyenSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    @Override
    public Terminal readTerminal(String serialNumber) {
        var terminal = api.terminal(serialNumber, "Reading terminal " + serialNumber);
        return TerminalView.toSpi(serialNumber, terminal.getModel(), terminal.getAssignment());
    }

    /**
     * The terminal's settings ({@code GET /terminals/{terminalId}/terminalSettings}) and what Adyen reports of the
     * terminal itself, credentials left out. No usage records: the Management API keeps no transactions (they
     * are in Adyen's reports). No logo: it is the merchant's own image, not terminal data.
     */
    @Override
    public TerminalDataExport exportTerminalData(String serialNumber) {
        String what = "Exporting the settings of terminal " + serialNumber;
        var terminal = api.terminal(serialNumber, what);
        Map<String, String> exported = new TreeMap<>();
        try {
            SettingsExport.flatten("terminal", terminal.toJson(), exported);
            SettingsExport.flatten("terminalSettings", api.settingsOf(terminal.getId()).toJson(), exported);
        } catch (ApiException e) {
            throw AdyenError.of(e).exception(what);
        } catch (IOException e) {
            throw AdyenError.unreachable(what, e);
        }
        return new TerminalDataExport(serialNumber, List.of(), exported);
    }

    @Override
    public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
        return OperationOutcome.notApplicable("Adyen's Management API keeps no peripherals apart from the terminal");
    }

    @Override
    public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
        return OperationOutcome.notApplicable("Adyen's Management API cannot disable a terminal; reassigning it to the"
                + " inventory stops it from transacting");
    }

    @Override
    public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
        return OperationOutcome.notApplicable("Adyen's Management API cannot decommission a terminal; it stays in the"
                + " inventory it was reassigned to");
    }

    /** Reassigns the terminal to the configured inventory under the engine's idempotency key. */
    @Override
    public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
        String merchant = context.merchantNumber();
        Optional<AssignmentNote> note = context.operation().adapterNote().flatMap(AssignmentNote::parse);
        String terminalId;
        if (note.isPresent()) {
            terminalId = note.get().terminalId();
        } else {
            // Nothing sent yet: a failed read is a failure to retry, never an unknown outcome.
            try {
                Optional<String> found = api.terminalBySerial(serialNumber).map(terminal -> terminal.getId());
                if (found.isEmpty()) {
                    return OperationOutcome.rejected(StandardErrorCode.TERMINAL_NOT_FOUND, NO_SUCH_SERIAL,
                            "Adyen has no terminal with serial " + serialNumber);
                }
                terminalId = found.get();
            } catch (ApiException e) {
                AdyenError error = AdyenError.of(e);
                return error.status() >= 500 ? OperationOutcome.retryable(error.providerCode(), error.message())
                        : error.outcome();
            } catch (IOException e) {
                return OperationOutcome.retryable("NO-ANSWER", "Adyen could not be read before the reassignment ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            api.reassign(terminalId, reassignment(merchant), context.idempotencyKey().value(), context.timeBudget());
        } catch (ApiException e) {
            return AdyenError.of(e).outcome();
        } catch (IOException e) {
            return AdyenError.unanswered(e, context.timeBudget().compareTo(api.readTimeout()) < 0
                    ? context.timeBudget() : api.readTimeout());
        }
        return afterAccepted(terminalId, serialNumber, merchant);
    }

    /** Asks Adyen where the terminal is: in the target inventory, on its way there, or not moved. */
    @Override
    public Optional<OperationOutcome> lookup(SentOperation operation) {
        if (operation.kind() != OperationKind.UNBIND_TERMINAL || operation.target().terminalSerial().isEmpty()) {
            return Optional.empty(); // the only operation this adapter ever sends
        }
        String serial = operation.target().terminalSerial().get();
        var terminal = api.terminal(serial, "Looking up the reassignment of terminal " + serial);
        return whereItIs(terminal.getId(), terminal.getAssignment(), operation.target().merchantNumber());
    }

    /** Notes the terminal's id and its assignment before the reassignment is first sent. */
    @Override
    public Optional<String> prepare(SentOperation operation) {
        if (operation.kind() != OperationKind.UNBIND_TERMINAL || operation.target().terminalSerial().isEmpty()) {
            return Optional.empty();
        }
        String serial = operation.target().terminalSerial().get();
        return Optional.of(AssignmentNote.of(api.terminal(serial, "Reading terminal " + serial
                + " before its reassignment")).text());
    }

    private OperationOutcome afterAccepted(String terminalId, String serialNumber, String merchant) {
        try {
            var terminal = api.terminalBySerial(serialNumber);
            if (terminal.isPresent()) {
                Optional<OperationOutcome> now = whereItIs(terminalId, terminal.get().getAssignment(), merchant);
                if (now.isPresent()) {
                    return now.get();
                }
            }
        } catch (ApiException | IOException e) {
            // Adyen accepted the reassignment; where the terminal is now is for the next lookup to say.
        }
        return pending(terminalId);
    }

    private Optional<OperationOutcome> whereItIs(String terminalId, TerminalAssignment assignment, String merchant) {
        if (TerminalView.inTargetInventory(assignment, settings.target(), merchant, settings.companyId())) {
            return Optional.of(new OperationOutcome.Done(terminalId, Map.of("assignment", "inventory")));
        }
        if (TerminalView.movingToTargetInventory(assignment, settings.target(), merchant, settings.companyId())) {
            return Optional.of(pending(terminalId));
        }
        return Optional.empty();
    }

    private OperationOutcome.Pending pending(String terminalId) {
        return OperationOutcome.pending(terminalId, settings.pollAfter()).withOperatorNote(SYNCHRONISATION_NOTE);
    }

    private TerminalReassignmentRequest reassignment(String merchantNumber) {
        return settings.target() == ReassignTarget.MERCHANT_INVENTORY
                ? new TerminalReassignmentRequest().merchantId(merchantNumber).inventory(true)
                : new TerminalReassignmentRequest().companyId(settings.companyId().orElseThrow());
    }

    @Override
    public String toString() {
        return "AdyenDeviceAdapter[" + settings.baseUri() + ", reassign to " + settings.target() + "]";
    }
}
