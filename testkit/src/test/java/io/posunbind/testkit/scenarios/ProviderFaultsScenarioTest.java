package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.POLL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the engine does when the provider is slow, flaky or silent. */
class ProviderFaultsScenarioTest {

    /** Opens the standard case, agrees to fees and has the institution approve at once. */
    private static CaseId approvedCase(MerchantCase merchant) {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        return merchant.agreeToFees(opened).id();
    }

    @Test
    void unsettledFundsHoldTheUnbindUntilTheySettle() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.settlement().setUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL, Money.cny(128_800), 1);

        CaseId id = approvedCase(merchant);
        CaseSnapshot held = merchant.unbinder.find(id).orElseThrow();
        assertTrue(held.isWaitingFor(WaitReason.SETTLEMENT), held.toString());
        assertEquals("RULE-FUNDS-UNSETTLED", held.violations().get(0).code());

        // Polling on does not unbind anything while the funds stay unsettled.
        CaseSnapshot stillHeld = merchant.letTimePass(id, POLL, 5);
        assertTrue(stillHeld.isWaitingFor(WaitReason.SETTLEMENT));
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));

        // T+1: the acquirer settles, and the case runs to the end on the next check.
        merchant.sandbox.settlement().settleAll(MERCHANT_NUMBER);
        CaseSnapshot done = merchant.afterWaiting(id, Duration.ofDays(1));
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }

    @Test
    void transientFailuresAreRetriedWithTheSameKeyAndOneEffect() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.faults().failNextTransiently(OperationKind.DISABLE_TERMINAL, 3);

        CaseId id = approvedCase(merchant);
        CaseSnapshot retrying = merchant.unbinder.find(id).orElseThrow();
        assertTrue(retrying.isWaitingFor(WaitReason.RETRY), retrying.toString());

        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        StepSnapshot disable = done.steps(StepKind.DISABLE_TERMINAL).get(0);
        assertEquals(4, disable.attempts());
        assertEquals(4, merchant.sandbox.requests().callsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aTimedOutCallIsReconciledNotRepeatedBlindly() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.faults().timeOutNext(OperationKind.UNBIND_TERMINAL);
        merchant.sandbox.faults().timeOutNextWithException(OperationKind.DECOMMISSION_TERMINAL);

        CaseId id = approvedCase(merchant);
        CaseSnapshot unknown = merchant.unbinder.find(id).orElseThrow();
        assertTrue(unknown.isWaitingFor(WaitReason.RETRY), unknown.toString());

        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        // The engine asked instead of sending again: one call, one effect each.
        assertEquals(1, merchant.sandbox.requests().callsFor(OperationKind.UNBIND_TERMINAL));
        assertEquals(1, merchant.sandbox.requests().callsFor(OperationKind.DECOMMISSION_TERMINAL));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_TERMINAL));
        assertEquals(TerminalStatus.DECOMMISSIONED, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
    }

    @Test
    void aLostCallIsSentAgainWithTheSameKeyAfterTheLookupFindsNothing() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.faults().loseNext(OperationKind.SET_UP_TERMINAL);

        CaseId id = approvedCase(merchant);
        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(2, merchant.sandbox.requests().callsFor(OperationKind.SET_UP_TERMINAL));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.SET_UP_TERMINAL));
    }

    @Test
    void aProviderThatKeepsFailingDeadLettersTheCaseWithACode() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.faults().failNextTransiently(OperationKind.UPDATE_TERMINAL_SOFTWARE, 100);

        CaseId id = approvedCase(merchant);
        CaseSnapshot failed = merchant.letTimePass(id, Duration.ofMinutes(2), 20);

        assertEquals(CaseState.FAILED, failed.state());
        assertEquals("UNB-RETRIES-EXHAUSTED", failed.failureCode().orElseThrow());
        assertEquals(5, merchant.sandbox.requests().callsFor(OperationKind.UPDATE_TERMINAL_SOFTWARE));
    }

    @Test
    void aProviderThatHonoursNoKeysIsLookedUpBeforeAnyResend() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.requests().setHonoursIdempotencyKeys(false);
        merchant.unbinder = merchant.newUnbinder();
        merchant.sandbox.faults().timeOutNext(OperationKind.DISABLE_TERMINAL);

        CaseId id = approvedCase(merchant);
        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }
}
