package io.posunbind;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeQuote;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What opening a request would do, computed without changing anything anywhere (a dry run): the plan,
 * the documents required and missing, the fees, every rule violation, and the waits to expect.
 * Immutable.
 *
 * @param request            the request previewed
 * @param plan               the steps, in order: {@link StepStatus#PLANNED}, or {@link StepStatus#SKIPPED}
 *                           with the reason as last code and message when they do not apply at the provider
 * @param requiredDocuments  the documents the case needs
 * @param missingDocuments   those not yet submitted with the request
 * @param violations         everything that would stop or hold the case, all at once
 * @param fees               the provider's fee quote, when it quotes fees
 * @param expectedWaits      the waits to expect (consent, approval, settlement, verification)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record UnbindPreview(UnbindRequest request, List<StepSnapshot> plan, Set<DocumentKind> requiredDocuments,
        Set<DocumentKind> missingDocuments, List<RuleViolation> violations, Optional<FeeQuote> fees,
        List<ExpectedWait> expectedWaits) {

    /** Checks and copies the fields. */
    public UnbindPreview {
        Objects.requireNonNull(request, "request");
        plan = List.copyOf(plan);
        requiredDocuments = Set.copyOf(requiredDocuments);
        missingDocuments = Set.copyOf(missingDocuments);
        violations = List.copyOf(violations);
        Objects.requireNonNull(fees, "fees");
        expectedWaits = List.copyOf(expectedWaits);
    }

    /** The steps of the plan that would be skipped at the provider, each with why, in plan order. */
    public List<StepSnapshot> skippedSteps() {
        return plan.stream().filter(step -> step.status() == StepStatus.SKIPPED).toList();
    }

    /** Whether the request, opened now, would run without being blocked or asked for documents. */
    public boolean canProceed() {
        return violations.isEmpty();
    }
}
