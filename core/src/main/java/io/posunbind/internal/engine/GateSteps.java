package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.OutcomeTexts.joined;
import static io.posunbind.internal.engine.StepHandler.require;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.UnsettledFunds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The steps that hold a case until something is in order, changing nothing at the provider: documents
 * ({@link StepKind#CHECK_DOCUMENTS}), the internal review, the merchant's fee consent, unsettled funds and
 * the final check that everything in scope was carried out. Thread-safe: it keeps no state.
 */
final class GateSteps {

    /** The steps that verifyCompletion requires done: they undo or make a binding, or set up the replacement. */
    private static final Set<StepKind> BINDING_STEPS = EnumSet.of(StepKind.UNBIND_TERMINAL,
            StepKind.BIND_TO_NEW_MERCHANT, StepKind.UNBIND_SETTLEMENT_ACCOUNT, StepKind.UNBIND_MERCHANT_INFO,
            StepKind.SET_UP_REPLACEMENT);

    private final Clock clock;
    private final Duration pollInterval;
    private final DocumentRules documentRules;

    GateSteps(Clock clock, Duration pollInterval, DocumentRules documentRules) {
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.documentRules = documentRules;
    }

    /** Registers one handler per step kind this class carries out. */
    void register(StepHandlers.Registry registry) {
        registry.add(StepKind.CHECK_DOCUMENTS, (document, step, provider, checkpoint) ->
                checkDocuments(document, provider));
        registry.add(StepKind.INTERNAL_REVIEW, (document, step, provider, checkpoint) -> internalReview(document));
        registry.add(StepKind.AGREE_FEES, (document, step, provider, checkpoint) ->
                agreeFees(document, step, provider));
        registry.add(StepKind.AWAIT_SETTLEMENT, (document, step, provider, checkpoint) ->
                awaitSettlement(document, step, provider));
        registry.add(StepKind.VERIFY_COMPLETION, (document, step, provider, checkpoint) ->
                verifyCompletion(document));
    }

    /** The documents the provider requires on top of the checklist, plus those the institution asked for. */
    static List<DocumentKind> extraDocuments(CaseDocument document, PaymentProvider provider) {
        List<DocumentKind> extra = new ArrayList<>(document.extraRequiredDocuments);
        extra.addAll(provider.additionalDocuments(document.request.reason().name(),
                document.request.scope().stream().map(Enum::name).collect(Collectors.toSet()),
                document.request.replacement().isPresent()));
        return extra;
    }

    /**
     * The checklist the case follows: the one fixed when it was opened, or for a case stored before
     * checklists existed (or no provider at hand) the provider's, else the Chinese one it was opened under.
     */
    static DocumentChecklist checklist(CaseDocument document, PaymentProvider provider) {
        if (document.checklist != null) {
            return document.checklist;
        }
        return provider == null ? DocumentChecklist.china() : provider.documentChecklist();
    }

    private StepResult checkDocuments(CaseDocument document, PaymentProvider provider) {
        List<RuleViolation> violations = documentRules.check(document.request, checklist(document, provider),
                extraDocuments(document, provider), document.documents, document.terminal, document.merchantInfo);
        if (violations.isEmpty()) {
            return new StepResult.Done(document.documents.size() + " document(s) in order");
        }
        document.violations = new ArrayList<>(violations);
        return new StepResult.Wait(WaitReason.DOCUMENTS, null, violations.size() + " problem(s): "
                + joined(violations));
    }

    private StepResult internalReview(CaseDocument document) {
        if (document.internalReviewApproved == null) {
            return new StepResult.Wait(WaitReason.INTERNAL_REVIEW, null,
                    "a reviewer other than " + document.request.requestedBy().id() + " approves or rejects");
        }
        if (!document.internalReviewApproved) {
            return new StepResult.Stop(CaseState.REJECTED, CoreErrorCode.INTERNAL_REVIEW_REJECTED.code(),
                    "Reviewer " + document.internalReviewer + " rejected the unbind");
        }
        return new StepResult.Done("approved by " + document.internalReviewer + " (four eyes)");
    }

    private StepResult agreeFees(CaseDocument document, StepRecord step, PaymentProvider provider) {
        Instant now = clock.instant();
        if (document.feeQuote == null || !now.isBefore(document.feeQuote.validUntil())) {
            FeeQuote quote = require(provider.feeQuoteAdapter(), "fee quote").quoteFees(
                    document.request.merchantNumber(), document.request.terminalSerial(),
                    document.request.scope().stream().map(Enum::name).collect(Collectors.toSet()));
            if (document.feeConsent != null && !consentMatches(document, quote)) {
                // A changed quote voids the consent: the merchant agrees to exact amounts only.
                document.feeConsent = null;
            }
            document.feeQuote = quote;
        }
        FeeQuote quote = document.feeQuote;
        if (!quote.chargesMerchant()) {
            return new StepResult.Done("no fee to pay (total " + quote.total() + ")");
        }
        if (document.feeConsent != null && consentMatches(document, quote)) {
            return new StepResult.Done("merchant agreed to quote " + quote.quoteId() + ", total " + quote.total());
        }
        document.violations = new ArrayList<>(List.of(RuleViolation.of(RuleCode.FEE_CONSENT_REQUIRED, "feeQuote",
                "The merchant must agree to quote " + quote.quoteId() + " totalling " + quote.total()
                        + " before any fee is incurred")));
        return new StepResult.Wait(WaitReason.FEE_CONSENT, null, "quote " + quote.quoteId() + ", total "
                + quote.total());
    }

    private static boolean consentMatches(CaseDocument document, FeeQuote quote) {
        return document.feeConsent.quoteId().equals(quote.quoteId())
                && document.feeConsent.total().equals(quote.total());
    }

    private StepResult awaitSettlement(CaseDocument document, StepRecord step, PaymentProvider provider) {
        AccountUnbindAdapter account = require(provider.accountAdapter(), "account");
        UnsettledFunds funds = account.readUnsettledFunds(document.request.merchantNumber(),
                document.request.terminalSerial());
        if (funds.settled()) {
            return new StepResult.Done("nothing unsettled, no transaction in flight");
        }
        Instant now = clock.instant();
        Instant next = funds.expectedSettlementTime().filter(now::isBefore).orElse(now.plus(pollInterval));
        document.violations = new ArrayList<>(List.of(RuleViolation.of(RuleCode.FUNDS_UNSETTLED, "settlement",
                funds.amount() + " unsettled and " + funds.inFlightTransactions()
                        + " transaction(s) in flight; nothing is unbound until they settle")));
        return new StepResult.Wait(WaitReason.SETTLEMENT, next,
                funds.amount() + " unsettled, " + funds.inFlightTransactions() + " in flight");
    }

    private StepResult verifyCompletion(CaseDocument document) {
        List<RuleViolation> violations = new ArrayList<>();
        if (document.request.replacement().isPresent()) {
            // A skipped test is no test: both steps must have been carried out.
            boolean tested = document.steps.stream()
                    .filter(s -> s.kind == StepKind.RUN_TEST_TRANSACTION || s.kind == StepKind.VOID_TEST_TRANSACTION)
                    .count() == 2
                    && document.steps.stream()
                            .filter(s -> s.kind == StepKind.RUN_TEST_TRANSACTION
                                    || s.kind == StepKind.VOID_TEST_TRANSACTION)
                            .allMatch(s -> s.status == StepStatus.DONE);
            if (!tested) {
                violations.add(RuleViolation.of(RuleCode.REPLACEMENT_NOT_TESTED, "replacement",
                        "The replacement terminal must pass a voided test transaction before the case completes"));
            }
        }
        // The steps that undo, bind or set up are never skipped; one that was (a case stored by an older
        // engine) did not happen, and the case must not complete as if it had.
        List<String> notDone = document.steps.stream()
                .filter(s -> BINDING_STEPS.contains(s.kind) && s.status != StepStatus.DONE)
                .map(s -> s.kind + " " + s.status).toList();
        if (!notDone.isEmpty()) {
            violations.add(new RuleViolation(CoreErrorCode.BINDING_STEP_NOT_DONE.code(), "steps",
                    "These steps must be carried out before the case completes: " + String.join(", ", notDone)));
        }
        if (document.backup == null || !document.backup.verified) {
            violations.add(new RuleViolation(CoreErrorCode.BACKUP_UNVERIFIED.code(), "backup",
                    "The old terminal's data was not backed up and verified"));
        }
        if (!violations.isEmpty()) {
            document.violations = violations;
            return new StepResult.Stop(CaseState.BLOCKED, violations.get(0).code(), joined(violations));
        }
        return new StepResult.Done("every binding in scope unbound" + (document.request.replacement().isPresent()
                ? ", replacement set up and tested" : ""));
    }
}
