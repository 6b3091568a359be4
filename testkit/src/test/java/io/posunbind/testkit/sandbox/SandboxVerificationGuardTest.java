package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static io.posunbind.testkit.sandbox.SandboxVerificationTest.SMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxVerificationGuardTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final VerificationAdapter verification = sandbox.provider.verificationAdapter().orElseThrow();
    private final SettlementAccount account = SandboxDemoData.settlementAccount();
    private final OperationContext unbind = context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0001.account.1");
    private int challenges;

    SandboxVerificationGuardTest() {
        sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, SMS, OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
    }

    @Test
    void aGuardedAccountUnbindIsRefusedUntilTheMerchantIsVerified() {
        OperationOutcome.Rejected refused = assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        assertEquals("SBX-VERIFICATION-REQUIRED", refused.providerCode());
        assertTrue(refused.message().contains("SMS_CODE"), refused.message());
        assertFalse(refused.message().contains(SandboxDemoData.REGISTERED_PHONE));
        assertEquals(Optional.of(account), sandbox.backend.settlement().settlementAccount(MERCHANT_NUMBER));
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }

    @Test
    void theRefusalIsNotRememberedSoTheSameKeyGoesThroughOnceVerified() {
        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        assertEquals(Optional.empty(), sandbox.accounts.lookup(unbind.operation()));

        verify(MERCHANT_NUMBER);

        assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        assertEquals(1, sandbox.backend.requests().effectCount(unbind.idempotencyKey()));
    }

    @Test
    void oneVerificationAuthorisesOneOperationAndItsReplays() {
        sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, SMS, OperationKind.DISABLE_TERMINAL);
        sandbox.backend.addTerminal("0820000002", "PAX A920", MERCHANT_NUMBER);
        OperationContext first = context(OperationKind.DISABLE_TERMINAL, "k-dis-1");
        verify(MERCHANT_NUMBER);

        OperationOutcome done = assertDone(sandbox.devices.disableTerminal(first, TERMINAL_SERIAL));
        OperationOutcome.Rejected second = assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-dis-2"), "0820000002"));

        assertEquals("SBX-VERIFICATION-REQUIRED", second.providerCode());
        assertEquals(done, sandbox.devices.disableTerminal(first, TERMINAL_SERIAL));
        assertEquals(TerminalStatus.ACTIVE, sandbox.backend.terminals().terminal("0820000002").orElseThrow().status());
        verify(MERCHANT_NUMBER);
        assertDone(sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-dis-2"), "0820000002"));
    }

    @Test
    void anOperationRefusedForAnotherReasonDoesNotSpendTheVerification() {
        sandbox.backend.settlement().setUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL, Money.cny(45_000), 0);
        verify(MERCHANT_NUMBER);

        assertRejected(StandardErrorCode.FUNDS_UNSETTLED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
        sandbox.backend.settlement().settleAll(MERCHANT_NUMBER);

        assertPending(sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void anUnansweredWronglyAnsweredOrLockedChallengeAuthorisesNothing() {
        String challenge = assertDone(verification.issueChallenge(
                context(OperationKind.ISSUE_VERIFICATION, "k-issue"), MERCHANT_NUMBER, SMS)).providerReference();
        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        String wrong = SandboxVerificationTest.wrong(sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow());
        assertEquals(VerificationResult.WRONG_ANSWER, verification.checkAnswer(challenge, wrong));
        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));

        verification.checkAnswer(challenge, wrong);
        assertEquals(VerificationResult.LOCKED, verification.checkAnswer(challenge, wrong));
        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void aVerificationLapsesWhenItsValidityHasPassed() {
        verify(MERCHANT_NUMBER);
        sandbox.clock.advance(SMS.validFor());

        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void aVerificationByAnotherMethodThanTheDemandedOneAuthorisesNothing() {
        sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, new VerificationDemand(
                VerificationDemand.Method.OWN_ACCOUNT_CHECK, 3, Duration.ofDays(1)),
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        verify(MERCHANT_NUMBER);

        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void anotherMerchantsVerificationAuthorisesNothing() {
        sandbox.backend.addMerchant("898310058120002", "上海示例咖啡有限公司", "91110000802100433B", "李娜")
                .verifications().setRegisteredPhone("898310058120002", PhoneNumber.of("13912345678"));
        verify("898310058120002");

        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                sandbox.accounts.unbindSettlementAccount(unbind, MERCHANT_NUMBER, account));
    }

    @Test
    void operationsOnATerminalNeedTheVerificationOfItsMerchant() {
        sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, SMS, OperationKind.UNBIND_PERIPHERAL);

        assertRejected(StandardErrorCode.NOT_AUTHORIZED, sandbox.devices.unbindPeripheral(
                context(OperationKind.UNBIND_PERIPHERAL, "k-prl"), TERMINAL_SERIAL, sandbox.printer()));
        verify(MERCHANT_NUMBER);
        assertDone(sandbox.devices.unbindPeripheral(
                context(OperationKind.UNBIND_PERIPHERAL, "k-prl"), TERMINAL_SERIAL, sandbox.printer()));
    }

    @Test
    void aTransferNeedsTheVerificationOfTheMerchantThatReceivesTheTerminal() {
        TerminalTransferAdapter transfers = sandbox.provider.transferAdapter().orElseThrow();
        sandbox.backend.addMerchant("898310058120002", "上海示例咖啡有限公司", "91110000802100433B", "李娜")
                .addTerminal("0820000003", "PAX A920", TerminalStatus.UNBOUND, Optional.empty(), List.of())
                .verifications().setRegisteredPhone("898310058120002", PhoneNumber.of("13912345678"))
                .requireVerification("898310058120002", SMS, OperationKind.BIND_TERMINAL);
        OperationContext bind = context(OperationKind.BIND_TERMINAL, "k-bind");

        assertRejected(StandardErrorCode.NOT_AUTHORIZED,
                transfers.bindTerminal(bind, "0820000003", "898310058120002", Optional.empty()));
        verify("898310058120002");

        assertDone(transfers.bindTerminal(bind, "0820000003", "898310058120002", Optional.empty()));
        assertEquals(List.of("898310058120002"),
                sandbox.backend.terminals().terminal("0820000003").orElseThrow().boundMerchantNumbers());
    }

    @Test
    void unguardedOperationsOfAGuardedMerchantNeedNoVerification() {
        assertDone(sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-dis"), TERMINAL_SERIAL));
    }

    /** Issues a challenge to the merchant and answers it rightly, as the merchant would after reading the SMS. */
    private void verify(String merchantNumber) {
        challenges++;
        String challenge = assertDone(verification.issueChallenge(
                context(OperationKind.ISSUE_VERIFICATION, "k-verify-" + challenges), merchantNumber, SMS))
                .providerReference();
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(challenge,
                sandbox.backend.verifications().lastChallengeCode(merchantNumber).orElseThrow()));
    }
}
