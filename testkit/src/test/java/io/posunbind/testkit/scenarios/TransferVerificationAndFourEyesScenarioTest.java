package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.TransferTarget;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transfers (换绑), verification challenges, provider limits and four-eyes review. */
class TransferVerificationAndFourEyesScenarioTest {

    private static final String RECEIVER = "898310058120009";

    @Test
    void aTerminalIsTransferredToAnotherMerchantNeverBoundToBoth() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.addMerchant(RECEIVER, "接收商户", "91110000802100433B", "王五");

        CaseSnapshot opened = merchant.unbinder.open(MerchantCase.request()
                .reason(io.posunbind.UnbindReason.OWNERSHIP_TRANSFER)
                .scope(BindingKind.DEVICE)
                .transferTo(TransferTarget.to(RECEIVER))
                .documents(new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE,
                                SandboxDemoData.MERCHANT_NAME),
                        new Document.TerminalInformation(TERMINAL_SERIAL, SandboxDemoData.TERMINAL_MODEL),
                        new Document.FileReference(io.posunbind.spi.model.DocumentKind.OWNERSHIP_TRANSFER_AGREEMENT,
                                "contracts/transfer-2026-11.pdf",
                                "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"))
                .build());
        CaseSnapshot done = merchant.agreeToFees(opened);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        var terminal = merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow();
        assertEquals(TerminalStatus.ACTIVE, terminal.status());
        assertEquals(List.of(RECEIVER), terminal.boundMerchantNumbers());
        assertTrue(done.steps(StepKind.DECOMMISSION_TERMINAL).isEmpty(), "a transferred terminal stays in service");
        assertTrue(done.history().stream().anyMatch(h -> h.detail().contains("PBOC 259 mapping change")));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.BIND_TERMINAL));
    }

    @Test
    void aTransferToAnUnknownMerchantIsBlockedBeforeAnythingChanges() {
        MerchantCase merchant = new MerchantCase();
        var preview = merchant.unbinder.preview(MerchantCase.request().scope(BindingKind.DEVICE)
                .transferTo(TransferTarget.to("898310099999999")).documents(allDocuments()).build());
        assertTrue(preview.violations().stream().map(RuleViolation::code).toList()
                .contains("RULE-TRANSFER-TARGET-UNKNOWN"), preview.violations().toString());
        assertEquals(0, merchant.sandbox.requests().effects().size());
    }

    @Test
    void anSmsCodeGuardsTheSettlementAccountChange() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.verifications().requireVerification(MERCHANT_NUMBER,
                new VerificationDemand(VerificationDemand.Method.SMS_CODE, 3, Duration.ofMinutes(5)),
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot challenged = merchant.agreeToFees(opened);
        assertTrue(challenged.isWaitingFor(WaitReason.VERIFICATION), challenged.toString());
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));

        // A wrong code: still waiting, with a coded problem; the account is untouched.
        CaseSnapshot wrong = merchant.unbinder.answerVerification(opened.id(), MerchantCase.MERCHANT, "000000");
        assertTrue(wrong.isWaitingFor(WaitReason.VERIFICATION));
        assertEquals("RULE-VERIFICATION-FAILED", wrong.violations().get(0).code());

        String code = merchant.sandbox.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow();
        CaseSnapshot done = merchant.unbinder.answerVerification(opened.id(), MerchantCase.MERCHANT, code);
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
        assertTrue(done.history().stream().noneMatch(h -> h.detail().contains(code)), "the code is never stored");
    }

    @Test
    void anUnansweredChallengeExpiresAndTheCaseFailsAfterThreeChallenges() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.verifications().requireVerification(MERCHANT_NUMBER,
                new VerificationDemand(VerificationDemand.Method.SMS_CODE, 3, Duration.ofMinutes(5)),
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);

        CaseSnapshot failed = merchant.letTimePass(opened.id(), Duration.ofMinutes(6), 5);

        assertEquals(CaseState.FAILED, failed.state());
        assertEquals("RULE-VERIFICATION-FAILED", failed.failureCode().orElseThrow());
        assertEquals(3, merchant.sandbox.requests().effectsFor(OperationKind.ISSUE_VERIFICATION));
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }

    @Test
    void anAccountChangedTooRecentlyIsKnownBeforeAnythingChanges() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.settlement().setAccountChangeLimit(MERCHANT_NUMBER, Duration.ofDays(30),
                merchant.clock.instant().minus(Duration.ofDays(3)));
        CaseSnapshot blocked = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertEquals(CaseState.BLOCKED, blocked.state());
        assertEquals("RULE-ACCOUNT-CHANGE-TOO-SOON", blocked.failureCode().orElseThrow());
        assertEquals(0, merchant.sandbox.requests().effects().size());
    }

    @Test
    void theRequesterCannotApproveItsOwnRequest() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        Unbinder withReview = merchant.builderOn(new InMemoryCaseStore()).internalReview(true).build();
        CaseSnapshot opened = withReview.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.INTERNAL_REVIEW), opened.toString());

        PosUnbindException selfApproval = assertThrows(PosUnbindException.class,
                () -> withReview.approveInternally(opened.id(), MerchantCase.OPERATOR, "looks fine"));
        assertEquals(CoreErrorCode.FOUR_EYES_VIOLATION, selfApproval.errorCode());
        assertTrue(withReview.find(opened.id()).orElseThrow().isWaitingFor(WaitReason.INTERNAL_REVIEW));

        CaseSnapshot approved = withReview.approveInternally(opened.id(), Actor.operator("operator:chen.jing"),
                "documents checked against the originals");
        assertTrue(approved.isWaitingFor(WaitReason.FEE_CONSENT), approved.toString());
        assertTrue(approved.history().stream().anyMatch(h -> h.event().equals("INTERNAL_APPROVAL")
                && h.actorId().equals("operator:chen.jing")));
        assertFalse(approved.history().stream().anyMatch(h -> h.event().equals("INTERNAL_APPROVAL")
                && h.actorId().equals(MerchantCase.OPERATOR.id())));
    }
}
