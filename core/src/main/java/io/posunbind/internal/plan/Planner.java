package io.posunbind.internal.plan;

import io.posunbind.BindingKind;
import io.posunbind.StepKind;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a request and a provider's capabilities into an ordered plan of steps.
 *
 * <p>The order is the merchant's process and is chosen so that providers' state guards pass:
 * everything that reads or asks (inventory, documents, backup, fees, approval, settlement) comes before
 * anything that changes; peripherals before their terminal; disable before unbind; the terminal before
 * the account and the merchant info (a merchant with a bound terminal cannot be deleted); decommission
 * last; the replacement is set up, updated and tested before the case completes, or, with
 * make-before-break, before anything is cut off. A transfer binds the terminal to its new merchant
 * right after unbinding it from the old one, and keeps it in service instead of decommissioning it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Planner {

    /**
     * What the provider lacks for this request; empty when the request can be planned.
     */
    public List<RuleViolation> checkCapabilities(UnbindRequest request, Set<ProviderCapability> capabilities) {
        List<RuleViolation> problems = new ArrayList<>();
        requireCapability(problems, request.includes(BindingKind.DEVICE), capabilities,
                ProviderCapability.DEVICE_UNBIND, "scope.DEVICE");
        requireCapability(problems, request.includes(BindingKind.ACCOUNT), capabilities,
                ProviderCapability.ACCOUNT_UNBIND, "scope.ACCOUNT");
        requireCapability(problems, request.includes(BindingKind.MERCHANT_INFO), capabilities,
                ProviderCapability.MERCHANT_INFO_UNBIND, "scope.MERCHANT_INFO");
        requireCapability(problems, request.replacement().isPresent(), capabilities,
                ProviderCapability.TERMINAL_SETUP, "replacement");
        requireCapability(problems, request.transfers(), capabilities, ProviderCapability.TERMINAL_TRANSFER,
                "transferTo");
        // The inventory reads the terminal; without device support we cannot know what is bound.
        requireCapability(problems, true, capabilities, ProviderCapability.DEVICE_UNBIND, "inventory");
        if (request.makeBeforeBreak() && request.includes(BindingKind.ACCOUNT)
                && request.replacement().flatMap(r -> r.settlementAccount()).isPresent()) {
            problems.add(RuleViolation.of(RuleCode.MAKE_BEFORE_BREAK_ACCOUNT_CONFLICT, "makeBeforeBreak",
                    "With make-before-break the new terminal is set up while the old account is still bound;"
                            + " keep the current account for the replacement, or drop make-before-break"));
        }
        return problems.stream().distinct().toList();
    }

    private static void requireCapability(List<RuleViolation> problems, boolean needed,
            Set<ProviderCapability> capabilities, ProviderCapability capability, String field) {
        if (needed && !capabilities.contains(capability)) {
            problems.add(RuleViolation.of(RuleCode.BINDING_NOT_SUPPORTED, field,
                    "The provider does not declare " + capability + ", which " + field + " needs"));
        }
    }

    /**
     * The plan before the inventory is known. Peripheral steps are added by
     * {@link #peripheralSteps(Terminal)} once the inventory has listed them.
     */
    public List<PlannedStep> initialPlan(UnbindRequest request, Set<ProviderCapability> capabilities) {
        return initialPlan(request, capabilities, false);
    }

    /**
     * The plan before the inventory is known, with the platform's own review (four eyes) after the
     * documents when {@code internalReview} is set.
     */
    public List<PlannedStep> initialPlan(UnbindRequest request, Set<ProviderCapability> capabilities,
            boolean internalReview) {
        List<PlannedStep> plan = new ArrayList<>();
        plan.add(PlannedStep.of(StepKind.TAKE_INVENTORY));
        plan.add(PlannedStep.of(StepKind.CHECK_DOCUMENTS));
        if (internalReview) {
            plan.add(PlannedStep.of(StepKind.INTERNAL_REVIEW));
        }
        plan.add(PlannedStep.of(StepKind.BACK_UP_TERMINAL_DATA));
        if (capabilities.contains(ProviderCapability.FEE_QUOTE)) {
            plan.add(PlannedStep.of(StepKind.AGREE_FEES));
        }
        plan.add(PlannedStep.of(StepKind.OBTAIN_INSTITUTION_APPROVAL));
        if (capabilities.contains(ProviderCapability.ACCOUNT_UNBIND)) {
            plan.add(PlannedStep.of(StepKind.AWAIT_SETTLEMENT));
        }
        if (request.makeBeforeBreak()) {
            addReplacementSteps(plan);
        }
        if (request.includes(BindingKind.DEVICE)) {
            plan.add(PlannedStep.of(StepKind.DISABLE_TERMINAL));
            plan.add(PlannedStep.of(StepKind.UNBIND_TERMINAL));
        }
        if (request.transfers()) {
            // Bound to the new merchant only once unbound from the old: never to two at once (一机多户).
            plan.add(PlannedStep.of(StepKind.BIND_TO_NEW_MERCHANT));
        }
        if (request.includes(BindingKind.ACCOUNT)) {
            plan.add(PlannedStep.of(StepKind.UNBIND_SETTLEMENT_ACCOUNT));
        }
        if (request.includes(BindingKind.MERCHANT_INFO)) {
            plan.add(PlannedStep.of(StepKind.UNBIND_MERCHANT_INFO));
        }
        if (request.includes(BindingKind.DEVICE) && !request.transfers()) {
            plan.add(PlannedStep.of(StepKind.DECOMMISSION_TERMINAL));
        }
        if (request.replacement().isPresent() && !request.makeBeforeBreak()) {
            addReplacementSteps(plan);
        }
        plan.add(PlannedStep.of(StepKind.VERIFY_COMPLETION));
        return List.copyOf(plan);
    }

    private static void addReplacementSteps(List<PlannedStep> plan) {
        plan.add(PlannedStep.of(StepKind.SET_UP_REPLACEMENT));
        plan.add(PlannedStep.of(StepKind.UPDATE_REPLACEMENT_SOFTWARE));
        plan.add(PlannedStep.of(StepKind.RUN_TEST_TRANSACTION));
        plan.add(PlannedStep.of(StepKind.VOID_TEST_TRANSACTION));
    }

    /**
     * The peripheral steps to insert right before {@link StepKind#DISABLE_TERMINAL}, one per peripheral,
     * in the provider's order.
     */
    public List<PlannedStep> peripheralSteps(Terminal terminal) {
        return terminal.peripherals().stream()
                .map(Peripheral::id)
                .map(id -> new PlannedStep(StepKind.UNBIND_PERIPHERAL, id))
                .toList();
    }
}
