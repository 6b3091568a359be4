package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.UnsettledFunds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxAccountUnbindTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final SettlementAccount account = SandboxDemoData.settlementAccount();
    private final OperationContext unbind = context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0001.account.1");

    @Test
    void theAccountUnbindIsReviewedThenCompletesAndTheLookupSaysDone() {
        OperationOutcome.Pending pending = assertPending(
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        assertEquals(Optional.of(account), sandbox.accounts.readSettlementAccount(MERCHANT_NUMBER));
        assertEquals(Optional.of(pending), sandbox.accounts.lookup(unbind.operation()));

        sandbox.backend.reviews().completePending(pending.providerReference().orElseThrow());

        OperationOutcome.Done done = assertDone(sandbox.accounts.lookup(unbind.operation()).orElseThrow());
        assertEquals(pending.providerReference().orElseThrow(), done.providerReference());
        assertEquals(Optional.empty(), sandbox.accounts.readSettlementAccount(MERCHANT_NUMBER));
        // Replaying the request now answers the current outcome, still with one effect.
        assertEquals(done, sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        assertEquals(1, sandbox.backend.requests().effectCount(unbind.idempotencyKey()));
        assertEquals(List.of(), sandbox.backend.reviews().pendingReferences());
    }

    @Test
    void unsettledFundsBlockTheUnbindUntilSettlement() {
        sandbox.backend.settlement().setUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL, Money.cny(45_000), 0);

        UnsettledFunds funds = sandbox.accounts.readUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL);
        assertFalse(funds.settled());
        assertEquals(Optional.of(Instant.parse("2025-03-03T16:00:00Z")), funds.expectedSettlementTime());
        assertRejected(StandardErrorCode.FUNDS_UNSETTLED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        sandbox.backend.settlement().settleAll(MERCHANT_NUMBER);
        assertTrue(sandbox.accounts.readUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL).settled());
        assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void anotherAccountThanTheBoundOneIsRefusedWithoutShowingTheNumberInClear() {
        SettlementAccount other = new SettlementAccount(SettlementAccountKind.BANK_CARD,
                AccountNumber.of("6228480012345678903"), "张伟", "中国农业银行");

        OperationOutcome.Rejected rejected = assertRejected(StandardErrorCode.ACCOUNT_OWNERSHIP_MISMATCH,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, other));

        assertFalse(rejected.message().contains("6228480012345678903"));
        assertFalse(rejected.message().contains(SandboxDemoData.SETTLEMENT_CARD_NUMBER));
    }

    @Test
    void aSecondUnbindWhileTheFirstIsUnderReviewIsRefused() {
        assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.accounts.unbindSettlementAccount(
                context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "other-key"), MERCHANT_NUMBER, account));
    }

    @Test
    void aReviewCanRefuseTheUnbindAndTheAccountStays() {
        OperationOutcome.Pending pending = assertPending(
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        sandbox.backend.reviews().rejectPending(pending.providerReference().orElseThrow(), StandardErrorCode.ACCOUNT_CHANGE_LIMIT,
                "E3012", "账户30天内已变更");

        assertRejected(StandardErrorCode.ACCOUNT_CHANGE_LIMIT,
                sandbox.accounts.lookup(unbind.operation()).orElseThrow());
        assertEquals(Optional.of(account), sandbox.accounts.readSettlementAccount(MERCHANT_NUMBER));
        // The review is over, so a new request may be made.
        assertPending(sandbox.accounts.unbindSettlementAccount(
                context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "second-try"), MERCHANT_NUMBER, account));
    }

    @Test
    void aPolicyCanCompleteTheReviewAfterSomePolls() {
        sandbox.backend.setCompletionPolicy(CompletionPolicy.afterPolls(2));
        assertEquals(Duration.ZERO, assertPending(
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account)).pollAfter());

        assertPending(sandbox.accounts.lookup(unbind.operation()).orElseThrow());
        assertDone(sandbox.accounts.lookup(unbind.operation()).orElseThrow());
        assertEquals(Optional.empty(), sandbox.backend.settlement().settlementAccount(MERCHANT_NUMBER));
    }

    @Test
    void aPolicyCanCompleteTheReviewWhenTheClockHasMovedOn() {
        sandbox.backend.setCompletionPolicy(CompletionPolicy.after(Duration.ofDays(1)));
        OperationOutcome.Pending pending = assertPending(
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        assertEquals(Duration.ofDays(1), pending.pollAfter());

        sandbox.clock.advance(Duration.ofHours(23));
        assertPending(sandbox.accounts.lookup(unbind.operation()).orElseThrow());
        sandbox.clock.advance(Duration.ofHours(1));
        assertDone(sandbox.accounts.lookup(unbind.operation()).orElseThrow());
    }

    @Test
    void theImmediatePolicyAnswersDoneAtOnceForBenchmarks() {
        sandbox.backend.setCompletionPolicy(CompletionPolicy.immediate());

        assertDone(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        assertEquals(Optional.empty(), sandbox.backend.settlement().settlementAccount(MERCHANT_NUMBER));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }
}
