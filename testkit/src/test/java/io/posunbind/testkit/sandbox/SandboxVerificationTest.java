package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxVerificationTest {

    static final VerificationDemand SMS = new VerificationDemand(VerificationDemand.Method.SMS_CODE, 3,
            Duration.ofMinutes(5));

    private final SandboxFixture sandbox = new SandboxFixture();
    private final VerificationAdapter verification = sandbox.provider.verificationAdapter().orElseThrow();
    private final OperationContext issue = context(OperationKind.ISSUE_VERIFICATION, "case-0001.verify.1");

    @Test
    void byDefaultNoOperationNeedsAVerification() {
        for (OperationKind kind : OperationKind.values()) {
            assertEquals(Optional.empty(), verification.demandFor(kind, MERCHANT_NUMBER));
        }
    }

    @Test
    void theDemandIsReportedForTheGuardedKindsOfThatMerchantOnly() {
        sandbox.backend.addMerchant("898310058120002", "上海示例咖啡有限公司", "91110000802100433B", "李娜")
                .verifications().requireVerification(MERCHANT_NUMBER, SMS, OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
                        OperationKind.DELETE_MERCHANT_INFO);

        assertEquals(Optional.of(SMS),
                verification.demandFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, MERCHANT_NUMBER));
        assertEquals(Optional.of(SMS), verification.demandFor(OperationKind.DELETE_MERCHANT_INFO, MERCHANT_NUMBER));
        assertEquals(Optional.empty(), verification.demandFor(OperationKind.DISABLE_TERMINAL, MERCHANT_NUMBER));
        assertEquals(Optional.empty(),
                verification.demandFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "898310058120002"));
        ProviderException unknown = assertThrows(ProviderException.class,
                () -> verification.demandFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "898310058129999"));
        assertEquals(StandardErrorCode.MERCHANT_NOT_FOUND, unknown.errorCode());
    }

    @Test
    void issuingAChallengeCannotItselfBeGuardedAndNeedsAKind() {
        assertThrows(IllegalArgumentException.class, () -> sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, SMS,
                OperationKind.ISSUE_VERIFICATION));
        assertThrows(IllegalArgumentException.class, () -> sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, SMS));
    }

    @Test
    void aChallengeSendsASixDigitCodeToTheMaskedRegisteredPhone() {
        OperationOutcome.Done done = assertDone(verification.issueChallenge(issue, MERCHANT_NUMBER, SMS));

        assertTrue(done.providerReference().startsWith("SBX-VRF-"), done.providerReference());
        assertEquals(Map.of("destination", "138****8000", "method", "SMS_CODE"), done.attributes());
        assertTrue(sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow().matches("\\d{6}"));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.ISSUE_VERIFICATION));
    }

    @Test
    void theSameKeyReplaysTheChallengeWithoutSendingASecondCode() {
        OperationContext retry = issue.withAttempt(2);
        OperationOutcome first = verification.issueChallenge(issue, MERCHANT_NUMBER, SMS);
        String code = sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow();

        OperationOutcome replay = verification.issueChallenge(retry, MERCHANT_NUMBER, SMS);

        assertEquals(first, replay);
        assertEquals(Optional.of(first), verification.lookup(issue.operation()));
        assertEquals(Optional.of(code), sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER));
        assertEquals(1, sandbox.backend.requests().effectCount(issue.idempotencyKey()));
        assertEquals(2, sandbox.backend.requests().callsFor(OperationKind.ISSUE_VERIFICATION));
        // The replayed challenge is the one that was sent, so its code still verifies it.
        assertEquals(VerificationResult.VERIFIED,
                verification.checkAnswer(assertDone(replay).providerReference(), code));
    }

    @Test
    void theSameKeyForAnotherDemandIsRejectedAsReused() {
        assertDone(verification.issueChallenge(issue, MERCHANT_NUMBER, SMS));

        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, verification.issueChallenge(issue, MERCHANT_NUMBER,
                new VerificationDemand(VerificationDemand.Method.SMS_CODE, 5, Duration.ofMinutes(5))));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.ISSUE_VERIFICATION));
    }

    @Test
    void theRightAnswerVerifiesOnceAndTheChallengeIsThenSpent() {
        String challenge = issue();
        String code = code();

        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(challenge, code));
        assertEquals(VerificationResult.EXPIRED, verification.checkAnswer(challenge, code));
    }

    @Test
    void wrongAnswersUseUpTheAttemptsAndThenTheChallengeIsLocked() {
        String challenge = issue();
        String wrong = wrong(code());

        assertEquals(VerificationResult.WRONG_ANSWER, verification.checkAnswer(challenge, wrong));
        assertEquals(VerificationResult.WRONG_ANSWER, verification.checkAnswer(challenge, "12345"));
        assertEquals(VerificationResult.LOCKED, verification.checkAnswer(challenge, wrong));
        assertEquals(VerificationResult.LOCKED, verification.checkAnswer(challenge, code()));
    }

    @Test
    void aRightAnswerAfterAWrongOneStillVerifies() {
        String challenge = issue();

        assertEquals(VerificationResult.WRONG_ANSWER, verification.checkAnswer(challenge, wrong(code())));
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(challenge, " " + code() + " "));
    }

    @Test
    void aChallengeExpiresOnTheBackendClock() {
        String late = issue();
        sandbox.clock.advance(Duration.ofMinutes(5));
        assertEquals(VerificationResult.EXPIRED, verification.checkAnswer(late, code()));

        String inTime = issueWithKey("case-0001.verify.2");
        sandbox.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(inTime, code()));
    }

    @Test
    void aNewChallengeSupersedesTheOneNotYetAnswered() {
        String first = issue();
        String firstCode = code();
        String second = issueWithKey("case-0001.verify.2");

        assertEquals(VerificationResult.EXPIRED, verification.checkAnswer(first, firstCode));
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(second, code()));
    }

    @Test
    void aNewChallengeOfAnotherMethodLeavesTheOpenOneAnswerable() {
        String sms = issue();
        String smsCode = code();
        assertDone(verification.issueChallenge(context(OperationKind.ISSUE_VERIFICATION, "case-0001.verify.2"),
                MERCHANT_NUMBER, new VerificationDemand(VerificationDemand.Method.OWN_ACCOUNT_CHECK, 3,
                        Duration.ofDays(2))));

        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(sms, smsCode));
    }

    @Test
    void anOwnAccountCheckSendsASmallDepositWhoseAmountIsTheAnswer() {
        VerificationDemand deposit = new VerificationDemand(VerificationDemand.Method.OWN_ACCOUNT_CHECK, 3,
                Duration.ofDays(2));

        OperationOutcome.Done done = assertDone(verification.issueChallenge(issue, MERCHANT_NUMBER, deposit));

        assertEquals("622202*********6789", done.attributes().get("destination"));
        String amount = code();
        assertTrue(amount.matches("0\\.\\d\\d") && !amount.equals("0.00"), amount);
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(done.providerReference(), amount));
    }

    @Test
    void aChallengeNeedsAKnownMerchantWithARegisteredPhoneOrAccount() {
        sandbox.backend.addMerchant("898310058120002", "上海示例咖啡有限公司", "91110000802100433B", "李娜");

        assertRejected(StandardErrorCode.MERCHANT_NOT_FOUND,
                verification.issueChallenge(issue, "898310058129999", SMS));
        OperationOutcome.Rejected noPhone = assertRejected(StandardErrorCode.INVALID_REQUEST,
                verification.issueChallenge(context(OperationKind.ISSUE_VERIFICATION, "k-2"), "898310058120002", SMS));
        assertEquals("SBX-PHONE-NOT-REGISTERED", noPhone.providerCode());
        assertRejected(StandardErrorCode.INVALID_REQUEST, verification.issueChallenge(
                context(OperationKind.ISSUE_VERIFICATION, "k-3"), "898310058120002",
                new VerificationDemand(VerificationDemand.Method.OWN_ACCOUNT_CHECK, 3, Duration.ofDays(1))));
        assertEquals(Optional.empty(), sandbox.backend.verifications().lastChallengeCode("898310058120002"));
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.ISSUE_VERIFICATION));
    }

    @Test
    void anUnknownChallengeCannotBeAnswered() {
        ProviderException error = assertThrows(ProviderException.class,
                () -> verification.checkAnswer("SBX-VRF-424242", "123456"));

        assertEquals(StandardErrorCode.INVALID_REQUEST, error.errorCode());
    }

    @Test
    void anAnswerThatCannotReachTheSandboxCostsNoAttempt() {
        VerificationDemand once = new VerificationDemand(VerificationDemand.Method.SMS_CODE, 1, Duration.ofMinutes(5));
        String challenge = assertDone(verification.issueChallenge(issue, MERCHANT_NUMBER, once)).providerReference();
        sandbox.backend.faults().failNextReads(1);

        ProviderException unavailable = assertThrows(ProviderException.class,
                () -> verification.checkAnswer(challenge, code()));

        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, unavailable.errorCode());
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(challenge, code()));
    }

    @Test
    void aTimedOutChallengeWasSentOnceAndTheLookupFindsIt() {
        sandbox.backend.faults().timeOutNext(OperationKind.ISSUE_VERIFICATION);

        assertInstanceOf(OperationOutcome.Unknown.class, verification.issueChallenge(issue, MERCHANT_NUMBER, SMS));

        OperationOutcome.Done found = assertDone(verification.lookup(issue.operation()).orElseThrow());
        assertEquals(found, verification.issueChallenge(issue, MERCHANT_NUMBER, SMS));
        assertEquals(1, sandbox.backend.requests().effectCount(issue.idempotencyKey()));
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(found.providerReference(), code()));
    }

    @Test
    void aChallengeThatFailedTransientlyOrWasLostSentNoCode() {
        sandbox.backend.faults().failNextTransiently(OperationKind.ISSUE_VERIFICATION, 1)
                .loseNext(OperationKind.ISSUE_VERIFICATION);

        assertInstanceOf(OperationOutcome.RetryableFailure.class,
                verification.issueChallenge(issue, MERCHANT_NUMBER, SMS));
        assertInstanceOf(OperationOutcome.Unknown.class, verification.issueChallenge(issue, MERCHANT_NUMBER, SMS));

        assertEquals(Optional.empty(), sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER));
        assertEquals(Optional.empty(), verification.lookup(issue.operation()));
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.ISSUE_VERIFICATION));
    }

    private String issue() {
        return assertDone(verification.issueChallenge(issue, MERCHANT_NUMBER, SMS)).providerReference();
    }

    private String issueWithKey(String key) {
        return assertDone(verification.issueChallenge(context(OperationKind.ISSUE_VERIFICATION, key), MERCHANT_NUMBER,
                SMS)).providerReference();
    }

    private String code() {
        return sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow();
    }

    /** Another six-digit code: the right one with its last digit changed. */
    static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }
}
