package io.posunbind.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.posunbind.BindingKind;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.ReplacementTerminal;
import io.posunbind.RetryPolicy;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.internal.plan.PlannedStep;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.internal.rules.InventoryRules;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationLookup;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalSetup;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UnbindApplication;
import io.posunbind.spi.model.UnsettledFunds;
import io.posunbind.validation.TerminalSerialNumberValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one step of a case against its provider. Knows what each {@link StepKind} does; the
 * {@link UnbindEngine} around it decides when to run it and stores what it did.
 *
 * <p>Provider operations go through {@link #operate}: the same idempotency key on every attempt,
 * reconciliation through {@link OperationLookup} when an earlier outcome is unknown, polling of pending
 * operations, capped jittered back-off for transient failures. Thread-safe: it keeps no state.
 */
final class StepExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);

    /**
     * How long one provider call may take, told to the adapter as its time budget: the case's lease is
     * renewed meanwhile, but the case (and a worker thread) waits on the call, so an adapter should rather
     * answer {@code Unknown} and let a lookup find the outcome later.
     */
    static final Duration CALL_BUDGET = Duration.ofSeconds(30);

    /** The steps that verifyCompletion requires done: they undo or make a binding, or set up the replacement. */
    private static final java.util.Set<StepKind> BINDING_STEPS = java.util.EnumSet.of(StepKind.UNBIND_TERMINAL,
            StepKind.BIND_TO_NEW_MERCHANT, StepKind.UNBIND_SETTLEMENT_ACCOUNT, StepKind.UNBIND_MERCHANT_INFO,
            StepKind.SET_UP_REPLACEMENT);

    /** The smallest test transaction: one minor unit, voided right after. */
    private static final long TEST_TRANSACTION_MINOR_UNITS = 1;

    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final Duration pollInterval;
    private final RandomGenerator random;
    private final Planner planner;
    private final DocumentRules documentRules;
    private final InventoryRules inventoryRules = new InventoryRules();
    private final io.posunbind.backup.BackupVault vault;
    private final ProviderCallObserver calls;

    /** Told of every call that may change something at the provider, with its result, for the audit trail. */
    @FunctionalInterface
    interface ProviderCallObserver {
        void called(CaseDocument document, OperationKind kind, String key, int attempt, String result,
                boolean succeeded);
    }

    StepExecutor(Clock clock, RetryPolicy retryPolicy, Duration pollInterval, RandomGenerator random, Planner planner,
            DocumentRules documentRules, io.posunbind.backup.BackupVault vault, ProviderCallObserver calls) {
        this.vault = vault;
        this.calls = calls;
        this.clock = clock;
        this.retryPolicy = retryPolicy;
        this.pollInterval = pollInterval;
        this.random = random;
        this.planner = planner;
        this.documentRules = documentRules;
    }

    /**
     * Executes a step.
     *
     * @param checkpoint stores the case now; called before a provider call whose repetition the provider
     *                   would not recognise, so a crash leaves a trace to reconcile from
     */
    StepResult execute(CaseDocument document, StepRecord step, PaymentProvider unguarded, Runnable checkpoint) {
        // Every call into the provider's code is marked, so that a failure below says whose it was.
        PaymentProvider provider = AdapterGuard.guard(unguarded);
        try {
            StepResult result = switch (step.kind) {
                case TAKE_INVENTORY -> takeInventory(document, step, provider);
                case CHECK_DOCUMENTS -> checkDocuments(document, provider);
                case BACK_UP_TERMINAL_DATA -> backUp(document, step, provider);
                case INTERNAL_REVIEW -> internalReview(document);
                case AGREE_FEES -> agreeFees(document, step, provider);
                case OBTAIN_INSTITUTION_APPROVAL -> obtainApproval(document, step, provider, checkpoint);
                case AWAIT_SETTLEMENT -> awaitSettlement(document, step, provider);
                case UNBIND_PERIPHERAL -> unbindPeripheral(document, step, provider, checkpoint);
                case DISABLE_TERMINAL -> disableTerminal(document, step, provider, checkpoint);
                case UNBIND_TERMINAL -> deviceOperation(document, step, provider, checkpoint,
                        OperationKind.UNBIND_TERMINAL, Map.of(), DeviceUnbindAdapter::unbindTerminal);
                case BIND_TO_NEW_MERCHANT -> bindToNewMerchant(document, step, provider, checkpoint);
                case UNBIND_SETTLEMENT_ACCOUNT -> unbindAccount(document, step, provider, checkpoint);
                case UNBIND_MERCHANT_INFO -> unbindMerchantInfo(document, step, provider, checkpoint);
                case DECOMMISSION_TERMINAL -> deviceOperation(document, step, provider, checkpoint,
                        OperationKind.DECOMMISSION_TERMINAL, Map.of(), DeviceUnbindAdapter::decommissionTerminal);
                case SET_UP_REPLACEMENT -> setUpReplacement(document, step, provider, checkpoint);
                case UPDATE_REPLACEMENT_SOFTWARE -> setupOperation(document, step, provider, checkpoint,
                        OperationKind.UPDATE_TERMINAL_SOFTWARE, Map.of(),
                        (adapter, context) -> adapter.updateSoftware(context, replacement(document).serialNumber()));
                case RUN_TEST_TRANSACTION -> runTestTransaction(document, step, provider, checkpoint);
                case VOID_TEST_TRANSACTION -> document.testTransactionReference == null
                        // The provider answered that a test transaction does not apply: nothing to void.
                        ? new StepResult.Skipped(CoreErrorCode.OPERATION_NOT_APPLICABLE.code(),
                                "no test transaction was run")
                        : setupOperation(document, step, provider, checkpoint, OperationKind.VOID_TEST_TRANSACTION,
                                Map.of("testTransaction", String.valueOf(document.testTransactionReference)),
                        (adapter, context) -> adapter.voidTestTransaction(context, replacement(document).serialNumber(),
                                document.testTransactionReference));
                case VERIFY_COMPLETION -> verifyCompletion(document);
            };
            if (!(result instanceof StepResult.Wait wait && wait.reason() == WaitReason.RETRY)) {
                step.consecutiveFailures = 0;
            }
            return result;
        } catch (PosUnbindException e) {
            // Reads answer with exceptions: transient ones are retried, the rest stop the case.
            return e.retryable() ? retryLater(step, e.errorCode().code(), e.getMessage())
                    : new StepResult.Stop(CaseState.FAILED, e.errorCode().code(), e.getMessage());
        } catch (AdapterGuard.AdapterFailure e) {
            // An adapter broke its contract (an uncoded exception from a read): treat it as the provider
            // being unavailable and retry, keeping what the adapter said.
            return retryLater(step, StandardErrorCode.PROVIDER_UNAVAILABLE.code(), e.getMessage());
        } catch (RuntimeException e) {
            return engineFault(document, step, e);
        }
    }

    /**
     * A failure of posunbind's own code: retrying would only repeat it, and calling it the provider's
     * would send operators to the wrong place. The case stops for an operator, who may retry it once the
     * cause is fixed; an operation whose outcome was unknown is reconciled first then.
     */
    private static StepResult engineFault(CaseDocument document, StepRecord step, RuntimeException fault) {
        LOG.error("Engine fault in case {} at step {} {}; the case stops with {} for an operator", document.id,
                step.number, step.kind, CoreErrorCode.ENGINE_FAULT.code(), ScrubbedFault.of(fault));
        return new StepResult.Stop(CaseState.FAILED, CoreErrorCode.ENGINE_FAULT.code(), "posunbind failed inside"
                + " the engine at " + step.kind + " with " + AdapterGuard.describe(fault) + "; nothing points to"
                + " the provider. Report it with the log, then retry the case as an operator once it is fixed");
    }

    // --- reading and checking ----------------------------------------------------------------------

    private StepResult takeInventory(CaseDocument document, StepRecord step, PaymentProvider provider) {
        UnbindRequest request = document.request;
        DeviceUnbindAdapter device = require(provider.deviceAdapter(), "device");
        // The SPI promises adapters a serial of their own shape: check it before anything is sent.
        List<RuleViolation> badSerials = serialShape(request, provider);
        if (!badSerials.isEmpty()) {
            document.violations = new ArrayList<>(badSerials);
            return new StepResult.Stop(CaseState.BLOCKED, badSerials.get(0).code(), joined(badSerials));
        }
        document.terminal = device.readTerminal(request.terminalSerial());
        if (document.terminal.status() == TerminalStatus.IN_TRANSITION) {
            // A reassignment is under way at the provider: whatever is read now is about to change, so
            // nothing is checked or changed until it settles. The inventory is taken again then.
            return new StepResult.Wait(WaitReason.PROVIDER_OPERATION, clock.instant().plus(pollInterval),
                    "terminal " + request.terminalSerial() + " is being moved at the provider; the inventory is"
                            + " taken again once it settles");
        }
        document.settlementAccount = provider.accountAdapter()
                .flatMap(adapter -> adapter.readSettlementAccount(request.merchantNumber())).orElse(null);
        document.merchantInfo = provider.merchantInfoAdapter()
                .flatMap(adapter -> adapter.readMerchantInfo(request.merchantNumber())).orElse(null);
        List<RuleViolation> violations = new ArrayList<>(inventoryRules.check(request, document.terminal,
                checklist(document, provider)));
        violations.addAll(providerLimits(request, provider, clock.instant()));
        violations.addAll(planner.checkMerchantInfoOperation(request, document.terminal, document.merchantInfo,
                provider.supportedOperations()));
        if (!violations.isEmpty()) {
            document.violations = new ArrayList<>(violations);
            return new StepResult.Stop(CaseState.BLOCKED, violations.get(0).code(), joined(violations));
        }
        if (!document.planExpanded) {
            expandPlan(document, provider);
        }
        return new StepResult.Done("terminal " + document.terminal.serialNumber() + " (" + document.terminal.model()
                + ", " + document.terminal.status() + ") with " + document.terminal.peripherals().size()
                + " peripheral(s); settlement account "
                + (document.settlementAccount == null ? "none" : document.settlementAccount.number().masked())
                + "; merchant info " + (document.merchantInfo == null ? "none" : document.merchantInfo.name()));
    }

    /**
     * The old and the replacement terminal's serials against the provider's shape; a provider that
     * publishes none gets the engine's default one, as the SPI promises. Reads nothing from the provider.
     */
    static List<RuleViolation> serialShape(UnbindRequest request, PaymentProvider provider) {
        List<RuleViolation> violations = new ArrayList<>();
        Pattern pattern = provider.terminalSerialPattern().orElse(TerminalSerialNumberValidator.defaultPattern());
        List<String> serials = new ArrayList<>(List.of(request.terminalSerial()));
        request.replacement().ifPresent(replacement -> serials.add(replacement.serialNumber()));
        for (String serial : serials) {
            if (!pattern.matcher(serial).matches()) {
                violations.add(RuleViolation.of(RuleCode.SERIAL_NUMBER_INVALID, "terminalSerial",
                        "Serial number " + serial + " does not have " + provider.id() + "'s shape "
                                + pattern.pattern()));
            }
        }
        return violations;
    }

    /**
     * Rules that need the provider's own data: its serial-number shape, its limit on account changes,
     * and that a transfer's receiving merchant exists. Used by the inventory and by previews.
     */
    List<RuleViolation> providerLimits(UnbindRequest request, PaymentProvider provider, Instant now) {
        List<RuleViolation> violations = new ArrayList<>(serialShape(request, provider));
        if (request.includes(BindingKind.ACCOUNT)) {
            provider.accountAdapter()
                    .flatMap(adapter -> adapter.accountChangeLimit(request.merchantNumber()))
                    .flatMap(limit -> limit.nextChangeAllowedAt())
                    .filter(now::isBefore)
                    .ifPresent(allowedAt -> violations.add(RuleViolation.of(RuleCode.ACCOUNT_CHANGE_TOO_SOON,
                            "scope.ACCOUNT", "The provider allows the next settlement-account change from "
                                    + allowedAt + "; open the case after that")));
        }
        request.transferTo().ifPresent(target -> {
            boolean known = provider.merchantInfoAdapter()
                    .flatMap(adapter -> adapter.readMerchantInfo(target.merchantNumber())).isPresent();
            if (!known) {
                violations.add(RuleViolation.of(RuleCode.TRANSFER_TARGET_UNKNOWN, "transferTo",
                        "Merchant " + target.merchantNumber() + " is unknown to " + provider.id()
                                + "; register it before transferring the terminal"));
            }
        });
        return violations;
    }

    /** The documents the provider requires on top of the checklist, plus those the institution asked for. */
    static List<io.posunbind.spi.model.DocumentKind> extraDocuments(CaseDocument document, PaymentProvider provider) {
        List<io.posunbind.spi.model.DocumentKind> extra = new ArrayList<>(document.extraRequiredDocuments);
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

    /** Inserts one step per peripheral right before the terminal is disabled. */
    private void expandPlan(CaseDocument document, PaymentProvider provider) {
        document.planExpanded = true;
        if (!document.request.includes(BindingKind.DEVICE)) {
            return;
        }
        int at = 0;
        while (at < document.steps.size() && document.steps.get(at).kind != StepKind.DISABLE_TERMINAL) {
            at++;
        }
        List<StepRecord> added = new ArrayList<>();
        for (PlannedStep planned : planner.peripheralSteps(document.terminal, provider.supportedOperations())) {
            added.add(SkippedSteps.record(document, planned, clock.instant()));
        }
        document.steps.addAll(at, added);
    }

    private StepResult checkDocuments(CaseDocument document, PaymentProvider provider) {
        List<RuleViolation> violations = documentRules.check(document.request, checklist(document, provider),
                extraDocuments(document, provider),
                document.documents, document.terminal, document.merchantInfo);
        if (violations.isEmpty()) {
            return new StepResult.Done(document.documents.size() + " document(s) in order");
        }
        document.violations = new ArrayList<>(violations);
        return new StepResult.Wait(WaitReason.DOCUMENTS, null, violations.size() + " problem(s): " + joined(violations));
    }

    private StepResult backUp(CaseDocument document, StepRecord step, PaymentProvider provider) {
        DeviceUnbindAdapter device = require(provider.deviceAdapter(), "device");
        TerminalDataExport export = device.exportTerminalData(document.request.terminalSerial());
        io.posunbind.backup.SealedBackup sealed;
        try {
            // Sealed with AES-256-GCM and read back before the case may go on: nothing is unbound
            // before a backup was proven intact.
            sealed = vault.sealAndVerify(document.id, export);
        } catch (PosUnbindException e) {
            return new StepResult.Stop(CaseState.FAILED, e.errorCode().code(),
                    "The backup of the old terminal could not be verified; nothing was unbound: " + e.getMessage());
        }
        CaseDocument.BackupRecord backup = new CaseDocument.BackupRecord();
        backup.backupId = sealed.backupId();
        backup.keyId = sealed.keyId();
        backup.sealedJson = sealed.toJson();
        backup.usageRecordCount = export.usageRecords().size();
        backup.settingCount = export.settings().size();
        backup.takenAt = clock.instant();
        backup.verified = true;
        document.backup = backup;
        return new StepResult.Done(backup.usageRecordCount + " usage record(s), " + backup.settingCount
                + " setting(s), sealed as backup " + backup.backupId + " with key " + backup.keyId + ", verified");
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
        return new StepResult.Wait(WaitReason.FEE_CONSENT, null, "quote " + quote.quoteId() + ", total " + quote.total());
    }

    private static boolean consentMatches(CaseDocument document, FeeQuote quote) {
        return document.feeConsent.quoteId().equals(quote.quoteId())
                && document.feeConsent.total().equals(quote.total());
    }

    private StepResult obtainApproval(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
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
        List<RuleViolation> missing = documentRules.check(document.request, checklist(document, provider),
                extraDocuments(document, provider),
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
            Operation submitted = operate(document, step, provider, institution, OperationKind.SUBMIT_APPLICATION,
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
                List<RuleViolation> missing = documentRules.check(document.request, checklist(document, null),
                        document.extraRequiredDocuments,
                        document.documents, document.terminal, document.merchantInfo);
                document.violations = new ArrayList<>(missing);
                yield new StepResult.Wait(WaitReason.DOCUMENTS, null,
                        "the institution needs more information: " + decision.message());
            }
        };
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

    // --- changing things at the provider -----------------------------------------------------------

    private StepResult unbindPeripheral(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        Peripheral peripheral = document.terminal.peripherals().stream()
                .filter(candidate -> candidate.id().equals(step.target))
                .findFirst()
                .orElseThrow(() -> new PosUnbindException(CoreErrorCode.STORE_CORRUPT,
                        "Peripheral " + step.target + " is not in the inventory of case " + document.id));
        return deviceOperation(document, step, provider, checkpoint, OperationKind.UNBIND_PERIPHERAL,
                Map.of("peripheralId", peripheral.id()),
                (device, context, serial) -> device.unbindPeripheral(context, serial, peripheral));
    }

    private StepResult disableTerminal(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        if (document.terminal.status() == TerminalStatus.DISABLED && step.attempts == 0) {
            return new StepResult.Done("already disabled");
        }
        return deviceOperation(document, step, provider, checkpoint, OperationKind.DISABLE_TERMINAL, Map.of(),
                DeviceUnbindAdapter::disableTerminal);
    }

    private StepResult bindToNewMerchant(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        io.posunbind.TransferTarget target = document.request.transferTo().orElseThrow(() -> new PosUnbindException(
                CoreErrorCode.STORE_CORRUPT, "Case " + document.id + " plans a transfer without a target"));
        io.posunbind.spi.TerminalTransferAdapter adapter = require(provider.transferAdapter(), "transfer");
        String serial = document.request.terminalSerial();
        // PBOC 259号: the terminal's mapping (merchant code, credit code, account, placement) changes; say so.
        String mapping = "PBOC 259 mapping change for " + serial + ": merchant " + document.request.merchantNumber()
                + " -> " + target.merchantNumber() + ", store " + document.terminal.storeId().orElse("-") + " -> "
                + target.storeId().orElse("-");
        Map<String, String> arguments = new java.util.HashMap<>(Map.of("toMerchant", target.merchantNumber()));
        target.storeId().ifPresent(store -> arguments.put("toStore", store));
        return operate(document, step, provider, adapter, OperationKind.BIND_TERMINAL, checkpoint, false,
                OperationTarget.terminal(document.request.merchantNumber(), serial), arguments,
                context -> adapter.bindTerminal(context, serial, target.merchantNumber(), target.storeId()))
                .orDone(mapping);
    }

    private StepResult unbindAccount(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        SettlementAccount account = document.settlementAccount;
        if (account == null) {
            return new StepResult.Done("no settlement account was bound");
        }
        AccountUnbindAdapter adapter = require(provider.accountAdapter(), "account");
        String merchant = document.request.merchantNumber();
        return operate(document, step, provider, adapter, OperationKind.UNBIND_SETTLEMENT_ACCOUNT, checkpoint, false,
                OperationTarget.account(merchant, account.number()), Map.of(),
                context -> adapter.unbindSettlementAccount(context, merchant, account))
                .orDone("settlement account " + account.number().masked() + " unbound");
    }

    private StepResult unbindMerchantInfo(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        if (document.merchantInfo == null) {
            return new StepResult.Done("no merchant info was bound");
        }
        MerchantInfoAdapter adapter = require(provider.merchantInfoAdapter(), "merchant info");
        String merchant = document.request.merchantNumber();
        // The guard providers enforce: a merchant that keeps other active terminals is modified, not deleted.
        OperationKind needed = Planner.merchantInfoOperation(document.request, document.terminal,
                document.merchantInfo);
        boolean detach = needed == OperationKind.MODIFY_MERCHANT_INFO;
        if (!provider.supportedOperations().contains(needed)) {
            // Checked by the inventory already; a provider that stopped offering it since must not leave the
            // merchant info bound on a completed case.
            return new StepResult.Stop(CaseState.BLOCKED, RuleCode.BINDING_NOT_SUPPORTED.code(),
                    "The provider does not offer " + needed + ", which unbinding this merchant's info needs");
        }
        if (detach) {
            return operate(document, step, provider, adapter, OperationKind.MODIFY_MERCHANT_INFO, checkpoint, false,
                    OperationTarget.merchant(merchant), Map.of("detachTerminal", document.request.terminalSerial()),
                    context -> adapter.detachTerminal(context, merchant, document.request.terminalSerial()))
                    .orDone("terminal detached from merchant info; the merchant stays");
        }
        return operate(document, step, provider, adapter, OperationKind.DELETE_MERCHANT_INFO, checkpoint, false,
                OperationTarget.merchant(merchant), Map.of(),
                context -> adapter.deleteMerchantInfo(context, merchant))
                .orDone("merchant info deleted");
    }

    private StepResult setUpReplacement(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        ReplacementTerminal replacement = replacement(document);
        Optional<SettlementAccount> account = replacement.settlementAccount();
        if (account.isEmpty() && !document.request.includes(BindingKind.ACCOUNT)) {
            account = Optional.ofNullable(document.settlementAccount);
        }
        String merchantName = document.merchantInfo != null ? document.merchantInfo.name()
                : document.documents.stream().map(StepExecutor::registeredName).flatMap(Optional::stream).findFirst()
                        .orElse(document.request.merchantNumber());
        TerminalSetup setup = new TerminalSetup(replacement.serialNumber(), replacement.model(),
                document.request.merchantNumber(), merchantName, account);
        return setupOperation(document, step, provider, checkpoint, OperationKind.SET_UP_TERMINAL,
                Map.of("model", replacement.model()), (adapter, context) -> adapter.setUpTerminal(context, setup));
    }

    /** The merchant's registered name on its licence or registration, if the document is one. */
    private static Optional<String> registeredName(Document document) {
        if (document instanceof Document.BusinessLicence licence) {
            return Optional.of(licence.merchantName());
        }
        if (document instanceof Document.BusinessRegistration registration) {
            return Optional.of(registration.merchantName());
        }
        return Optional.empty();
    }

    private StepResult runTestTransaction(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint) {
        TerminalSetupAdapter adapter = require(provider.terminalSetupAdapter(), "terminal set-up");
        String serial = replacement(document).serialNumber();
        Money amount = new Money(TEST_TRANSACTION_MINOR_UNITS, currencyOf(document));
        Operation operation = operate(document, step, provider, adapter, OperationKind.RUN_TEST_TRANSACTION,
                checkpoint, false, OperationTarget.terminal(document.request.merchantNumber(), serial),
                Map.of("amountMinorUnits", String.valueOf(amount.minorUnits()),
                        "currency", amount.currency().getCurrencyCode()),
                context -> adapter.runTestTransaction(context, serial, amount));
        if (operation.result() != null) {
            return operation.result();
        }
        document.testTransactionReference = operation.providerReference();
        return new StepResult.Done("test transaction " + operation.providerReference() + " of " + amount + " approved");
    }

    private static java.util.Currency currencyOf(CaseDocument document) {
        return document.feeQuote != null ? document.feeQuote.total().currency() : java.util.Currency.getInstance("CNY");
    }

    @FunctionalInterface
    private interface DeviceCall {
        OperationOutcome call(DeviceUnbindAdapter device, OperationContext context, String serial);
    }

    private StepResult deviceOperation(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint, OperationKind kind, Map<String, String> arguments, DeviceCall call) {
        DeviceUnbindAdapter device = require(provider.deviceAdapter(), "device");
        String serial = document.request.terminalSerial();
        return operate(document, step, provider, device, kind, checkpoint, false,
                OperationTarget.terminal(document.request.merchantNumber(), serial), arguments,
                context -> call.call(device, context, serial))
                .orDone(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " done");
    }

    @FunctionalInterface
    private interface SetupCall {
        OperationOutcome call(TerminalSetupAdapter adapter, OperationContext context);
    }

    private StepResult setupOperation(CaseDocument document, StepRecord step, PaymentProvider provider,
            Runnable checkpoint, OperationKind kind, Map<String, String> arguments, SetupCall call) {
        TerminalSetupAdapter adapter = require(provider.terminalSetupAdapter(), "terminal set-up");
        return operate(document, step, provider, adapter, kind, checkpoint, false,
                OperationTarget.terminal(document.request.merchantNumber(), replacement(document).serialNumber()),
                arguments, context -> call.call(adapter, context))
                .orDone(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " done");
    }

    private static ReplacementTerminal replacement(CaseDocument document) {
        return document.request.replacement().orElseThrow(() -> new PosUnbindException(CoreErrorCode.STORE_CORRUPT,
                "Case " + document.id + " plans a replacement step without a replacement terminal"));
    }

    /**
     * The result of {@link #operate}: either the operation is complete with the provider's reference
     * ({@code result} null), or {@code result} says how the step goes on (wait, retry, stop).
     */
    private record Operation(String providerReference, StepResult result) {
        StepResult orDone(String detail) {
            return result != null ? result : new StepResult.Done(detail + " (ref " + providerReference + ")");
        }
    }

    /**
     * Sends, reconciles or polls one provider operation.
     *
     * @param acceptedIsEnough whether a pending answer completes the operation (an application is
     *                         submitted once the institution accepts it; its decision comes separately)
     * @param target           what the operation acts on, from the stored case
     * @param arguments        its other arguments, from the stored case (see {@link SentOperation})
     */
    private Operation operate(CaseDocument document, StepRecord step, PaymentProvider provider,
            OperationLookup lookup, OperationKind kind, Runnable checkpoint, boolean acceptedIsEnough,
            OperationTarget target, Map<String, String> arguments, Function<OperationContext, OperationOutcome> call) {
        IdempotencyKey key = operationKey(document, step);
        if (step.sentKey != null && !step.sentKey.equals(key.value())) {
            // A new request under a new key: what was noted about the old one no longer applies.
            step.sentKey = null;
            step.firstSentAt = null;
            step.adapterNote = null;
        }
        OperationOutcome outcome = null;
        if (step.deliveredOutcome != null) {
            outcome = step.deliveredOutcome;
            step.deliveredOutcome = null;
        } else if (step.pending || step.outcomeUnknown || step.lookUpBeforeResend || keyOutlived(step, provider)) {
            // Ask before sending again: the earlier call may have taken effect, and past the provider's key
            // retention sending again under the same key is no longer safe without asking.
            Optional<OperationOutcome> known;
            try {
                known = lookup.lookup(sentOperation(step, key, kind, target, arguments));
                step.lookupFailures = 0;
            } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
                step.lookupFailures++;
                String failure = failureText(e);
                if (step.lookupFailures >= retryPolicy.maxAttempts()) {
                    return new Operation(null, new StepResult.Stop(CaseState.FAILED,
                            CoreErrorCode.RETRIES_EXHAUSTED.code(), "Looking up " + kind + " failed "
                                    + step.lookupFailures + " times: " + failure));
                }
                return new Operation(null, waitRetry(step, step.lookupFailures, null, failureCode(e),
                        "lookup failed: " + failure));
            }
            if (known.isPresent()) {
                outcome = known.get();
            }
            if (step.lookUpBeforeResend && outcome instanceof OperationOutcome.Rejected rejected
                    && rejected.code().retryable()) {
                // The lookup confirms the refusal "for now": nothing took effect, so sending again is safe.
                outcome = null;
            }
            step.lookUpBeforeResend = false;
        }
        if (outcome == null) {
            Optional<StepResult> challenge = verification(document, step, provider, kind, checkpoint);
            if (challenge.isPresent()) {
                return new Operation(null, challenge.get());
            }
            outcome = send(document, step, provider, lookup, kind, key, target, arguments, checkpoint, call);
        }
        return handle(step, kind, key, outcome, acceptedIsEnough);
    }

    /** The key of the step's operation: {@code <caseId>.<step>.<round>}, as documented on the SPI. */
    static IdempotencyKey operationKey(CaseDocument document, StepRecord step) {
        return new IdempotencyKey(document.id + "." + step.number + "." + step.round);
    }

    /**
     * Whether the step's operation was sent under its key longer ago than the provider remembers keys:
     * then the provider's de-duplication no longer protects a second sending.
     */
    private boolean keyOutlived(StepRecord step, PaymentProvider provider) {
        Optional<Duration> retention = provider.idempotencyKeyRetention();
        return step.attempts > 0 && step.firstSentAt != null && retention.isPresent()
                && !clock.instant().isBefore(step.firstSentAt.plus(retention.get()));
    }

    /** The operation as persisted with the step, for the adapter's lookup and call. */
    private SentOperation sentOperation(StepRecord step, IdempotencyKey key, OperationKind kind,
            OperationTarget target, Map<String, String> arguments) {
        Instant firstSentAt = step.firstSentAt != null ? step.firstSentAt : clock.instant();
        return new SentOperation(key, kind, target, arguments, firstSentAt, Optional.ofNullable(step.providerReference),
                Optional.ofNullable(step.adapterNote));
    }

    /** How many challenges a step may issue before the case fails: an SMS is not free and may be abused. */
    private static final int MAX_CHALLENGES = 3;

    /**
     * Makes sure the merchant answered the provider's challenge before a guarded operation is sent.
     *
     * @return how the step goes on while verification is outstanding; empty when the operation may be sent
     */
    private Optional<StepResult> verification(CaseDocument document, StepRecord step, PaymentProvider provider,
            OperationKind kind, Runnable checkpoint) {
        if (step.verified || provider.verificationAdapter().isEmpty()) {
            return Optional.empty();
        }
        io.posunbind.spi.VerificationAdapter adapter = provider.verificationAdapter().get();
        String merchant = document.request.merchantNumber();
        Optional<io.posunbind.spi.model.VerificationDemand> demand = adapter.demandFor(kind, merchant);
        if (demand.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (step.challengeId != null) {
            String answer = step.deliveredAnswer;
            step.deliveredAnswer = null;
            if (answer != null) {
                io.posunbind.spi.model.VerificationResult verdict = adapter.checkAnswer(step.challengeId, answer);
                switch (verdict) {
                    case VERIFIED -> {
                        step.verified = true;
                        document.violations.clear();
                        return Optional.empty();
                    }
                    case WRONG_ANSWER -> {
                        document.violations = new ArrayList<>(List.of(RuleViolation.of(RuleCode.VERIFICATION_FAILED,
                                "verification", "The code is wrong; try again")));
                        return Optional.of(new StepResult.Wait(WaitReason.VERIFICATION, step.challengeExpiresAt,
                                "wrong answer to the challenge sent to " + step.challengeDestination));
                    }
                    default -> step.challengeId = null; // expired or locked: a new challenge follows
                }
            } else if (now.isBefore(step.challengeExpiresAt)) {
                return Optional.of(new StepResult.Wait(WaitReason.VERIFICATION, step.challengeExpiresAt,
                        "answer the challenge sent to " + step.challengeDestination));
            } else {
                step.challengeId = null;
            }
        }
        if (step.challengesIssued >= MAX_CHALLENGES) {
            return Optional.of(new StepResult.Stop(CaseState.FAILED, RuleCode.VERIFICATION_FAILED.code(),
                    "The merchant did not pass " + MAX_CHALLENGES + " verification challenges for " + kind));
        }
        IdempotencyKey key = new IdempotencyKey(document.id + "." + step.number + "." + step.round + ".v"
                + (step.challengesIssued + 1));
        OperationTarget target = OperationTarget.merchant(merchant);
        Map<String, String> arguments = Map.of("method", demand.get().method().toString());
        OperationOutcome issued = null;
        // The same rules as every other operation (see operate and send): an SMS is an effect the merchant
        // sees twice if it is sent twice, so an earlier sending whose outcome is unknown, or one older than
        // the provider's key retention, is looked up before the key is sent again.
        if (step.challengeOutcomeUnknown || challengeKeyOutlived(step, provider)) {
            Optional<OperationOutcome> known;
            try {
                known = adapter.lookup(challengeSent(step, key, target, arguments));
                step.lookupFailures = 0;
            } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
                step.lookupFailures++;
                if (step.lookupFailures >= retryPolicy.maxAttempts()) {
                    return Optional.of(new StepResult.Stop(CaseState.FAILED, CoreErrorCode.RETRIES_EXHAUSTED.code(),
                            "Looking up the verification challenge failed " + step.lookupFailures + " times: "
                                    + failureText(e)));
                }
                return Optional.of(waitRetry(step, step.lookupFailures, null, failureCode(e),
                        "lookup of the verification challenge failed: " + failureText(e)));
            }
            issued = known.orElse(null);
        }
        if (issued == null) {
            issued = issueChallenge(document, step, provider, adapter, key, target, arguments, demand.get(), checkpoint);
        }
        // A pending challenge may yet reach the merchant: looked up like an unknown one, never sent blindly.
        step.challengeOutcomeUnknown = issued instanceof OperationOutcome.Unknown
                || issued instanceof OperationOutcome.Pending;
        if (!step.challengeOutcomeUnknown && !(issued instanceof OperationOutcome.RetryableFailure)) {
            // Settled: the next challenge, if any, is a new request under a new key.
            step.challengeAttempts = 0;
            step.challengeFirstSentAt = null;
            step.challengeNote = null;
        }
        if (issued instanceof OperationOutcome.Done done) {
            step.challengesIssued++;
            step.challengeId = done.providerReference();
            step.challengeExpiresAt = now.plus(demand.get().validFor());
            step.challengeDestination = done.attributes().getOrDefault("destination", "the registered phone");
            document.violations = new ArrayList<>();
            return Optional.of(new StepResult.Wait(WaitReason.VERIFICATION, step.challengeExpiresAt,
                    demand.get().method() + " challenge sent to " + step.challengeDestination));
        }
        if (issued instanceof OperationOutcome.NotApplicable) {
            // The provider has no challenge for this merchant after all: nothing to answer.
            step.verified = true;
            return Optional.empty();
        }
        if (issued instanceof OperationOutcome.Rejected rejected) {
            return Optional.of(new StepResult.Stop(CaseState.FAILED, rejected.code().code(),
                    "The provider refused to issue a verification challenge: " + rejected.message()));
        }
        // Not sent, or unknown: the same key again later, after a lookup when the outcome is unknown or the
        // provider's key retention has passed.
        String code = issued instanceof OperationOutcome.RetryableFailure failure ? failure.providerCode() : "UNKNOWN";
        return Optional.of(waitRetry(step, Math.max(1, step.challengesIssued + 1), null, code,
                "verification challenge not issued yet: " + describe(issued)));
    }

    /** Sends the challenge under its key, with the write-ahead save and the adapter's note as in {@link #send}. */
    private OperationOutcome issueChallenge(CaseDocument document, StepRecord step, PaymentProvider provider,
            io.posunbind.spi.VerificationAdapter adapter, IdempotencyKey key, OperationTarget target,
            Map<String, String> arguments, io.posunbind.spi.model.VerificationDemand demand, Runnable checkpoint) {
        if (step.challengeFirstSentAt == null) {
            Instant now = clock.instant();
            Optional<String> note = adapter.prepare(SentOperation.of(key, OperationKind.ISSUE_VERIFICATION, target,
                    arguments, now));
            if (note.isPresent() && note.get().length() > SentOperation.MAX_NOTE_LENGTH) {
                throw new AdapterGuard.AdapterFailure("The adapter's note for " + OperationKind.ISSUE_VERIFICATION
                        + " has " + note.get().length() + " characters; at most " + SentOperation.MAX_NOTE_LENGTH
                        + " are stored", null);
            }
            step.challengeFirstSentAt = now;
            step.challengeNote = note.orElse(null);
        }
        step.challengeAttempts++;
        step.challengeOutcomeUnknown = true;
        if (!provider.honoursIdempotencyKeys() || provider.idempotencyKeyRetention().isPresent()
                || step.challengeNote != null) {
            // Write-ahead, as for every operation: after a crash the challenge is looked up, never sent blindly.
            checkpoint.run();
        }
        OperationOutcome issued;
        try {
            issued = adapter.issueChallenge(new OperationContext(challengeSent(step, key, target, arguments),
                    document.id, step.challengeAttempts, document.request.locale(), CALL_BUDGET),
                    document.request.merchantNumber(), demand);
            if (issued == null) {
                issued = OperationOutcome.unknown("the adapter answered null");
            }
        } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
            issued = OperationOutcome.unknown(failureText(e));
        }
        calls.called(document, OperationKind.ISSUE_VERIFICATION, key.value(), step.challengeAttempts,
                describe(issued), issued instanceof OperationOutcome.Done);
        return issued;
    }

    /** The challenge as persisted with the step, for the adapter's lookup and call. */
    private SentOperation challengeSent(StepRecord step, IdempotencyKey key, OperationTarget target,
            Map<String, String> arguments) {
        Instant firstSentAt = step.challengeFirstSentAt != null ? step.challengeFirstSentAt : clock.instant();
        return new SentOperation(key, OperationKind.ISSUE_VERIFICATION, target, arguments, firstSentAt,
                Optional.empty(), Optional.ofNullable(step.challengeNote));
    }

    /** Like {@link #keyOutlived}, for the step's current verification challenge. */
    private boolean challengeKeyOutlived(StepRecord step, PaymentProvider provider) {
        Optional<Duration> retention = provider.idempotencyKeyRetention();
        return step.challengeAttempts > 0 && step.challengeFirstSentAt != null && retention.isPresent()
                && !clock.instant().isBefore(step.challengeFirstSentAt.plus(retention.get()));
    }

    private OperationOutcome send(CaseDocument document, StepRecord step, PaymentProvider provider,
            OperationLookup lookup, OperationKind kind, IdempotencyKey key, OperationTarget target,
            Map<String, String> arguments, Runnable checkpoint, Function<OperationContext, OperationOutcome> call) {
        if (step.firstSentAt == null) {
            // The first sending under this key: the adapter may note what its lookup will need. A failure
            // here sends nothing (the step retries later).
            Instant now = clock.instant();
            Optional<String> note = lookup.prepare(SentOperation.of(key, kind, target, arguments, now));
            if (note.isPresent() && note.get().length() > SentOperation.MAX_NOTE_LENGTH) {
                throw new AdapterGuard.AdapterFailure("The adapter's note for " + kind + " has " + note.get().length()
                        + " characters; at most " + SentOperation.MAX_NOTE_LENGTH + " are stored", null);
            }
            step.sentKey = key.value();
            step.firstSentAt = now;
            step.adapterNote = note.orElse(null);
        }
        step.attempts++;
        step.outcomeUnknown = true;
        step.pending = false;
        step.lookUpBeforeResend = false;
        step.operatorNote = null;
        if (!provider.honoursIdempotencyKeys() || provider.idempotencyKeyRetention().isPresent()
                || step.adapterNote != null) {
            // Store the "sent, outcome unknown" mark with what a lookup needs first (write-ahead): after a
            // crash we must look up, not resend, when the provider may not recognise the key, and the
            // adapter's note must be stored before the call it describes.
            checkpoint.run();
        }
        OperationContext context = new OperationContext(sentOperation(step, key, kind, target, arguments), document.id,
                step.attempts, document.request.locale(), CALL_BUDGET);
        OperationOutcome outcome;
        try {
            outcome = call.apply(context);
            if (outcome == null) {
                outcome = OperationOutcome.unknown("the adapter answered null");
            }
        } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
            // Whatever went wrong in the adapter, we do not know whether it took effect: reconcile, never
            // assume. (An engine fault here propagates: the step is marked outcome-unknown already.)
            outcome = OperationOutcome.unknown(failureText(e));
        }
        calls.called(document, kind, key.value(), step.attempts, describe(outcome),
                outcome instanceof OperationOutcome.Done || outcome instanceof OperationOutcome.Pending
                        || outcome instanceof OperationOutcome.NotApplicable);
        return outcome;
    }

    private static String describe(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Done done) {
            return "done, ref " + done.providerReference();
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            return "pending, " + pending.providerReference().map(ref -> "ref " + ref).orElse("no ref (by key)");
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return "rejected " + rejected.code().code() + " (" + rejected.providerCode() + ")"
                    + requestIdText(rejected.requestId());
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return "failed, retryable " + failure.code().code() + " (" + failure.providerCode() + ")"
                    + requestIdText(failure.requestId());
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable) {
            return "not applicable: " + notApplicable.reason();
        }
        return "unknown: " + ((OperationOutcome.Unknown) outcome).reason();
    }

    /** The provider's request id as operators see it, or nothing. */
    private static String requestIdText(Optional<String> requestId) {
        return requestId.map(id -> ", provider request id " + id).orElse("");
    }

    private Operation handle(StepRecord step, OperationKind kind, IdempotencyKey key, OperationOutcome outcome,
            boolean acceptedIsEnough) {
        Instant now = clock.instant();
        if (outcome instanceof OperationOutcome.Done done) {
            settle(step, done.providerReference());
            return new Operation(done.providerReference(), null);
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            // A provider that gave no reference (an empty 200) is correlated by the key: it is the reference.
            String reference = pending.providerReference().orElse(step.providerReference);
            if (acceptedIsEnough) {
                settle(step, reference != null ? reference : key.value());
                return new Operation(step.providerReference, null);
            }
            step.outcomeUnknown = false;
            step.pending = true;
            step.providerReference = reference;
            step.operatorNote = pending.operatorNote().orElse(null);
            Duration wait = pending.pollAfter().isZero() ? pollInterval : pending.pollAfter();
            return new Operation(null, new StepResult.Wait(WaitReason.PROVIDER_OPERATION, now.plus(wait),
                    kind + " pending at the provider " + (reference != null ? "as " + reference : "under key " + key)
                            + pending.operatorNote().map(note -> ": " + note.english()).orElse("")));
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable && !Planner.skippable(kind)) {
            // The operation undoes a binding, binds, sets up or tests: without it the case could only pretend
            // to be done (a terminal still bound on a completed case), so the case stops for an operator.
            settle(step, null);
            step.lastCode = StandardErrorCode.UNSUPPORTED_OPERATION.code();
            step.lastMessage = io.posunbind.internal.audit.DetailScrubber.scrub(notApplicable.reason());
            return new Operation(null, new StepResult.Stop(CaseState.FAILED, StandardErrorCode.UNSUPPORTED_OPERATION
                    .code(), "The provider answered " + kind + " as not applicable (" + notApplicable.reason() + "),"
                    + " but the case cannot be completed without it: nothing is skipped that undoes a binding, binds,"
                    + " sets up or tests. Carry it out at the provider, then cancel the case or retry it as an"
                    + " operator"));
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable) {
            // Nothing took effect and nothing will: the step is skipped and the case goes on.
            settle(step, null);
            return new Operation(null, new StepResult.Skipped(CoreErrorCode.OPERATION_NOT_APPLICABLE.code(),
                    notApplicable.reason()));
        }
        if (outcome instanceof OperationOutcome.Rejected rejected && rejected.code().retryable()) {
            // A refusal "for now" (funds unsettled, provider busy): the same key will do later, but only
            // after a lookup: a provider that says "busy" may still have acted on the request.
            step.outcomeUnknown = false;
            step.pending = false;
            step.lookUpBeforeResend = true;
            step.lastCode = rejected.code().code();
            step.lastMessage = io.posunbind.internal.audit.DetailScrubber.scrub(rejected.message()
                    + requestIdText(rejected.requestId()));
            Duration wait = rejected.code() == StandardErrorCode.FUNDS_UNSETTLED ? pollInterval
                    : retryPolicy.delayAfter(step.attempts, random.nextDouble());
            WaitReason reason = rejected.code() == StandardErrorCode.FUNDS_UNSETTLED ? WaitReason.SETTLEMENT
                    : WaitReason.RETRY;
            if (reason == WaitReason.RETRY) {
                step.consecutiveFailures++;
                if (step.consecutiveFailures >= retryPolicy.maxAttempts()) {
                    return new Operation(null, retryOrGiveUp(step, kind, rejected.code().code(), rejected.message(),
                            null));
                }
            } else {
                step.consecutiveFailures = 0;
            }
            return new Operation(null, new StepResult.Wait(reason, now.plus(wait),
                    kind + " refused for now: " + rejected.message()));
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            step.outcomeUnknown = false;
            step.pending = false;
            step.lastCode = rejected.code().code();
            step.lastMessage = io.posunbind.internal.audit.DetailScrubber.scrub(rejected.message()
                    + requestIdText(rejected.requestId()));
            return new Operation(null, new StepResult.Stop(CaseState.FAILED, rejected.code().code(),
                    "The provider refused " + kind + ": " + rejected.message() + " (provider code "
                            + rejected.providerCode() + requestIdText(rejected.requestId()) + ")"));
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            step.outcomeUnknown = false;
            step.pending = false;
            step.consecutiveFailures++;
            return new Operation(null, retryOrGiveUp(step, kind, failure.code().code(), failure.message()
                    + " (provider code " + failure.providerCode() + requestIdText(failure.requestId()) + ")",
                    failure.retryAfter().orElse(null)));
        }
        OperationOutcome.Unknown unknown = (OperationOutcome.Unknown) outcome;
        step.outcomeUnknown = true;
        step.consecutiveFailures++;
        return new Operation(null, retryOrGiveUp(step, kind, "UNKNOWN", "outcome unknown: " + unknown.reason(), null));
    }

    /** An adapter's failure's code: its own, or the provider being unavailable for an uncoded one. */
    private static String failureCode(RuntimeException failure) {
        return failure instanceof PosUnbindException coded ? coded.errorCode().code()
                : StandardErrorCode.PROVIDER_UNAVAILABLE.code();
    }

    /** What an adapter's failure says: its code if it has one, and its (scrubbed) message. */
    private static String failureText(RuntimeException failure) {
        if (failure instanceof PosUnbindException coded) {
            return coded.errorCode().code() + " " + AdapterGuard.describe(coded);
        }
        return failure.getMessage();
    }

    private static void settle(StepRecord step, String providerReference) {
        step.operatorNote = null;
        step.outcomeUnknown = false;
        step.pending = false;
        step.lookUpBeforeResend = false;
        step.providerReference = providerReference;
    }

    private StepResult retryOrGiveUp(StepRecord step, OperationKind kind, String code, String message,
            Duration hint) {
        step.lastCode = code;
        step.lastMessage = io.posunbind.internal.audit.DetailScrubber.scrub(message);
        if (step.consecutiveFailures >= retryPolicy.maxAttempts()) {
            return new StepResult.Stop(CaseState.FAILED, CoreErrorCode.RETRIES_EXHAUSTED.code(),
                    (kind == null ? step.kind.name() : kind.name()) + " failed " + step.consecutiveFailures
                            + " times in a row; last: "
                            + message
                            + ". Check the provider, then retry the case as an operator");
        }
        return waitRetry(step, step.consecutiveFailures, hint, code, message);
    }

    /** A retry later, with what went wrong kept on the step: the operator's log line and snapshot name it. */
    private StepResult waitRetry(StepRecord step, int failures, Duration hint, String code, String message) {
        step.lastCode = code;
        step.lastMessage = io.posunbind.internal.audit.DetailScrubber.scrub(message);
        Duration delay = hint != null ? hint : retryPolicy.delayAfter(failures, random.nextDouble());
        return new StepResult.Wait(WaitReason.RETRY, clock.instant().plus(delay), message);
    }

    private StepResult retryLater(StepRecord step, String code, String message) {
        step.consecutiveFailures++;
        return retryOrGiveUp(step, null, code, message, null);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static <T> T require(Optional<T> adapter, String what) {
        return adapter.orElseThrow(() -> new PosUnbindException(CoreErrorCode.CAPABILITY_MISSING,
                "The provider has no " + what + " adapter, which this step needs"));
    }

    private static String reasonNote(UnbindRequest request) {
        return request.reasonNote().isBlank() ? "" : ": " + request.reasonNote();
    }

    private static String joined(List<RuleViolation> violations) {
        return violations.stream().map(v -> v.code() + " " + v.message()).collect(Collectors.joining("; "));
    }
}
