package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.OPERATOR;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static io.posunbind.scenarios.UnbindingHarness.unbinderFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.HistoryEntry;
import io.posunbind.InvalidRequestException;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.UnbindPreview;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.rules.RuleCode;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PeripheralKind;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A provider engineer writes an adapter for a terminal-management API that lacks some of the operations
 * the merchant's process knows (Adyen's Management API: no disable, no decommission, no institution
 * approval; a terminal is "unbound" by reassigning it to the company inventory). The provider declares
 * what it has, or answers "not applicable", and cases still finish, saying what was skipped and why.
 */
class ProvidersWithoutSomeOperationsScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688179";
    private static final Document REGISTRATION = new Document.BusinessRegistration("12345678",
            "Bakkerij de Vries B.V.");

    private final TerminalInventoryProvider adyenLike = new TerminalInventoryProvider()
            .withTerminal(SERIAL, "V400m", List.of(), MERCHANT);

    @Test
    void anAdyenLikeProviderWithoutDisableAndDecommissionUnbindsADeviceOnlyCase() {
        Unbinder unbinder = unbinderFor(adyenLike);

        CaseSnapshot unbound = unbinder.open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());

        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(List.of(OperationKind.UNBIND_TERMINAL), adyenLike.received(),
                "the provider is asked only for what it offers");
        assertTrue(adyenLike.terminal(SERIAL).boundMerchantNumbers().isEmpty(), "back in the company inventory");
        assertSkipped(unbound, StepKind.DISABLE_TERMINAL, CoreErrorCode.OPERATION_NOT_OFFERED);
        assertSkipped(unbound, StepKind.DECOMMISSION_TERMINAL, CoreErrorCode.OPERATION_NOT_OFFERED);
        assertSkipped(unbound, StepKind.OBTAIN_INSTITUTION_APPROVAL, CoreErrorCode.APPROVAL_NOT_NEEDED);
        assertEquals(StepStatus.DONE, unbound.steps(StepKind.UNBIND_TERMINAL).get(0).status());
    }

    @Test
    void theHistoryAndTheDescriptionSayWhyAStepWasSkipped() {
        CaseSnapshot unbound = unbinderFor(adyenLike).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());

        List<String> skipped = unbound.history().stream().filter(entry -> entry.event().equals("STEP_SKIPPED"))
                .map(HistoryEntry::detail).toList();
        assertEquals(3, skipped.size(), skipped.toString());
        assertTrue(skipped.stream().anyMatch(detail -> detail.startsWith("DISABLE_TERMINAL")
                && detail.contains("UNB-OPERATION-NOT-OFFERED") && detail.contains("does not offer DISABLE_TERMINAL")),
                skipped.toString());
        String chinese = unbound.describe(Locale.SIMPLIFIED_CHINESE);
        assertTrue(chinese.contains("停用终端: 已跳过（不适用于该服务商） — 支付服务商不提供此项操作"), chinese);
        String english = unbound.describe(Locale.ENGLISH);
        assertTrue(english.contains("Disable the terminal: Skipped (does not apply at the provider) — The payment"
                + " provider does not offer this operation"), english);
    }

    @Test
    void thePreviewListsTheStepsTheProviderLacksWithTheReason() {
        UnbindPreview preview = unbinderFor(adyenLike).preview(deviceOnly(TerminalInventoryProvider.ID, MERCHANT,
                SERIAL).documents(REGISTRATION).build());

        assertEquals(List.of(StepKind.OBTAIN_INSTITUTION_APPROVAL, StepKind.DISABLE_TERMINAL,
                StepKind.DECOMMISSION_TERMINAL), preview.skippedSteps().stream().map(StepSnapshot::kind).toList());
        assertEquals(List.of("UNB-APPROVAL-NOT-NEEDED", "UNB-OPERATION-NOT-OFFERED", "UNB-OPERATION-NOT-OFFERED"),
                preview.skippedSteps().stream().map(step -> step.lastCode().orElseThrow()).toList());
        assertTrue(preview.expectedWaits().stream().noneMatch(wait -> wait.reason() == WaitReason.INSTITUTION_DECISION),
                "no institution decision is awaited: " + preview.expectedWaits());
        assertTrue(preview.canProceed(), preview.violations().toString());
    }

    @Test
    void anOperationTheProviderAnswersAsNotApplicableIsSkippedWithItsReasonAndTheCaseGoesOn() {
        TerminalInventoryProvider provider = adyenLike
                .offering(Set.of(OperationKind.DISABLE_TERMINAL, OperationKind.UNBIND_TERMINAL,
                        OperationKind.DECOMMISSION_TERMINAL))
                .answering(OperationKind.DISABLE_TERMINAL, OperationOutcome.done("disabled"))
                .answering(OperationKind.DECOMMISSION_TERMINAL, OperationOutcome.notApplicable(
                        "return the terminal through the Customer Area"));

        CaseSnapshot unbound = unbinderFor(provider).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());

        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(List.of(OperationKind.DISABLE_TERMINAL, OperationKind.UNBIND_TERMINAL,
                OperationKind.DECOMMISSION_TERMINAL), provider.received());
        StepSnapshot decommission = assertSkipped(unbound, StepKind.DECOMMISSION_TERMINAL,
                CoreErrorCode.OPERATION_NOT_APPLICABLE);
        assertEquals("return the terminal through the Customer Area", decommission.lastMessage().orElseThrow());
        assertTrue(unbound.history().stream().anyMatch(entry -> entry.event().equals("STEP_SKIPPED")
                && entry.detail().contains("return the terminal through the Customer Area")));
        assertTrue(unbound.describe(Locale.SIMPLIFIED_CHINESE).contains("支付服务商答复此项操作不适用"));
    }

    @Test
    void aProviderThatAnswersUnbindTerminalAsNotApplicableStopsTheCaseInsteadOfCompletingItWithTheTerminalBound() {
        TerminalInventoryProvider provider = adyenLike.answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.notApplicable("reassign the terminal in the Customer Area"));

        CaseSnapshot stopped = unbinderFor(provider).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());

        assertEquals(CaseState.FAILED, stopped.state(), stopped.describe(Locale.ENGLISH));
        assertEquals(List.of(MERCHANT), provider.terminal(SERIAL).boundMerchantNumbers(), "still bound");
        StepSnapshot unbind = stopped.steps(StepKind.UNBIND_TERMINAL).get(0);
        assertEquals(StepStatus.FAILED, unbind.status(), stopped.describe(Locale.ENGLISH));
        assertEquals("PRV-UNSUPPORTED", unbind.lastCode().orElseThrow());
        assertTrue(unbind.lastMessage().orElseThrow().contains("reassign the terminal in the Customer Area"),
                unbind.lastMessage().orElseThrow());
        assertTrue(stopped.skippedSteps().stream().noneMatch(step -> step.kind() == StepKind.UNBIND_TERMINAL));
    }

    @Test
    void aMerchantLeavingAltogetherAtAProviderThatCanOnlyDetachTerminalsIsRefusedBeforeAnythingChanges() {
        // The bakery closes: its only terminal goes, so its merchant info must be deleted, which this provider
        // cannot do (it can only detach a terminal from a merchant that stays).
        TerminalInventoryProvider provider = adyenLike
                .withMerchantInfo(new MerchantInfo(MERCHANT, "Bakkerij de Vries B.V.", "-", "J. de Vries", 1))
                .offering(Set.of(OperationKind.UNBIND_TERMINAL, OperationKind.MODIFY_MERCHANT_INFO));
        UnbindRequest closure = deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .reason(UnbindReason.CLOSURE).scope(BindingKind.DEVICE, BindingKind.MERCHANT_INFO)
                .documents(REGISTRATION).build();
        Unbinder unbinder = unbinderFor(provider);

        UnbindPreview preview = unbinder.preview(closure);
        CaseSnapshot refused = unbinder.open(closure);

        assertTrue(preview.violations().stream().anyMatch(violation -> violation.code().equals(
                RuleCode.BINDING_NOT_SUPPORTED.code()) && violation.message().contains("DELETE_MERCHANT_INFO")),
                preview.violations().toString());
        assertEquals(CaseState.BLOCKED, refused.state(), refused.describe(Locale.ENGLISH));
        assertEquals(RuleCode.BINDING_NOT_SUPPORTED.code(), refused.steps(StepKind.TAKE_INVENTORY).get(0).lastCode()
                .orElseThrow());
        assertEquals(List.of(), provider.received(), "nothing is changed at the provider");
        assertTrue(provider.merchantInfo(MERCHANT).isPresent());
    }

    @Test
    void aProviderWhoseDeclarationsThrowOrAnswerNullIsRefusedWithACodeByOpenAndPreview() {
        TerminalInventoryProvider throwing = new TerminalInventoryProvider()
                .withTerminal(SERIAL, "V400m", List.of(), MERCHANT).failingToDeclareOperations();
        TerminalInventoryProvider answeringNull = new TerminalInventoryProvider()
                .withTerminal(SERIAL, "V400m", List.of(), MERCHANT).approval(null);

        for (TerminalInventoryProvider broken : List.of(throwing, answeringNull)) {
            Unbinder unbinder = unbinderFor(broken);
            UnbindRequest request = deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                    .documents(REGISTRATION).build();
            PosUnbindException opened = assertThrows(PosUnbindException.class, () -> unbinder.open(request));
            PosUnbindException previewed = assertThrows(PosUnbindException.class, () -> unbinder.preview(request));

            assertEquals(CoreErrorCode.PROVIDER_DECLARATION_INVALID, opened.errorCode(), opened.getMessage());
            assertEquals(CoreErrorCode.PROVIDER_DECLARATION_INVALID, previewed.errorCode(), previewed.getMessage());
            assertTrue(opened.getMessage().contains(TerminalInventoryProvider.ID), opened.getMessage());
            assertEquals(List.of(), broken.received());
        }
    }

    @Test
    void peripheralsAProviderCannotUnbindAreListedAsSkipped() {
        TerminalInventoryProvider provider = new TerminalInventoryProvider().withTerminal(SERIAL, "V400m",
                List.of(new Peripheral("PIN-PAD-1", PeripheralKind.PIN_PAD, "PP-0001")), MERCHANT);

        CaseSnapshot unbound = unbinderFor(provider).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());

        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        StepSnapshot pinPad = assertSkipped(unbound, StepKind.UNBIND_PERIPHERAL, CoreErrorCode.OPERATION_NOT_OFFERED);
        assertEquals("PIN-PAD-1", pinPad.target());
        assertEquals(List.of(OperationKind.UNBIND_TERMINAL), provider.received());
    }

    @Test
    void withoutAnApplicationAdapterTheApprovalHappensElsewhereAndTheCaseWaitsForTheDecision() {
        TerminalInventoryProvider provider = adyenLike.approval(InstitutionApproval.ELSEWHERE);
        Unbinder unbinder = unbinderFor(provider);

        CaseSnapshot waiting = unbinder.open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());
        assertTrue(waiting.isWaitingFor(WaitReason.INSTITUTION_DECISION), waiting.describe(Locale.ENGLISH));
        assertEquals(List.of(), provider.received(), "nothing is changed before the decision");

        CaseSnapshot unbound = unbinder.recordDecision(waiting.id(), OPERATOR,
                InstitutionDecision.approved("BANK-2026-117", UnbindingHarness.CLOCK.instant()));
        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(StepStatus.DONE, unbound.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
    }

    @Test
    void aDeviceCaseAtAProviderThatCannotUnbindTerminalsIsRefusedUpFront() {
        TerminalInventoryProvider provider = adyenLike.offering(Set.of(OperationKind.DISABLE_TERMINAL));

        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> unbinderFor(provider)
                .open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL).documents(REGISTRATION).build()));

        assertEquals(CoreErrorCode.CAPABILITY_MISSING, refused.errorCode());
        assertTrue(refused.violations().stream().anyMatch(violation -> violation.code().equals(
                RuleCode.BINDING_NOT_SUPPORTED.code()) && violation.field().equals("scope.DEVICE")),
                refused.violations().toString());
        assertEquals(List.of(), provider.received());
    }

    private static StepSnapshot assertSkipped(CaseSnapshot snapshot, StepKind kind, CoreErrorCode why) {
        StepSnapshot step = snapshot.steps(kind).get(0);
        assertEquals(StepStatus.SKIPPED, step.status(), snapshot.describe(Locale.ENGLISH));
        assertEquals(why.code(), step.lastCode().orElseThrow());
        assertTrue(snapshot.skippedSteps().contains(step));
        return step;
    }
}
