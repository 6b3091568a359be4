package io.posunbind.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CoreErrorCode;
import io.posunbind.ReplacementTerminal;
import io.posunbind.StepKind;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final Planner planner = new Planner();
    private static final Set<ProviderCapability> EVERYTHING = EnumSet.allOf(ProviderCapability.class);

    private static UnbindRequest.Builder request() {
        return UnbindRequest.builder().provider("p").merchantNumber("M1").terminalSerial("SN1")
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE).requestedBy(Actor.operator("op"));
    }

    private static List<StepKind> kinds(List<PlannedStep> plan) {
        return plan.stream().map(PlannedStep::kind).toList();
    }

    @Test
    void fullScopeWithReplacementFollowsTheMerchantsOrder() {
        List<PlannedStep> plan = planner.initialPlan(
                request().allBindings().replacement(ReplacementTerminal.of("NEW1", "A920")).build(), EVERYTHING);

        assertEquals(List.of(StepKind.TAKE_INVENTORY, StepKind.CHECK_DOCUMENTS, StepKind.BACK_UP_TERMINAL_DATA,
                StepKind.AGREE_FEES, StepKind.OBTAIN_INSTITUTION_APPROVAL, StepKind.AWAIT_SETTLEMENT,
                StepKind.DISABLE_TERMINAL, StepKind.UNBIND_TERMINAL, StepKind.UNBIND_SETTLEMENT_ACCOUNT,
                StepKind.UNBIND_MERCHANT_INFO, StepKind.DECOMMISSION_TERMINAL, StepKind.SET_UP_REPLACEMENT,
                StepKind.UPDATE_REPLACEMENT_SOFTWARE, StepKind.RUN_TEST_TRANSACTION, StepKind.VOID_TEST_TRANSACTION,
                StepKind.VERIFY_COMPLETION), kinds(plan));
    }

    @Test
    void everythingThatChangesComesAfterEverythingThatAsks() {
        List<StepKind> plan = kinds(planner.initialPlan(request().allBindings().build(), EVERYTHING));
        int lastCheck = plan.indexOf(StepKind.AWAIT_SETTLEMENT);
        int firstChange = plan.indexOf(StepKind.DISABLE_TERMINAL);
        assertTrue(lastCheck < firstChange);
        // Disable before unbind; terminals before the merchant (providers refuse otherwise).
        assertTrue(plan.indexOf(StepKind.DISABLE_TERMINAL) < plan.indexOf(StepKind.UNBIND_TERMINAL));
        assertTrue(plan.indexOf(StepKind.UNBIND_TERMINAL) < plan.indexOf(StepKind.UNBIND_MERCHANT_INFO));
        assertTrue(plan.indexOf(StepKind.UNBIND_MERCHANT_INFO) < plan.indexOf(StepKind.DECOMMISSION_TERMINAL));
    }

    @Test
    void accountOnlyScopeLeavesTheDeviceAlone() {
        List<StepKind> plan = kinds(planner.initialPlan(request().scope(BindingKind.ACCOUNT).build(), EVERYTHING));
        assertTrue(plan.contains(StepKind.UNBIND_SETTLEMENT_ACCOUNT));
        assertTrue(plan.stream().noneMatch(kind -> kind == StepKind.DISABLE_TERMINAL
                || kind == StepKind.UNBIND_TERMINAL || kind == StepKind.DECOMMISSION_TERMINAL
                || kind == StepKind.UNBIND_MERCHANT_INFO));
    }

    @Test
    void stepsThatNeedAnAbsentCapabilityAreNotPlanned() {
        Set<ProviderCapability> deviceOnly = EnumSet.of(ProviderCapability.DEVICE_UNBIND);
        List<StepKind> plan = kinds(planner.initialPlan(request().scope(BindingKind.DEVICE).build(), deviceOnly));
        assertTrue(!plan.contains(StepKind.AGREE_FEES) && !plan.contains(StepKind.AWAIT_SETTLEMENT));
        assertTrue(plan.contains(StepKind.OBTAIN_INSTITUTION_APPROVAL), "approval is recorded by the caller");
    }

    @Test
    void missingCapabilitiesAreAllReportedAtOnce() {
        List<RuleViolation> problems = planner.checkCapabilities(
                request().allBindings().replacement(ReplacementTerminal.of("N", "M")).build(),
                EnumSet.of(ProviderCapability.DEVICE_UNBIND));
        assertEquals(List.of("scope.ACCOUNT", "scope.MERCHANT_INFO", "replacement"),
                problems.stream().map(RuleViolation::field).toList());
        assertTrue(problems.stream().allMatch(p -> p.code().equals(RuleCode.BINDING_NOT_SUPPORTED.code())));
    }

    @Test
    void onePeripheralStepPerPeripheralInProviderOrder() {
        Terminal terminal = new Terminal("SN1", "A920", TerminalStatus.ACTIVE, List.of("M1"), Optional.empty(),
                List.of(new Peripheral("p-2", PeripheralKind.PRINTER, "PR-1"),
                        new Peripheral("p-1", PeripheralKind.SCANNER, "SC-1")));
        assertEquals(List.of(new PlannedStep(StepKind.UNBIND_PERIPHERAL, "p-2"),
                new PlannedStep(StepKind.UNBIND_PERIPHERAL, "p-1")), planner.peripheralSteps(terminal));
    }

    // --- what a provider lacks is not applicable (issue 10, item 2) ---

    private static final Set<OperationKind> UNBIND_ONLY = Set.of(OperationKind.UNBIND_TERMINAL);

    @Test
    void stepsWhoseOperationTheProviderLacksStayInThePlanAsSkipped() {
        List<PlannedStep> plan = planner.initialPlan(request().scope(BindingKind.DEVICE).build(),
                Set.of(ProviderCapability.DEVICE_UNBIND), UNBIND_ONLY, InstitutionApproval.NOT_NEEDED, false);

        assertEquals(List.of(StepKind.TAKE_INVENTORY, StepKind.CHECK_DOCUMENTS, StepKind.BACK_UP_TERMINAL_DATA,
                StepKind.OBTAIN_INSTITUTION_APPROVAL, StepKind.DISABLE_TERMINAL, StepKind.UNBIND_TERMINAL,
                StepKind.DECOMMISSION_TERMINAL, StepKind.VERIFY_COMPLETION), kinds(plan));
        assertEquals(List.of(StepKind.OBTAIN_INSTITUTION_APPROVAL, StepKind.DISABLE_TERMINAL,
                StepKind.DECOMMISSION_TERMINAL), plan.stream().filter(step -> step.skip().isPresent())
                .map(PlannedStep::kind).toList());
        assertEquals(CoreErrorCode.APPROVAL_NOT_NEEDED, plan.get(3).skip().orElseThrow().code());
        assertEquals(CoreErrorCode.OPERATION_NOT_OFFERED, plan.get(4).skip().orElseThrow().code());
    }

    @Test
    void aProviderThatDeclaresNothingHasEveryStepOfItsAdaptersCarriedOut() {
        assertTrue(planner.initialPlan(request().allBindings().replacement(ReplacementTerminal.of("N", "M")).build(),
                EVERYTHING).stream().noneMatch(step -> step.skip().isPresent()));
    }

    @Test
    void theOperationThatUndoesABindingInScopeCannotBeLeftOut() {
        List<RuleViolation> problems = planner.checkCapabilities(request().allBindings()
                .replacement(ReplacementTerminal.of("N", "M")).build(), EVERYTHING,
                Set.of(OperationKind.DISABLE_TERMINAL, OperationKind.SET_UP_TERMINAL), InstitutionApproval.ELSEWHERE);

        // The replacement lacks both its test transaction and its void.
        assertEquals(List.of("scope.DEVICE", "scope.ACCOUNT", "scope.MERCHANT_INFO", "replacement", "replacement"),
                problems.stream().map(RuleViolation::field).toList());
        assertTrue(problems.stream().allMatch(p -> p.code().equals(RuleCode.BINDING_NOT_SUPPORTED.code())));
    }

    @Test
    void approvalByAnAdapterTheProviderDoesNotHaveIsRefused() {
        List<RuleViolation> problems = planner.checkCapabilities(request().scope(BindingKind.DEVICE).build(),
                Set.of(ProviderCapability.DEVICE_UNBIND), UNBIND_ONLY, InstitutionApproval.BY_ADAPTER);

        assertEquals(List.of("institutionApproval"), problems.stream().map(RuleViolation::field).toList());
    }

    @Test
    void peripheralsAreSkippedWhenTheProviderCannotUnbindThem() {
        Terminal terminal = new Terminal("SN1", "A920", TerminalStatus.ACTIVE, List.of("M1"), Optional.empty(),
                List.of(new Peripheral("P1", PeripheralKind.PRINTER, "PRT-1")));

        assertTrue(planner.peripheralSteps(terminal, UNBIND_ONLY).get(0).skip().isPresent());
        assertTrue(planner.peripheralSteps(terminal, EnumSet.allOf(OperationKind.class)).get(0).skip().isEmpty());
    }
}
