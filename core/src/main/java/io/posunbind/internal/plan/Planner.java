package io.posunbind.internal.plan;

import io.posunbind.BindingKind;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import java.util.ArrayList;
import java.util.EnumSet;
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
 * <p>Only what the provider offers is carried out: a step whose operation the provider leaves out of
 * its supported operations (disable, decommission, peripherals, the replacement's software update) and
 * the approval of a provider that needs none stay in the plan as skipped, with the reason, so previews
 * and the history show them. The operation that undoes a binding in scope cannot be left out.
 *
 * <p>Stateless and thread-safe.
 */
public final class Planner {

    /**
     * The operations a case may go without: the steps that carry them out are skipped, with the reason,
     * when the provider does not offer them or answers them as not applicable. Every other operation
     * undoes a binding, binds, sets up or tests, and is never skipped: the planner refuses a case whose
     * provider lacks one, and the engine stops a case whose provider answers one as not applicable.
     */
    public static final Set<OperationKind> SKIPPABLE_OPERATIONS = Set.copyOf(EnumSet.of(
            OperationKind.UNBIND_PERIPHERAL, OperationKind.DISABLE_TERMINAL, OperationKind.DECOMMISSION_TERMINAL,
            OperationKind.UPDATE_TERMINAL_SOFTWARE));

    /** Whether a step carrying out the operation may be skipped (see {@link #SKIPPABLE_OPERATIONS}). */
    public static boolean skippable(OperationKind operation) {
        return SKIPPABLE_OPERATIONS.contains(operation);
    }

    /**
     * What the provider lacks for this request; empty when the request can be planned.
     */
    public List<RuleViolation> checkCapabilities(UnbindRequest request, Set<ProviderCapability> capabilities) {
        return checkCapabilities(request, capabilities, operationsOf(capabilities), approvalOf(capabilities));
    }

    /**
     * What the provider lacks for this request, given the operations it offers and where approval
     * happens; empty when the request can be planned.
     */
    public List<RuleViolation> checkCapabilities(UnbindRequest request, Set<ProviderCapability> capabilities,
            Set<OperationKind> operations, InstitutionApproval approval) {
        List<RuleViolation> problems = new ArrayList<>();
        // The operations that undo what the case asks for: without them the case could only pretend.
        requireOperation(problems, request.includes(BindingKind.DEVICE), capabilities, ProviderCapability.DEVICE_UNBIND,
                operations, "scope.DEVICE", OperationKind.UNBIND_TERMINAL);
        requireOperation(problems, request.includes(BindingKind.ACCOUNT), capabilities,
                ProviderCapability.ACCOUNT_UNBIND, operations, "scope.ACCOUNT", OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        // A merchant that keeps a replacement stays: its merchant info is modified. Otherwise whether it is
        // modified or deleted depends on the merchant's other terminals, which the inventory reads; there
        // the operation actually needed is checked again (see checkMerchantInfoOperation).
        if (request.replacement().isPresent()) {
            requireOperation(problems, request.includes(BindingKind.MERCHANT_INFO), capabilities,
                    ProviderCapability.MERCHANT_INFO_UNBIND, operations, "scope.MERCHANT_INFO",
                    OperationKind.MODIFY_MERCHANT_INFO);
        } else {
            requireOperation(problems, request.includes(BindingKind.MERCHANT_INFO), capabilities,
                    ProviderCapability.MERCHANT_INFO_UNBIND, operations, "scope.MERCHANT_INFO",
                    OperationKind.MODIFY_MERCHANT_INFO, OperationKind.DELETE_MERCHANT_INFO);
        }
        // A replacement is tested before the case completes; its software update may be left out.
        requireOperation(problems, request.replacement().isPresent(), capabilities, ProviderCapability.TERMINAL_SETUP,
                operations, "replacement", OperationKind.SET_UP_TERMINAL);
        requireOperation(problems, request.replacement().isPresent(), capabilities, ProviderCapability.TERMINAL_SETUP,
                operations, "replacement", OperationKind.RUN_TEST_TRANSACTION);
        requireOperation(problems, request.replacement().isPresent(), capabilities, ProviderCapability.TERMINAL_SETUP,
                operations, "replacement", OperationKind.VOID_TEST_TRANSACTION);
        requireOperation(problems, request.transfers(), capabilities, ProviderCapability.TERMINAL_TRANSFER,
                operations, "transferTo", OperationKind.BIND_TERMINAL);
        if (approval == InstitutionApproval.BY_ADAPTER
                && !capabilities.contains(ProviderCapability.INSTITUTION_APPLICATION)) {
            problems.add(RuleViolation.of(RuleCode.BINDING_NOT_SUPPORTED, "institutionApproval",
                    "The provider declares that it submits applications itself but has no application adapter"));
        }
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

    /**
     * The operation that unbinds the merchant info: a merchant that stays (it keeps other active terminals,
     * or a replacement takes this one's place) has the terminal detached from its merchant info
     * ({@link OperationKind#MODIFY_MERCHANT_INFO}); only a merchant that leaves altogether has it deleted
     * ({@link OperationKind#DELETE_MERCHANT_INFO}), as providers' guards demand.
     */
    public static OperationKind merchantInfoOperation(UnbindRequest request, Terminal terminal,
            MerchantInfo merchantInfo) {
        boolean terminalWasActive = terminal.status() == TerminalStatus.ACTIVE;
        int othersActive = merchantInfo.activeTerminalCount() - (terminalWasActive ? 1 : 0);
        return othersActive > 0 || request.replacement().isPresent() ? OperationKind.MODIFY_MERCHANT_INFO
                : OperationKind.DELETE_MERCHANT_INFO;
    }

    /**
     * Once the inventory is known: whether the provider offers the merchant-info operation this case
     * needs; empty when it does, or when the case has no merchant info to unbind.
     */
    public List<RuleViolation> checkMerchantInfoOperation(UnbindRequest request, Terminal terminal,
            MerchantInfo merchantInfo, Set<OperationKind> operations) {
        if (!request.includes(BindingKind.MERCHANT_INFO) || terminal == null || merchantInfo == null) {
            return List.of();
        }
        OperationKind needed = merchantInfoOperation(request, terminal, merchantInfo);
        if (operations.contains(needed)) {
            return List.of();
        }
        return List.of(RuleViolation.of(RuleCode.BINDING_NOT_SUPPORTED, "scope.MERCHANT_INFO",
                "The provider does not offer " + needed + ", which unbinding this merchant's info needs ("
                        + (needed == OperationKind.DELETE_MERCHANT_INFO ? "the merchant leaves altogether"
                                : "the merchant stays") + ")"));
    }

    /** One of the operations is needed, unless the capability is missing altogether (reported already). */
    private static void requireOperation(List<RuleViolation> problems, boolean needed,
            Set<ProviderCapability> capabilities, ProviderCapability capability, Set<OperationKind> operations,
            String field, OperationKind... anyOf) {
        if (!needed || !capabilities.contains(capability)) {
            return;
        }
        for (OperationKind kind : anyOf) {
            if (operations.contains(kind)) {
                return;
            }
        }
        problems.add(RuleViolation.of(RuleCode.BINDING_NOT_SUPPORTED, field,
                "The provider does not offer " + List.of(anyOf) + ", which " + field + " needs"));
    }

    /** Every operation of the capabilities: what a provider offers unless it says otherwise. */
    private static Set<OperationKind> operationsOf(Set<ProviderCapability> capabilities) {
        Set<OperationKind> operations = EnumSet.noneOf(OperationKind.class);
        capabilities.forEach(capability -> operations.addAll(capability.operations()));
        return operations;
    }

    private static InstitutionApproval approvalOf(Set<ProviderCapability> capabilities) {
        return capabilities.contains(ProviderCapability.INSTITUTION_APPLICATION) ? InstitutionApproval.BY_ADAPTER
                : InstitutionApproval.ELSEWHERE;
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
        return initialPlan(request, capabilities, operationsOf(capabilities), approvalOf(capabilities), internalReview);
    }

    /**
     * The plan before the inventory is known, for a provider offering these operations, with approval
     * where it declares; steps it does not offer are in the plan as skipped.
     */
    public List<PlannedStep> initialPlan(UnbindRequest request, Set<ProviderCapability> capabilities,
            Set<OperationKind> operations, InstitutionApproval approval, boolean internalReview) {
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
        plan.add(approval == InstitutionApproval.NOT_NEEDED
                ? PlannedStep.skipped(StepKind.OBTAIN_INSTITUTION_APPROVAL, "", CoreErrorCode.APPROVAL_NOT_NEEDED,
                        "the provider declares that no institution approves its unbinds")
                : PlannedStep.of(StepKind.OBTAIN_INSTITUTION_APPROVAL));
        if (capabilities.contains(ProviderCapability.ACCOUNT_UNBIND)) {
            plan.add(PlannedStep.of(StepKind.AWAIT_SETTLEMENT));
        }
        if (request.makeBeforeBreak()) {
            addReplacementSteps(plan, operations);
        }
        if (request.includes(BindingKind.DEVICE)) {
            plan.add(offered(StepKind.DISABLE_TERMINAL, "", OperationKind.DISABLE_TERMINAL, operations));
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
            plan.add(offered(StepKind.DECOMMISSION_TERMINAL, "", OperationKind.DECOMMISSION_TERMINAL, operations));
        }
        if (request.replacement().isPresent() && !request.makeBeforeBreak()) {
            addReplacementSteps(plan, operations);
        }
        plan.add(PlannedStep.of(StepKind.VERIFY_COMPLETION));
        return List.copyOf(plan);
    }

    private static void addReplacementSteps(List<PlannedStep> plan, Set<OperationKind> operations) {
        plan.add(PlannedStep.of(StepKind.SET_UP_REPLACEMENT));
        plan.add(offered(StepKind.UPDATE_REPLACEMENT_SOFTWARE, "", OperationKind.UPDATE_TERMINAL_SOFTWARE,
                operations));
        plan.add(PlannedStep.of(StepKind.RUN_TEST_TRANSACTION));
        plan.add(PlannedStep.of(StepKind.VOID_TEST_TRANSACTION));
    }

    /**
     * The peripheral steps to insert right before {@link StepKind#DISABLE_TERMINAL}, one per peripheral,
     * in the provider's order.
     */
    public List<PlannedStep> peripheralSteps(Terminal terminal) {
        return peripheralSteps(terminal, EnumSet.allOf(OperationKind.class));
    }

    /** Like {@link #peripheralSteps(Terminal)}, skipped when the provider does not unbind peripherals. */
    public List<PlannedStep> peripheralSteps(Terminal terminal, Set<OperationKind> operations) {
        return terminal.peripherals().stream()
                .map(Peripheral::id)
                .map(id -> offered(StepKind.UNBIND_PERIPHERAL, id, OperationKind.UNBIND_PERIPHERAL, operations))
                .toList();
    }

    /** The step, carried out when the provider offers its operation, otherwise skipped with the reason. */
    private static PlannedStep offered(StepKind step, String target, OperationKind operation,
            Set<OperationKind> operations) {
        if (!skippable(operation)) {
            throw new IllegalArgumentException(operation + " is not skippable");
        }
        return operations.contains(operation) ? new PlannedStep(step, target)
                : PlannedStep.skipped(step, target, CoreErrorCode.OPERATION_NOT_OFFERED,
                        "the provider does not offer " + operation);
    }
}
