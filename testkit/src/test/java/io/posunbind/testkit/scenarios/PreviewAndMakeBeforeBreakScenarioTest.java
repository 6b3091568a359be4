package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.ReplacementTerminal;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.UnbindPreview;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dry run shows everything before anything happens; make-before-break keeps the merchant trading. */
class PreviewAndMakeBeforeBreakScenarioTest {

    @Test
    void aPreviewOfAGoodRequestShowsPlanFeesAndWaitsWithoutSideEffects() {
        MerchantCase merchant = new MerchantCase();
        UnbindPreview preview = merchant.unbinder.preview(fullReplacement().documents(allDocuments()).build());

        assertTrue(preview.canProceed(), preview.violations().toString());
        assertEquals(2, preview.plan().stream().filter(step -> step.kind() == StepKind.UNBIND_PERIPHERAL).count());
        assertEquals(StepKind.TAKE_INVENTORY, preview.plan().get(0).kind());
        assertTrue(preview.missingDocuments().isEmpty());
        assertEquals(-11_400, preview.fees().orElseThrow().total().minorUnits());
        assertEquals(List.of(WaitReason.FEE_CONSENT, WaitReason.INSTITUTION_DECISION),
                preview.expectedWaits().stream().map(w -> w.reason()).toList());
        // Nothing happened anywhere: no case stored, no effect at the provider.
        assertEquals(0, merchant.sandbox.requests().effects().size());
        assertTrue(merchant.unbinder.findCases(new io.posunbind.store.CaseFilter(java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), 10)).isEmpty());
    }

    @Test
    void aPreviewOfABadRequestListsEveryProblemAtOnce() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.addMerchant("898310058120002", "另一家商户", "91110000802100433B", "李四");
        merchant.sandbox.bindTerminalToMerchant(TERMINAL_SERIAL, "898310058120002");
        merchant.sandbox.settlement().setUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL, Money.cny(5_000), 0);

        UnbindPreview preview = merchant.unbinder.preview(fullReplacement().build());

        assertFalse(preview.canProceed());
        List<String> codes = preview.violations().stream().map(RuleViolation::code).toList();
        assertTrue(codes.contains("RULE-ONE-TERMINAL-ONE-MERCHANT"), codes.toString());
        assertTrue(codes.contains("RULE-DOCUMENT-MISSING"), codes.toString());
        assertEquals(java.util.Set.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.TERMINAL_INFORMATION,
                DocumentKind.SETTLEMENT_ACCOUNT, DocumentKind.TRAINING_MATERIAL), preview.missingDocuments());
        assertTrue(preview.expectedWaits().stream().anyMatch(w -> w.reason() == WaitReason.SETTLEMENT));
        assertEquals(0, merchant.sandbox.requests().effects().size());
    }

    @Test
    void makeBeforeBreakTestsTheNewTerminalBeforeTheOldOneIsCutOff() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        CaseSnapshot opened = merchant.unbinder.open(MerchantCase.request()
                .scope(BindingKind.DEVICE)
                .replacement(ReplacementTerminal.of(REPLACEMENT_SERIAL, REPLACEMENT_MODEL))
                .makeBeforeBreak(true)
                .documents(allDocuments())
                .build());
        CaseSnapshot done = merchant.agreeToFees(opened);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        List<StepKind> order = done.steps().stream().map(StepSnapshot::kind).toList();
        assertTrue(order.indexOf(StepKind.VOID_TEST_TRANSACTION) < order.indexOf(StepKind.UNBIND_PERIPHERAL));
        assertTrue(order.indexOf(StepKind.VOID_TEST_TRANSACTION) < order.indexOf(StepKind.DISABLE_TERMINAL));
        // The events confirm it happened in that order, not only that it was planned so.
        List<StepKind> finished = merchant.events.stream().filter(UnbindEvent.StepFinished.class::isInstance)
                .map(e -> ((UnbindEvent.StepFinished) e).step()).toList();
        assertTrue(finished.indexOf(StepKind.VOID_TEST_TRANSACTION) < finished.indexOf(StepKind.DISABLE_TERMINAL));
        assertEquals(TerminalStatus.ACTIVE, merchant.sandbox.terminals().terminal(REPLACEMENT_SERIAL).orElseThrow().status());
        assertEquals(TerminalStatus.DECOMMISSIONED, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
    }

    @Test
    void makeBeforeBreakCannotMoveTheSettlementAccount() {
        MerchantCase merchant = new MerchantCase();
        var error = org.junit.jupiter.api.Assertions.assertThrows(io.posunbind.InvalidRequestException.class,
                () -> merchant.unbinder.open(fullReplacement().makeBeforeBreak(true).documents(allDocuments()).build()));
        assertEquals(List.of("RULE-MAKE-BEFORE-BREAK-ACCOUNT"),
                error.violations().stream().map(RuleViolation::code).toList());
        assertEquals(0, merchant.sandbox.requests().effects().size());
    }
}
