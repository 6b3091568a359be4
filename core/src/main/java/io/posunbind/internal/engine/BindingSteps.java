package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.StepHandler.require;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.TransferTarget;
import io.posunbind.internal.plan.Planner;
import io.posunbind.rules.RuleCode;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.TerminalStatus;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The steps that undo (or, for a transfer, make) a binding at the provider: peripherals, disabling,
 * unbinding and decommissioning the terminal, the transfer to a new merchant, the settlement account and
 * the merchant info. Each is one provider operation through {@link ProviderOperations}. Thread-safe.
 */
final class BindingSteps {

    private final ProviderOperations operations;

    BindingSteps(ProviderOperations operations) {
        this.operations = operations;
    }

    /** Registers one handler per step kind this class carries out. */
    void register(StepHandlers.Registry registry) {
        registry.add(StepKind.UNBIND_PERIPHERAL, this::unbindPeripheral);
        registry.add(StepKind.DISABLE_TERMINAL, this::disableTerminal);
        registry.add(StepKind.UNBIND_TERMINAL, (document, step, provider, checkpoint) -> deviceOperation(document,
                step, provider, checkpoint, OperationKind.UNBIND_TERMINAL, Map.of(),
                DeviceUnbindAdapter::unbindTerminal));
        registry.add(StepKind.BIND_TO_NEW_MERCHANT, this::bindToNewMerchant);
        registry.add(StepKind.UNBIND_SETTLEMENT_ACCOUNT, this::unbindAccount);
        registry.add(StepKind.UNBIND_MERCHANT_INFO, this::unbindMerchantInfo);
        registry.add(StepKind.DECOMMISSION_TERMINAL, (document, step, provider, checkpoint) -> deviceOperation(
                document, step, provider, checkpoint, OperationKind.DECOMMISSION_TERMINAL, Map.of(),
                DeviceUnbindAdapter::decommissionTerminal));
    }

    private StepResult unbindPeripheral(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        Peripheral peripheral = document.terminal.peripherals().stream()
                .filter(candidate -> candidate.id().equals(step.target))
                .findFirst()
                .orElseThrow(() -> new PosUnbindException(CoreErrorCode.STORE_CORRUPT,
                        "Peripheral " + step.target + " is not in the inventory of case " + document.id));
        return deviceOperation(document, step, provider, checkpoint, OperationKind.UNBIND_PERIPHERAL,
                Map.of("peripheralId", peripheral.id()),
                (device, context, serial) -> device.unbindPeripheral(context, serial, peripheral));
    }

    private StepResult disableTerminal(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        if (document.terminal.status() == TerminalStatus.DISABLED && step.attempts == 0) {
            return new StepResult.Done("already disabled");
        }
        return deviceOperation(document, step, provider, checkpoint, OperationKind.DISABLE_TERMINAL, Map.of(),
                DeviceUnbindAdapter::disableTerminal);
    }

    private StepResult bindToNewMerchant(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        TransferTarget target = document.request.transferTo().orElseThrow(() -> new PosUnbindException(
                CoreErrorCode.STORE_CORRUPT, "Case " + document.id + " plans a transfer without a target"));
        TerminalTransferAdapter adapter = require(provider.transferAdapter(), "transfer");
        String serial = document.request.terminalSerial();
        // PBOC 259号: the terminal's mapping (merchant code, credit code, account, placement) changes; say so.
        String mapping = "PBOC 259 mapping change for " + serial + ": merchant " + document.request.merchantNumber()
                + " -> " + target.merchantNumber() + ", store " + document.terminal.storeId().orElse("-") + " -> "
                + target.storeId().orElse("-");
        Map<String, String> arguments = new HashMap<>(Map.of("toMerchant", target.merchantNumber()));
        target.storeId().ifPresent(store -> arguments.put("toStore", store));
        return operations.operate(document, step, provider, adapter, OperationKind.BIND_TERMINAL, checkpoint, false,
                OperationTarget.terminal(document.request.merchantNumber(), serial), arguments,
                context -> adapter.bindTerminal(context, serial, target.merchantNumber(), target.storeId()))
                .orDone(mapping);
    }

    private StepResult unbindAccount(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        SettlementAccount account = document.settlementAccount;
        if (account == null) {
            return new StepResult.Done("no settlement account was bound");
        }
        AccountUnbindAdapter adapter = require(provider.accountAdapter(), "account");
        String merchant = document.request.merchantNumber();
        return operations.operate(document, step, provider, adapter, OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
                checkpoint, false, OperationTarget.account(merchant, account.number()), Map.of(),
                context -> adapter.unbindSettlementAccount(context, merchant, account))
                .orDone("settlement account " + account.number().masked() + " unbound");
    }

    private StepResult unbindMerchantInfo(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        if (document.merchantInfo == null) {
            return new StepResult.Done("no merchant info was bound");
        }
        MerchantInfoAdapter adapter = require(provider.merchantInfoAdapter(), "merchant info");
        String merchant = document.request.merchantNumber();
        // The guard providers enforce: a merchant that keeps other active terminals is modified, not deleted.
        OperationKind needed = Planner.merchantInfoOperation(document.request, document.terminal,
                document.merchantInfo);
        boolean detach = needed == OperationKind.MODIFY_MERCHANT_INFO;
        if (!provider.supportedOperations().contains(needed)) {
            // Checked by the inventory already; a provider that stopped offering it since must not leave the
            // merchant info bound on a completed case.
            return new StepResult.Stop(CaseState.BLOCKED, RuleCode.BINDING_NOT_SUPPORTED.code(),
                    "The provider does not offer " + needed + ", which unbinding this merchant's info needs");
        }
        if (detach) {
            return operations.operate(document, step, provider, adapter, OperationKind.MODIFY_MERCHANT_INFO,
                    checkpoint, false,
                    OperationTarget.merchant(merchant), Map.of("detachTerminal", document.request.terminalSerial()),
                    context -> adapter.detachTerminal(context, merchant, document.request.terminalSerial()))
                    .orDone("terminal detached from merchant info; the merchant stays");
        }
        return operations.operate(document, step, provider, adapter, OperationKind.DELETE_MERCHANT_INFO, checkpoint,
                false, OperationTarget.merchant(merchant), Map.of(),
                context -> adapter.deleteMerchantInfo(context, merchant))
                .orDone("merchant info deleted");
    }

    @FunctionalInterface
    private interface DeviceCall {
        OperationOutcome call(DeviceUnbindAdapter device, OperationContext context, String serial);
    }

    private StepResult deviceOperation(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint, OperationKind kind, Map<String, String> arguments, DeviceCall call) {
        DeviceUnbindAdapter device = require(provider.deviceAdapter(), "device");
        String serial = document.request.terminalSerial();
        return operations.operate(document, step, provider, device, kind, checkpoint, false,
                OperationTarget.terminal(document.request.merchantNumber(), serial), arguments,
                context -> call.call(device, context, serial))
                .orDone(kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " done");
    }
}
