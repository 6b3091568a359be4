package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static io.posunbind.testkit.scenarios.MerchantCase.POLL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.TerminalStatus;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The merchant's whole process, told in the order it happens. */
class UnbindProcessScenarioTest {

    @Test
    void aMerchantChangesProviderAndReplacesTheTerminal() {
        MerchantCase merchant = new MerchantCase();

        // 1. Confirm the need and hand in the documents: the engine inventories, checks, backs up and quotes.
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT), opened.toString());
        assertEquals(5000 + 3600 - 20000, opened.feeQuote().orElseThrow().total().minorUnits());
        assertEquals(0, merchant.sandbox.requests().effects().size(), "nothing changes before the merchant agrees to fees");

        // 2. The merchant agrees to the exact quote; the application goes to the institution.
        CaseSnapshot applied = merchant.agreeToFees(opened);
        assertTrue(applied.isWaitingFor(WaitReason.INSTITUTION_DECISION), applied.toString());

        // 3. Days later the institution approves; the engine notices on its next poll.
        merchant.clock.advance(java.time.Duration.ofDays(2));
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        CaseSnapshot approved = merchant.afterWaiting(opened.id(), POLL);
        // Device unbound; the settlement-account change is under the acquirer's review.
        assertTrue(approved.isWaitingFor(WaitReason.PROVIDER_OPERATION), approved.toString());
        assertEquals(TerminalStatus.UNBOUND, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());

        // 4. The acquirer completes the account change; everything else follows.
        String accountReference = approved.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).providerReference()
                .orElseThrow();
        merchant.sandbox.reviews().completePending(accountReference);
        CaseSnapshot done = merchant.afterWaiting(opened.id(), java.time.Duration.ofHours(1));

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertTrue(done.steps().stream().allMatch(step -> step.status() == StepStatus.DONE));
        assertEquals(2, done.steps(StepKind.UNBIND_PERIPHERAL).size(), "printer and scanner");
        assertEquals(TerminalStatus.DECOMMISSIONED,
                merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        // The old account is gone, the new one settles the new terminal; the merchant stays.
        assertEquals(MerchantCase.NEW_ACCOUNT, merchant.sandbox.settlement().settlementAccount(MERCHANT_NUMBER).orElseThrow());
        assertFalse(merchant.sandbox.merchants().merchantDeleted(MERCHANT_NUMBER));
        assertFalse(merchant.sandbox.merchants().registeredTerminals(MERCHANT_NUMBER).contains(TERMINAL_SERIAL));
        var tests = merchant.sandbox.terminals().testTransactions(REPLACEMENT_SERIAL);
        assertEquals(1, tests.size());
        assertTrue(tests.get(0).voided(), "the test transaction moved no money");
        assertEquals(TerminalStatus.ACTIVE, merchant.sandbox.terminals().terminal(REPLACEMENT_SERIAL).orElseThrow().status());

        // Exactly one effect per key, and the events came in the order of the steps.
        Map<String, Long> effectsPerKey = merchant.sandbox.requests().effects().stream()
                .collect(Collectors.groupingBy(effect -> effect.idempotencyKey().value(), Collectors.counting()));
        assertTrue(effectsPerKey.values().stream().allMatch(count -> count == 1), effectsPerKey.toString());
        assertTrue(merchant.events.get(merchant.events.size() - 1) instanceof UnbindEvent.CaseFinished);
        assertEquals(done.steps().size(), merchant.events.stream()
                .filter(event -> event instanceof UnbindEvent.StepFinished finished && finished.succeeded()).count());
    }

    @Test
    void theInstitutionRejectsTheApplication() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);

        merchant.sandbox.reviews().reject(merchant.applicationReference(), "R-031", "商户信息与营业执照不符");
        CaseSnapshot rejected = merchant.afterWaiting(opened.id(), POLL);

        assertEquals(CaseState.REJECTED, rejected.state());
        assertEquals(CoreErrorCode.INSTITUTION_REJECTED.code(), rejected.failureCode().orElseThrow());
        assertTrue(rejected.failureMessage().orElseThrow().contains("R-031"));
        assertEquals(TerminalStatus.ACTIVE, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void feesWithoutConsentStopBeforeAnyFeeIsIncurred() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT));

        // Time passes; without consent nothing moves, however often the engine looks.
        CaseSnapshot stillWaiting = merchant.letTimePass(opened.id(), java.time.Duration.ofHours(6), 8);
        assertTrue(stillWaiting.isWaitingFor(WaitReason.FEE_CONSENT));
        assertEquals(0, merchant.sandbox.requests().effects().size());
        assertEquals("RULE-FEE-CONSENT-REQUIRED", stillWaiting.violations().get(0).code());

        CaseSnapshot declined = merchant.unbinder.declineFees(opened.id(), MerchantCase.MERCHANT);
        assertEquals(CaseState.CANCELLED, declined.state());
        assertEquals(0, merchant.sandbox.requests().effects().size());
    }

    @Test
    void aConsentToAnotherAmountDoesNotCount() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        var wrong = new io.posunbind.FeeConsent(quote.quoteId(), io.posunbind.spi.model.Money.cny(1),
                MerchantCase.MERCHANT, merchant.clock.instant());
        var error = org.junit.jupiter.api.Assertions.assertThrows(io.posunbind.spi.PosUnbindException.class,
                () -> merchant.unbinder.consentToFees(opened.id(), wrong));
        assertEquals(CoreErrorCode.CONSENT_DOES_NOT_MATCH_QUOTE, error.errorCode());
        assertTrue(merchant.unbinder.find(opened.id()).orElseThrow().isWaitingFor(WaitReason.FEE_CONSENT));
    }

    @Test
    void theStepsAreNumberedOnceAndKeepTheirNumbers() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        Map<Integer, StepSnapshot> byNumber = opened.steps().stream()
                .collect(Collectors.toMap(StepSnapshot::number, Function.identity()));
        assertEquals(opened.steps().size(), byNumber.size());
        assertFalse(opened.history().isEmpty());
        assertEquals(OPERATOR.id(), opened.history().get(0).actorId());
    }
}
