package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountChangeLimit;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxAccountChangeLimitTest {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    private final SandboxFixture sandbox = new SandboxFixture();
    private final SettlementAccount account = SandboxDemoData.settlementAccount();
    private final OperationContext unbind = context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0001.account.1");

    @Test
    void byDefaultTheSandboxSetsNoLimit() {
        assertEquals(Optional.empty(), sandbox.accounts.accountChangeLimit(MERCHANT_NUMBER));
        assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void theLimitAndTheLastChangeAreReportedBeforeAnythingIsSent() {
        Instant lastChange = sandbox.clock.instant().minus(Duration.ofDays(10));
        sandbox.backend.settlement().setAccountChangeLimit(MERCHANT_NUMBER, THIRTY_DAYS, lastChange);

        AccountChangeLimit limit = sandbox.accounts.accountChangeLimit(MERCHANT_NUMBER).orElseThrow();

        assertEquals(new AccountChangeLimit(THIRTY_DAYS, Optional.of(lastChange)), limit);
        assertEquals(Optional.of(lastChange.plus(THIRTY_DAYS)), limit.nextChangeAllowedAt());
    }

    @Test
    void anUnbindInsideTheIntervalIsRefusedAndTheAccountStays() {
        sandbox.backend.settlement().setAccountChangeLimit(MERCHANT_NUMBER, THIRTY_DAYS,
                sandbox.clock.instant().minus(Duration.ofDays(10)));

        var refused = assertRejected(StandardErrorCode.ACCOUNT_CHANGE_LIMIT,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        assertEquals("SBX-ACCOUNT-CHANGE-LIMIT", refused.providerCode());
        assertTrue(refused.message().contains("30 day(s)"), refused.message());
        assertTrue(refused.message().contains("2025-03-23T09:00"), refused.message());
        assertFalse(refused.message().contains(SandboxDemoData.SETTLEMENT_CARD_NUMBER));
        assertEquals(Optional.of(account), sandbox.backend.settlement().settlementAccount(MERCHANT_NUMBER));
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }

    @Test
    void theRefusalIsFinalUnderItsKeyButANewRequestPassesOnceTheIntervalIsOver() {
        sandbox.backend.settlement().setAccountChangeLimit(MERCHANT_NUMBER, THIRTY_DAYS,
                sandbox.clock.instant().minus(Duration.ofDays(10)));
        assertRejected(StandardErrorCode.ACCOUNT_CHANGE_LIMIT,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        sandbox.clock.advance(Duration.ofDays(20));

        // Not a retryable code, so the key keeps its answer (Stripe-like); the interval ends exactly now.
        assertRejected(StandardErrorCode.ACCOUNT_CHANGE_LIMIT,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        assertPending(sandbox.accounts.unbindSettlementAccount(
                context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0001.account.2"), MERCHANT_NUMBER, account));
    }

    @Test
    void aCompletedUnbindIsTheLastChangeAndStartsANewInterval() {
        sandbox.backend.settlement().setAccountChangeLimit(MERCHANT_NUMBER, THIRTY_DAYS);
        var pending = assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        sandbox.clock.advance(Duration.ofHours(5));

        sandbox.backend.reviews().completePending(pending.providerReference().orElseThrow());

        Instant completedAt = sandbox.clock.instant();
        assertEquals(Optional.of(completedAt), sandbox.accounts.accountChangeLimit(MERCHANT_NUMBER).orElseThrow()
                .lastChangedAt());
        SettlementAccount next = new SettlementAccount(SettlementAccountKind.BANK_CARD,
                AccountNumber.of("6228480012345678903"), "张伟", "中国农业银行");
        sandbox.backend.bindAccount(MERCHANT_NUMBER, next);
        assertRejected(StandardErrorCode.ACCOUNT_CHANGE_LIMIT, sandbox.accounts.unbindSettlementAccount(
                context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0002.account.1"), MERCHANT_NUMBER, next));
        sandbox.clock.advance(THIRTY_DAYS);
        assertPending(sandbox.accounts.unbindSettlementAccount(
                context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0002.account.2"), MERCHANT_NUMBER, next));
    }

    @Test
    void anUnbindRefusedInReviewIsNoChange() {
        Instant lastChange = sandbox.clock.instant().minus(Duration.ofDays(40));
        sandbox.backend.settlement().setAccountChangeLimit(MERCHANT_NUMBER, THIRTY_DAYS, lastChange);
        var pending = assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        sandbox.backend.reviews().rejectPending(pending.providerReference().orElseThrow(),
                StandardErrorCode.ACCOUNT_OWNERSHIP_MISMATCH,
                "E2001", "户名与证件不符");

        assertEquals(Optional.of(lastChange), sandbox.backend.settlement().accountChangeLimit(MERCHANT_NUMBER).orElseThrow()
                .lastChangedAt());
    }

    @Test
    void theLimitOfAnUnknownMerchantCannotBeReadAndReadsCanFail() {
        ProviderException unknown = assertThrows(ProviderException.class,
                () -> sandbox.accounts.accountChangeLimit("898310058129999"));
        assertEquals(StandardErrorCode.MERCHANT_NOT_FOUND, unknown.errorCode());

        sandbox.backend.faults().failNextReads(1);
        ProviderException unavailable = assertThrows(ProviderException.class,
                () -> sandbox.accounts.accountChangeLimit(MERCHANT_NUMBER));
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, unavailable.errorCode());
    }
}
