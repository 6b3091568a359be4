package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.OutcomeTexts.joined;
import static io.posunbind.internal.engine.StepHandler.require;

import io.posunbind.BindingKind;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.internal.plan.PlannedStep;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.rules.InventoryRules;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.validation.TerminalSerialNumberValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link StepKind#TAKE_INVENTORY}: reads the terminal, its settlement account and merchant info, checks
 * them and the provider's limits, and plans one step per peripheral. Also the provider-side rules that
 * previews check. Thread-safe: it keeps no state.
 */
final class InventoryStep implements StepHandler {

    private final Clock clock;
    private final Duration pollInterval;
    private final Planner planner;
    private final InventoryRules inventoryRules = new InventoryRules();

    InventoryStep(Clock clock, Duration pollInterval, Planner planner) {
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.planner = planner;
    }

    @Override
    public StepResult run(CaseDocument document, StepRecord step, PaymentProvider provider, Checkpoint checkpoint) {
        return takeInventory(document, step, provider);
    }

    private StepResult takeInventory(CaseDocument document, StepRecord step, PaymentProvider provider) {
        UnbindRequest request = document.request;
        DeviceUnbindAdapter device = require(provider.deviceAdapter(), "device");
        // The SPI promises adapters a serial of their own shape: check it before anything is sent.
        List<RuleViolation> badSerials = serialShape(request, provider);
        if (!badSerials.isEmpty()) {
            document.violations = new ArrayList<>(badSerials);
            return new StepResult.Stop(CaseState.BLOCKED, badSerials.get(0).code(), joined(badSerials));
        }
        document.terminal = device.readTerminal(request.terminalSerial());
        if (document.terminal.status() == TerminalStatus.IN_TRANSITION) {
            // A reassignment is under way at the provider: whatever is read now is about to change, so
            // nothing is checked or changed until it settles. The inventory is taken again then.
            return new StepResult.Wait(WaitReason.PROVIDER_OPERATION, clock.instant().plus(pollInterval),
                    "terminal " + request.terminalSerial() + " is being moved at the provider; the inventory is"
                            + " taken again once it settles");
        }
        document.settlementAccount = provider.accountAdapter()
                .flatMap(adapter -> adapter.readSettlementAccount(request.merchantNumber())).orElse(null);
        document.merchantInfo = provider.merchantInfoAdapter()
                .flatMap(adapter -> adapter.readMerchantInfo(request.merchantNumber())).orElse(null);
        List<RuleViolation> violations = new ArrayList<>(inventoryRules.check(request, document.terminal,
                GateSteps.checklist(document, provider)));
        violations.addAll(providerLimits(request, provider, clock.instant()));
        violations.addAll(planner.checkMerchantInfoOperation(request, document.terminal, document.merchantInfo,
                provider.supportedOperations()));
        if (!violations.isEmpty()) {
            document.violations = new ArrayList<>(violations);
            return new StepResult.Stop(CaseState.BLOCKED, violations.get(0).code(), joined(violations));
        }
        if (!document.planExpanded) {
            expandPlan(document, provider);
        }
        return new StepResult.Done("terminal " + document.terminal.serialNumber() + " (" + document.terminal.model()
                + ", " + document.terminal.status() + ") with " + document.terminal.peripherals().size()
                + " peripheral(s); settlement account "
                + (document.settlementAccount == null ? "none" : document.settlementAccount.number().masked())
                + "; merchant info " + (document.merchantInfo == null ? "none" : document.merchantInfo.name()));
    }

    /**
     * The old and the replacement terminal's serials against the provider's shape; a provider that
     * publishes none gets the engine's default one, as the SPI promises. Reads nothing from the provider.
     */
    static List<RuleViolation> serialShape(UnbindRequest request, PaymentProvider provider) {
        List<RuleViolation> violations = new ArrayList<>();
        Pattern pattern = provider.terminalSerialPattern().orElse(TerminalSerialNumberValidator.defaultPattern());
        List<String> serials = new ArrayList<>(List.of(request.terminalSerial()));
        request.replacement().ifPresent(replacement -> serials.add(replacement.serialNumber()));
        for (String serial : serials) {
            if (!pattern.matcher(serial).matches()) {
                violations.add(RuleViolation.of(RuleCode.SERIAL_NUMBER_INVALID, "terminalSerial",
                        "Serial number " + serial + " does not have " + provider.id() + "'s shape "
                                + pattern.pattern()));
            }
        }
        return violations;
    }

    /**
     * Rules that need the provider's own data: its serial-number shape, its limit on account changes,
     * and that a transfer's receiving merchant exists. Used by the inventory and by previews.
     */
    List<RuleViolation> providerLimits(UnbindRequest request, PaymentProvider provider, Instant now) {
        List<RuleViolation> violations = new ArrayList<>(serialShape(request, provider));
        if (request.includes(BindingKind.ACCOUNT)) {
            provider.accountAdapter()
                    .flatMap(adapter -> adapter.accountChangeLimit(request.merchantNumber()))
                    .flatMap(limit -> limit.nextChangeAllowedAt())
                    .filter(now::isBefore)
                    .ifPresent(allowedAt -> violations.add(RuleViolation.of(RuleCode.ACCOUNT_CHANGE_TOO_SOON,
                            "scope.ACCOUNT", "The provider allows the next settlement-account change from "
                                    + allowedAt + "; open the case after that")));
        }
        request.transferTo().ifPresent(target -> {
            boolean known = provider.merchantInfoAdapter()
                    .flatMap(adapter -> adapter.readMerchantInfo(target.merchantNumber())).isPresent();
            if (!known) {
                violations.add(RuleViolation.of(RuleCode.TRANSFER_TARGET_UNKNOWN, "transferTo",
                        "Merchant " + target.merchantNumber() + " is unknown to " + provider.id()
                                + "; register it before transferring the terminal"));
            }
        });
        return violations;
    }

    /** Inserts one step per peripheral right before the terminal is disabled. */
    private void expandPlan(CaseDocument document, PaymentProvider provider) {
        document.planExpanded = true;
        if (!document.request.includes(BindingKind.DEVICE)) {
            return;
        }
        int at = 0;
        while (at < document.steps.size() && document.steps.get(at).kind != StepKind.DISABLE_TERMINAL) {
            at++;
        }
        List<StepRecord> added = new ArrayList<>();
        for (PlannedStep planned : planner.peripheralSteps(document.terminal, provider.supportedOperations())) {
            added.add(SkippedSteps.record(document, planned, clock.instant()));
        }
        document.steps.addAll(at, added);
    }
}
