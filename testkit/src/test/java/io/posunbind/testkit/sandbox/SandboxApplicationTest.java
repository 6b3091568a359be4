package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxFixture.application;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.UnbindApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxApplicationTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final OperationContext submit = context(OperationKind.SUBMIT_APPLICATION, "case-0001.apply.1");
    private final UnbindApplication application = application("更换支付系统");

    @Test
    void theApplicationIsUnderReviewUntilTheInstitutionDecides() {
        String reference = assertPending(sandbox.applications.submitApplication(submit, application))
                .providerReference().orElseThrow();
        assertEquals(Optional.empty(), sandbox.applications.readDecision(reference));
        assertEquals(Optional.of(application), sandbox.backend.reviews().application(reference));

        sandbox.clock.advance(Duration.ofDays(2));
        sandbox.backend.reviews().approve(reference);

        InstitutionDecision decision = sandbox.applications.readDecision(reference).orElseThrow();
        assertEquals(InstitutionDecision.Outcome.APPROVED, decision.outcome());
        assertEquals(sandbox.clock.instant(), decision.decidedAt());
        OperationOutcome.Done done = assertDone(sandbox.applications.lookup(submit.operation()).orElseThrow());
        assertEquals(Map.of("decision", "APPROVED"), done.attributes());
    }

    @Test
    void theInstitutionCanRejectOrAskForMoreDocuments() {
        String rejectedRef = assertPending(sandbox.applications.submitApplication(submit, application))
                .providerReference().orElseThrow();
        sandbox.backend.reviews().reject(rejectedRef, "R-017", "营业执照已过期");
        assertEquals(InstitutionDecision.Outcome.REJECTED,
                sandbox.applications.readDecision(rejectedRef).orElseThrow().outcome());

        String moreRef = assertPending(sandbox.applications.submitApplication(
                context(OperationKind.SUBMIT_APPLICATION, "case-0001.apply.2"), application))
                .providerReference().orElseThrow();
        sandbox.backend.reviews().requestMoreInformation(moreRef, "请补充法人身份证明",
                List.of(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY));
        InstitutionDecision more = sandbox.applications.readDecision(moreRef).orElseThrow();
        assertEquals(InstitutionDecision.Outcome.MORE_INFORMATION_REQUIRED, more.outcome());
        assertEquals(List.of(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY), more.requestedDocuments());
    }

    @Test
    void readingTheDecisionCountsAsAPoll() {
        sandbox.backend.setCompletionPolicy(CompletionPolicy.afterPolls(3));
        String reference = assertPending(sandbox.applications.submitApplication(submit, application))
                .providerReference().orElseThrow();

        assertEquals(Optional.empty(), sandbox.applications.readDecision(reference));
        assertPending(sandbox.applications.lookup(submit.operation()).orElseThrow());
        assertEquals(InstitutionDecision.Outcome.APPROVED,
                sandbox.applications.readDecision(reference).orElseThrow().outcome());
    }

    @Test
    void theImmediatePolicyApprovesOnSubmission() {
        sandbox.backend.setCompletionPolicy(CompletionPolicy.immediate());

        OperationOutcome.Done done = assertDone(sandbox.applications.submitApplication(submit, application));

        assertEquals(InstitutionDecision.Outcome.APPROVED,
                sandbox.applications.readDecision(done.providerReference()).orElseThrow().outcome());
    }

    @Test
    void anApplicationUnderAnotherMerchantNameIsRefused() {
        UnbindApplication wrongName = new UnbindApplication(SandboxFixture.CASE_ID, SandboxDemoData.MERCHANT_NUMBER,
                "上海别家餐饮有限公司", SandboxDemoData.TERMINAL_SERIAL, "closure", List.of());

        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.applications.submitApplication(submit, wrongName));
    }

    @Test
    void anUnknownApplicationReferenceIsAnError() {
        ProviderException error = assertThrows(ProviderException.class,
                () -> sandbox.applications.readDecision("SBX-APP-999999"));
        assertEquals(StandardErrorCode.INVALID_REQUEST, error.errorCode());
    }

    @Test
    void anApplicationIsDecidedOnlyOnce() {
        String reference = assertPending(sandbox.applications.submitApplication(submit, application))
                .providerReference().orElseThrow();
        sandbox.backend.reviews().approve(reference);

        assertThrows(IllegalStateException.class, () -> sandbox.backend.reviews().reject(reference, "R-1", "no"));
        assertThrows(IllegalArgumentException.class, () -> sandbox.backend.reviews().completePending(reference));
    }
}
