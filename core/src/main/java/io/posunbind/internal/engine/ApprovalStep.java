package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.OutcomeTexts.joined;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.internal.engine.ProviderOperations.Operation;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.UnbindApplication;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StepKind#OBTAIN_INSTITUTION_APPROVAL}: submits the application once, then polls for (or is told)
 * the institution's decision; more information asked for starts a new round. Thread-safe: no state.
 */
final class ApprovalStep implements StepHandler {

    private final Clock clock;
    private final Duration pollInterval;
    private final DocumentRules documentRules;
    private final ProviderOperations operations;

    ApprovalStep(Clock clock, Duration pollInterval, DocumentRules documentRules, ProviderOperations operations) {
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.documentRules = documentRules;
        this.operations = operations;
    }

    @Override
    public StepResult run(CaseDocument document, StepRecord step, PaymentProvider provider, Checkpoint checkpoint) {
        return obtainApproval(document, step, provider, checkpoint);
    }

    private StepResult obtainApproval(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        if (document.decision != null) {
            return decide(document, step);
        }
        InstitutionApproval approval = provider.institutionApproval();
        if (approval == InstitutionApproval.NOT_NEEDED) {
            // Planned while the provider still declared an approval: it declares none any more.
            return new StepResult.Skipped(CoreErrorCode.APPROVAL_NOT_NEEDED.code(),
                    "the provider declares that no institution approves its unbinds");
        }
        Optional<InstitutionApplicationAdapter> adapter = provider.applicationAdapter();
        if (adapter.isEmpty() || approval == InstitutionApproval.ELSEWHERE) {
            return new StepResult.Wait(WaitReason.INSTITUTION_DECISION, null,
                    "apply to the institution and record its decision");
        }
        List<RuleViolation> missing = documentRules.check(document.request, GateSteps.checklist(document, provider),
                GateSteps.extraDocuments(document, provider),
                document.documents, document.terminal, document.merchantInfo);
        if (!missing.isEmpty()) {
            document.violations = new ArrayList<>(missing);
            return new StepResult.Wait(WaitReason.DOCUMENTS, null, "the institution asks for: " + joined(missing));
        }
        InstitutionApplicationAdapter institution = adapter.get();
        if (document.applicationReference == null) {
            UnbindApplication application = new UnbindApplication(document.id, document.request.merchantNumber(),
                    document.merchantInfo == null ? document.request.merchantNumber() : document.merchantInfo.name(),
                    document.request.terminalSerial(), document.request.reason() + reasonNote(document.request),
                    document.documents);
            Operation submitted = operations.operate(document, step, provider, institution,
                    OperationKind.SUBMIT_APPLICATION,
                    checkpoint, true, OperationTarget.terminal(document.request.merchantNumber(),
                            document.request.terminalSerial()), Map.of(),
                    context -> institution.submitApplication(context, application));
            if (submitted.result() != null) {
                return submitted.result();
            }
            document.applicationReference = submitted.providerReference();
        }
        Optional<InstitutionDecision> decision = institution.readDecision(document.applicationReference);
        if (decision.isEmpty()) {
            return new StepResult.Wait(WaitReason.INSTITUTION_DECISION, clock.instant().plus(pollInterval),
                    "application " + document.applicationReference + " under review");
        }
        document.decision = decision.get();
        return decide(document, step);
    }

    private StepResult decide(CaseDocument document, StepRecord step) {
        InstitutionDecision decision = document.decision;
        return switch (decision.outcome()) {
            case APPROVED -> new StepResult.Done("approved, application " + decision.applicationReference());
            case REJECTED -> new StepResult.Stop(CaseState.REJECTED, CoreErrorCode.INSTITUTION_REJECTED.code(),
                    "The institution rejected application " + decision.applicationReference() + " ("
                            + decision.reasonCode() + "): " + decision.message());
            case MORE_INFORMATION_REQUIRED -> {
                // Ask for the documents, then submit again as a new round with a new idempotency key.
                for (var kind : decision.requestedDocuments()) {
                    if (!document.extraRequiredDocuments.contains(kind)) {
                        document.extraRequiredDocuments.add(kind);
                    }
                    document.documents.removeIf(existing -> existing.kind() == kind);
                }
                document.decision = null;
                if (document.applicationReference != null) {
                    document.supersededApplications.add(document.applicationReference);
                }
                document.applicationReference = null;
                step.round++;
                step.attempts = 0;
                step.providerReference = null;
                step.pending = false;
                step.outcomeUnknown = false;
                step.lookUpBeforeResend = false;
                List<RuleViolation> missing = documentRules.check(document.request, GateSteps.checklist(document, null),
                        document.extraRequiredDocuments, document.documents, document.terminal, document.merchantInfo);
                document.violations = new ArrayList<>(missing);
                yield new StepResult.Wait(WaitReason.DOCUMENTS, null,
                        "the institution needs more information: " + decision.message());
            }
        };
    }

    private static String reasonNote(UnbindRequest request) {
        return request.reasonNote().isBlank() ? "" : ": " + request.reasonNote();
    }
}
