package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.HistoryEntry;
import io.posunbind.InvalidRequestException;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.event.UnbindListener;
import io.posunbind.internal.plan.PlannedStep;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances unbind cases. Each call loads the case, works on it under the case's lock, stores it after
 * every step transition, and returns when the case waits or ends; no thread is held while a case
 * waits. Events go out after the change they describe was stored.
 *
 * <p>Thread-safe: any number of threads may call it for any cases.
 */
public final class UnbindEngine {

    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    /** A runaway plan must not spin forever inside one call. */
    private static final int MAX_TRANSITIONS_PER_CALL = 500;

    private final CaseStore store;
    private final Clock clock;
    private final ProviderRegistry providers;
    private final List<UnbindListener> listeners;
    private final CaseCodec codec;
    /** Where every command, state change and provider call is recorded, tamper-evidently; may be null. */
    private final io.posunbind.audit.AuditTrail audit;
    private final io.posunbind.backup.BackupVault vault;
    private final Planner planner = new Planner();
    private final CaseLocks locks = new CaseLocks(256);
    private final StepExecutor executor;
    private final DocumentRules documentRules;
    private final EngineSettings settings;
    private final LeaseKeeper leases;
    private final CallbackIntake callbacks;
    /** Lets commands in until the engine shuts down, and counts those still running. */
    private final ShutdownGate gate = new ShutdownGate();

    /**
     * Creates an engine.
     *
     * @param store     where cases live
     * @param clock     the only source of time
     * @param providers the providers cases may use
     * @param listeners progress listeners
     * @param settings  retry, polling, lease and timer settings
     * @param random    jitter source
     */
    public UnbindEngine(CaseStore store, Clock clock, ProviderRegistry providers, List<UnbindListener> listeners,
            EngineSettings settings, RandomGenerator random, io.posunbind.keys.DataKeyProvider dataKeys,
            io.posunbind.audit.AuditTrail audit) {
        this.audit = audit;
        this.codec = new CaseCodec(dataKeys);
        this.vault = io.posunbind.backup.BackupVault.builder().keys(dataKeys).clock(clock).build();
        // A store's uncoded failure is the store's, coded and retryable; only the engine's own are faults.
        this.store = StoreGuard.guard(Objects.requireNonNull(store, "store"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.listeners = List.copyOf(listeners);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.documentRules = new DocumentRules(clock);
        this.executor = new StepExecutor(clock, settings.retryPolicy(), settings.pollInterval(), random, planner,
                documentRules, vault, this::auditProviderCall);
        this.leases = new LeaseKeeper(store, clock, settings.instanceId(), settings.leaseDuration());
        this.callbacks = new CallbackIntake(this, providers, this.listeners, audit);
    }

    /** This engine instance's id, the owner name of its leases. */
    public String instanceId() {
        return settings.instanceId();
    }

    /**
     * Refuses new commands from now on ({@link CoreErrorCode#UNBINDER_CLOSED}); commands already running
     * finish the step they are in, store it and return, leaving their cases due for any instance.
     */
    public void stopTakingWork() {
        gate.close();
    }

    /** Whether {@link #stopTakingWork()} was called. */
    public boolean stoppedTakingWork() {
        return gate.closing();
    }

    /**
     * Waits until no command runs any more, at most {@code timeout}.
     *
     * @return how many commands still run; 0 when all ended in time
     */
    public int awaitIdle(Duration timeout) throws InterruptedException {
        return gate.awaitIdle(timeout);
    }

    /**
     * Stops taking work and stops renewing leases, waiting for the heartbeat thread to end. Cases whose
     * step still runs keep their lease until it expires; then other instances take them over.
     */
    public void close() {
        gate.close();
        leases.close();
    }

    /** Opens a case under a new random id and advances it as far as it goes without input. */
    public CaseSnapshot open(UnbindRequest request) {
        return open(CaseId.random(), request);
    }

    /**
     * Opens a case under the caller's id and advances it. Idempotent: opening the same id with the same
     * request again returns the case as it stands, so a caller may retry after a timeout.
     */
    public CaseSnapshot open(CaseId caseId, UnbindRequest request) {
        gate.enter();
        try {
            return openEntered(caseId, request);
        } finally {
            gate.exit();
        }
    }

    private CaseSnapshot openEntered(CaseId caseId, UnbindRequest request) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(request, "request");
        PaymentProvider provider = providers.require(request.providerId());
        ProviderDeclarations declared = ProviderDeclarations.read(provider, settings.documentChecklist());
        List<RuleViolation> missing = capabilityProblems(request, declared);
        if (!missing.isEmpty()) {
            throw new InvalidRequestException(CoreErrorCode.CAPABILITY_MISSING,
                    "Provider " + provider.id() + " cannot carry out this request", missing);
        }
        // No look before the insert: the store refuses a taken id and a second open case for the
        // terminal atomically, and the refusal below tells the two apart. Two reads fewer per case.
        Instant now = clock.instant();
        CaseDocument document = new CaseDocument();
        document.id = caseId.value();
        document.version = 1;
        document.request = request;
        document.documents = new ArrayList<>(request.documents());
        document.checklist = declared.checklist();
        document.createdAt = now;
        document.updatedAt = now;
        document.history.add(new HistoryEntry(now, request.requestedBy().id(), "CASE_OPENED",
                "reason " + request.reason() + ", scope " + request.scope()
                        + request.replacement().map(r -> ", replacement " + r.serialNumber()).orElse("")));
        for (PlannedStep planned : planFor(request, declared)) {
            document.steps.add(SkippedSteps.record(document, planned, now));
        }
        ReentrantLock lock = locks.lockFor(document.id);
        lock.lock();
        try {
            try {
                // Inserted already leased: no other instance starts on it before this one has.
                CaseRecord inserted = toRecord(document, true);
                store.insert(inserted);
                document.indexedReferences.addAll(inserted.providerReferences());
            } catch (PosUnbindException e) {
                if (e.errorCode() == CoreErrorCode.DUPLICATE_CASE) {
                    Optional<CaseRecord> winner = store.load(caseId.value());
                    if (winner.isEmpty()) {
                        // Not this id: another open case for the terminal won the race.
                        throw new PosUnbindException(CoreErrorCode.TERMINAL_ALREADY_IN_CASE, "Terminal "
                                + request.terminalSerial() + " already has an open unbind case at "
                                + request.providerId() + "; finish or cancel it first");
                    }
                    return reopened(caseId, request, winner.get());
                }
                throw e;
            }
            leases.held(document.id);
            auditBestEffort(request.requestedBy(), "OPEN", request, caseId,
                    "reason " + request.reason() + ", scope " + request.scope());
            CaseLog.opened(document.id, request.providerId(), document.steps.size());
            return work(document);
        } finally {
            lock.unlock();
        }
    }

    private CaseSnapshot reopened(CaseId caseId, UnbindRequest request, CaseRecord record) {
        CaseDocument document = load(record);
        if (!document.request.equals(request)) {
            throw new PosUnbindException(CoreErrorCode.DUPLICATE_CASE,
                    "Case " + caseId + " exists with another request; choose a new case id");
        }
        return snapshot(document);
    }

    /** Advances a case as far as it goes now. */
    public CaseSnapshot advance(CaseId caseId) {
        return command(caseId, "ADVANCE", Actor.system(), document -> {
        });
    }

    /** Adds or replaces documents (one per kind) and advances. */
    public CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(documents, "documents");
        if (documents.stream().anyMatch(Objects::isNull)) {
            throw new InvalidRequestException("The documents are invalid", List.of(new RuleViolation(
                    CoreErrorCode.INVALID_REQUEST.code(), "documents", "A document is null")));
        }
        List<Document> submitted = List.copyOf(documents);
        return command(caseId, "SUBMIT_DOCUMENTS", actor, document -> {
            requireOpen(document);
            for (Document added : submitted) {
                document.documents.removeIf(existing -> existing.kind() == added.kind());
                document.documents.add(added);
            }
            history(document, actor, "DOCUMENTS_SUBMITTED",
                    submitted.stream().map(d -> d.kind().name()).toList().toString());
            wakeIfWaitingFor(document, WaitReason.DOCUMENTS);
        });
    }

    /** Records the merchant's consent to the current fee quote and advances. */
    public CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent) {
        Objects.requireNonNull(consent, "consent");
        return command(caseId, "CONSENT_TO_FEES", consent.consentedBy(), document -> {
            requireOpen(document);
            if (document.feeQuote == null || document.waitingFor != WaitReason.FEE_CONSENT) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for fee consent");
            }
            if (!document.feeQuote.quoteId().equals(consent.quoteId())
                    || !document.feeQuote.total().equals(consent.total())) {
                throw new PosUnbindException(CoreErrorCode.CONSENT_DOES_NOT_MATCH_QUOTE,
                        "The consent is for quote " + consent.quoteId() + " totalling " + consent.total()
                                + " but the merchant is asked to agree to quote " + document.feeQuote.quoteId()
                                + " totalling " + document.feeQuote.total());
            }
            document.feeConsent = consent;
            history(document, consent.consentedBy(), "FEES_AGREED",
                    "quote " + consent.quoteId() + ", total " + consent.total());
            wakeIfWaitingFor(document, WaitReason.FEE_CONSENT);
        });
    }

    /** Records that the merchant declines the fees: the case is cancelled before any fee is incurred. */
    public CaseSnapshot declineFees(CaseId caseId, Actor actor) {
        Objects.requireNonNull(actor, "actor");
        return command(caseId, "DECLINE_FEES", actor, document -> {
            requireOpen(document);
            if (document.waitingFor != WaitReason.FEE_CONSENT) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for fee consent");
            }
            history(document, actor, "FEES_DECLINED", "quote " + document.feeQuote.quoteId());
            CancelPolicy.stopOpenSteps(document, clock.instant());
            end(document, CaseState.CANCELLED, CoreErrorCode.FEES_DECLINED.code(), "The merchant declined the fees");
            CaseLog.cancelled(document.id, CaseState.CANCELLED, CoreErrorCode.FEES_DECLINED.code());
            emit(document, seq -> new UnbindEvent.CaseFinished(caseId, seq, clock.instant(), CaseState.CANCELLED,
                    CoreErrorCode.FEES_DECLINED.code() + ": The merchant declined the fees"));
        });
    }

    /**
     * Passes the merchant's answer to a verification challenge (an SMS code) to the provider and
     * advances. The answer is never stored or logged.
     */
    public CaseSnapshot answerVerification(CaseId caseId, Actor actor, String answer) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(answer, "answer");
        if (answer.isEmpty() || answer.length() > 64) {
            throw new InvalidRequestException("The answer is invalid", List.of(new RuleViolation(
                    CoreErrorCode.INVALID_REQUEST.code(), "answer", "An answer has 1 to 64 characters")));
        }
        return command(caseId, "ANSWER_VERIFICATION", actor, document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || document.waitingFor != WaitReason.VERIFICATION || step.challengeId == null) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for a verification answer");
            }
            step.deliveredAnswer = answer;
            dueNow(step);
            history(document, actor, "VERIFICATION_ANSWERED", step.kind + " challenge " + step.challengeId);
        });
    }

    /**
     * What opening a request would do, without changing anything: the provider is only read (inventory,
     * fee quote, limits), nothing is stored.
     */
    public io.posunbind.UnbindPreview preview(UnbindRequest request) {
        Objects.requireNonNull(request, "request");
        PaymentProvider provider = providers.require(request.providerId());
        Instant now = clock.instant();
        ProviderDeclarations declared = ProviderDeclarations.read(provider, settings.documentChecklist());
        List<RuleViolation> violations = new ArrayList<>(capabilityProblems(request, declared));
        List<PlannedStep> plan = new ArrayList<>(planFor(request, declared));
        io.posunbind.spi.model.Terminal terminal = null;
        io.posunbind.spi.model.MerchantInfo merchantInfo = null;
        List<RuleViolation> badSerials = StepExecutor.serialShape(request, provider);
        try {
            // A serial of the wrong shape is never sent to the provider, as the SPI promises.
            if (provider.deviceAdapter().isPresent() && badSerials.isEmpty()) {
                terminal = provider.deviceAdapter().get().readTerminal(request.terminalSerial());
                violations.addAll(new io.posunbind.internal.rules.InventoryRules().check(request, terminal,
                        declared.checklist()));
                if (request.includes(io.posunbind.BindingKind.DEVICE)) {
                    int at = 0;
                    while (at < plan.size() && plan.get(at).kind() != StepKind.DISABLE_TERMINAL) {
                        at++;
                    }
                    plan.addAll(at, planner.peripheralSteps(terminal, declared.operations()));
                }
            }
            merchantInfo = provider.merchantInfoAdapter()
                    .flatMap(adapter -> adapter.readMerchantInfo(request.merchantNumber())).orElse(null);
            violations.addAll(badSerials.isEmpty() ? executor.providerLimits(request, provider, now) : badSerials);
            violations.addAll(planner.checkMerchantInfoOperation(request, terminal, merchantInfo,
                    declared.operations()));
        } catch (PosUnbindException e) {
            violations.add(new RuleViolation(e.errorCode().code(), "provider", e.getMessage()));
        }
        CaseDocument probe = new CaseDocument();
        probe.request = request;
        List<io.posunbind.spi.model.DocumentKind> extra = StepExecutor.extraDocuments(probe, provider);
        java.util.Set<io.posunbind.spi.model.DocumentKind> required = java.util.EnumSet.copyOf(
                documentRules.requiredDocuments(request, declared.checklist()));
        required.addAll(extra);
        java.util.Set<io.posunbind.spi.model.DocumentKind> missing = java.util.EnumSet.noneOf(
                io.posunbind.spi.model.DocumentKind.class);
        for (io.posunbind.spi.model.DocumentKind kind : required) {
            if (request.documents().stream().noneMatch(d -> d.kind() == kind)) {
                missing.add(kind);
            }
        }
        violations.addAll(documentRules.check(request, declared.checklist(), extra, request.documents(), terminal,
                merchantInfo));
        List<io.posunbind.ExpectedWait> waits = new ArrayList<>();
        Optional<io.posunbind.spi.model.FeeQuote> fees = Optional.empty();
        try {
            if (provider.feeQuoteAdapter().isPresent()) {
                fees = Optional.of(provider.feeQuoteAdapter().get().quoteFees(request.merchantNumber(),
                        request.terminalSerial(),
                        request.scope().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet())));
                if (fees.get().chargesMerchant()) {
                    waits.add(new io.posunbind.ExpectedWait(StepKind.AGREE_FEES, WaitReason.FEE_CONSENT,
                            "the merchant agrees to " + fees.get().total() + " before any fee is incurred"));
                }
            }
            InstitutionApproval approval = declared.approval();
            if (approval != InstitutionApproval.NOT_NEEDED) {
                waits.add(new io.posunbind.ExpectedWait(StepKind.OBTAIN_INSTITUTION_APPROVAL,
                        WaitReason.INSTITUTION_DECISION, approval == InstitutionApproval.BY_ADAPTER
                                ? "the institution reviews the application, typically 1 to 3 working days; it lapses"
                                        + " after " + settings.approvalDeadline().toDays() + " days"
                                : "apply to the institution outside posunbind and record its decision"));
            }
            if (provider.accountAdapter().isPresent()) {
                io.posunbind.spi.model.UnsettledFunds funds = provider.accountAdapter().get()
                        .readUnsettledFunds(request.merchantNumber(), request.terminalSerial());
                if (!funds.settled()) {
                    waits.add(new io.posunbind.ExpectedWait(StepKind.AWAIT_SETTLEMENT, WaitReason.SETTLEMENT,
                            funds.amount() + " unsettled, " + funds.inFlightTransactions() + " in flight; expected by "
                                    + funds.expectedSettlementTime().map(Object::toString).orElse("the next settlement")));
                }
            }
            if (provider.verificationAdapter().isPresent() && request.includes(io.posunbind.BindingKind.ACCOUNT)
                    && provider.verificationAdapter().get().demandFor(io.posunbind.spi.OperationKind
                            .UNBIND_SETTLEMENT_ACCOUNT, request.merchantNumber()).isPresent()) {
                waits.add(new io.posunbind.ExpectedWait(StepKind.UNBIND_SETTLEMENT_ACCOUNT, WaitReason.VERIFICATION,
                        "the merchant answers a verification challenge before the account changes"));
            }
        } catch (PosUnbindException e) {
            violations.add(new RuleViolation(e.errorCode().code(), "provider", e.getMessage()));
        }
        List<StepSnapshot> steps = new ArrayList<>();
        int number = 1;
        for (PlannedStep planned : plan) {
            // A step the provider does not offer is shown skipped, with why, as the case would record it.
            steps.add(new StepSnapshot(number++, planned.kind(), planned.target(),
                    planned.skip().isPresent() ? StepStatus.SKIPPED : StepStatus.PLANNED, 0, Optional.empty(),
                    planned.skip().map(skip -> skip.code().code()), planned.skip().map(PlannedStep.Skip::reason)));
        }
        return new io.posunbind.UnbindPreview(request, steps, required, missing, violations, fees, waits);
    }

    /**
     * The platform's own reviewer approves or rejects the case. Four eyes: the reviewer must not be the
     * actor who requested the unbind.
     */
    public CaseSnapshot reviewInternally(CaseId caseId, Actor reviewer, boolean approve, String note) {
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(note, "note");
        return command(caseId, "INTERNAL_REVIEW", reviewer, document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || step.kind != StepKind.INTERNAL_REVIEW) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for an internal review");
            }
            if (reviewer.id().equals(document.request.requestedBy().id())) {
                // Kept in the history (and the audit trail, as a refused command): who tried matters.
                history(document, reviewer, "FOUR_EYES_REFUSED", "the requester tried to "
                        + (approve ? "approve" : "reject") + " its own request");
                throw new RecordedRefusal(new PosUnbindException(CoreErrorCode.FOUR_EYES_VIOLATION, "Reviewer "
                        + reviewer.id() + " requested this unbind; another person must review it"));
            }
            document.internalReviewer = reviewer.id();
            document.internalReviewApproved = approve;
            history(document, reviewer, approve ? "INTERNAL_APPROVAL" : "INTERNAL_REJECTION", note);
            dueNow(step);
        });
    }

    /** Records the institution's decision (from a callback or a person) and advances. */
    public CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(decision, "decision");
        return command(caseId, "RECORD_DECISION", actor, decisionChange(actor, decision));
    }

    /** Records the institution's decision on a case that waits for it. */
    Consumer<CaseDocument> decisionChange(Actor actor, InstitutionDecision decision) {
        return document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || step.kind != StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for the institution's decision");
            }
            if (document.supersededApplications.contains(decision.applicationReference())) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED, "Application "
                        + decision.applicationReference() + " was superseded after the institution asked for more"
                        + " information; its decision no longer counts");
            }
            if (document.applicationReference == null
                    && providers.require(document.request.providerId()).applicationAdapter().isPresent()) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED, "Case " + document.id
                        + " has no application under review yet; submit the documents the institution asked for");
            }
            if (document.applicationReference != null
                    && !document.applicationReference.equals(decision.applicationReference())) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "The decision is for application " + decision.applicationReference()
                                + " but the case's application is " + document.applicationReference);
            }
            document.decision = decision;
            history(document, actor, "DECISION_RECORDED", decision.outcome() + " " + decision.reasonCode());
            dueNow(step);
        };
    }

    /**
     * Completes a pending provider operation from the provider's callback and advances.
     *
     * @param providerReference the reference the provider gave when it answered pending
     */
    public CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(outcome, "outcome");
        return command(caseId, "COMPLETE_OPERATION", actor, completionChange(actor, providerReference, outcome));
    }

    /** Delivers the outcome of the case's pending operation. */
    Consumer<CaseDocument> completionChange(Actor actor, String providerReference, OperationOutcome outcome) {
        return document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            // A provider that answered pending without a reference names the operation by its key.
            if (step == null || !(providerReference.equals(step.providerReference)
                    || (step.pending || step.outcomeUnknown)
                            && providerReference.equals(StepExecutor.operationKey(document, step).value()))) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " has no pending operation " + providerReference);
            }
            step.deliveredOutcome = outcome;
            dueNow(step);
            history(document, actor, "OPERATION_CALLBACK", step.kind + " " + outcome.getClass().getSimpleName());
        };
    }

    /**
     * Cancels an open or failed case, recording who and why, by the rules of {@link CancelPolicy}: refused
     * while an operation is in flight, {@code CANCELLED} before any change at the provider,
     * {@code CANCELLED_PARTIALLY} after one.
     */
    public CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        return command(caseId, "CANCEL", actor, document -> {
            if (!document.state.isOpen() && document.state != CaseState.FAILED) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " is " + document.state + " and cannot be cancelled");
            }
            CancelPolicy.Outcome outcome;
            try {
                outcome = CancelPolicy.judge(document, actor.id(), reason, clock.instant());
            } catch (PosUnbindException refused) {
                history(document, actor, "CANCEL_REFUSED", refused.errorCode().code() + ": " + refused.getMessage());
                throw new RecordedRefusal(refused);
            }
            history(document, actor, "CASE_CANCELLED", reason);
            CancelPolicy.stopOpenSteps(document, clock.instant());
            end(document, outcome.state(), outcome.code(), outcome.message());
            emit(document, seq -> new UnbindEvent.OperatorAction(caseId, seq, clock.instant(), actor.id(), "CANCEL",
                    reason));
            emit(document, seq -> new UnbindEvent.CaseFinished(caseId, seq, clock.instant(), outcome.state(),
                    outcome.code() + ": " + reason));
            CaseLog.cancelled(document.id, outcome.state(), outcome.code());
        });
    }

    /**
     * Puts a failed case back to work at the step that failed, recording who and why. A refused
     * operation is sent anew under a new idempotency key; one whose outcome was unknown is reconciled
     * first under its old key.
     */
    public CaseSnapshot retry(CaseId caseId, Actor actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        return command(caseId, "RETRY", actor, document -> {
            if (document.state != CaseState.FAILED) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Only a failed case can be retried; case " + document.id + " is " + document.state);
            }
            StepRecord step = document.steps.stream().filter(s -> s.status == StepStatus.FAILED).findFirst()
                    .orElseThrow(() -> new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                            "Case " + document.id + " has no failed step to retry"));
            if (!step.outcomeUnknown && !step.pending && !step.lookUpBeforeResend) {
                // The operation was refused for good: send it anew, as a new request under a new key.
                step.round++;
                step.providerReference = null;
                step.verified = false;
                step.challengeId = null;
                step.challengesIssued = 0;
            }
            step.consecutiveFailures = 0;
            if (CoreErrorCode.APPROVAL_EXPIRED.code().equals(document.failureCode)) {
                document.approvalDeadlineAt = null; // a fresh deadline starts with the next wait
            }
            step.status = StepStatus.WAITING;
            step.attempts = 0;
            step.lookupFailures = 0;
            step.nextAttemptAt = null;
            document.state = CaseState.RUNNING;
            document.failureCode = null;
            document.failureMessage = null;
            history(document, actor, "OPERATOR_RETRY", step.kind + ": " + reason);
            emit(document, seq -> new UnbindEvent.OperatorAction(caseId, seq, clock.instant(), actor.id(), "RETRY",
                    reason));
        });
    }

    /** Cases matching an operator's filter, least recently updated first. */
    public List<CaseSnapshot> findCases(CaseFilter filter) {
        return store.findCases(filter).stream().map(record -> snapshot(load(record))).toList();
    }

    /**
     * Checks a case's backup of the old terminal without opening it for use: every chunk authenticated,
     * in order, for this case. Damage is reported by position.
     */
    public io.posunbind.backup.BackupVerification verifyBackup(CaseId caseId) {
        return vault.verify(caseId.value(), sealedBackup(caseId));
    }

    /** Opens a case's backup of the old terminal: its usage records and settings, proven intact. */
    public io.posunbind.spi.model.TerminalDataExport restoreBackup(CaseId caseId) {
        return vault.open(caseId.value(), sealedBackup(caseId));
    }

    private io.posunbind.backup.SealedBackup sealedBackup(CaseId caseId) {
        CaseDocument document = load(store.load(caseId.value()).orElseThrow(() ->
                new PosUnbindException(CoreErrorCode.CASE_NOT_FOUND, "No unbind case " + caseId.value())));
        if (document.backup == null || document.backup.sealedJson == null) {
            throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                    "Case " + caseId.value() + " has no backup yet");
        }
        return io.posunbind.backup.SealedBackup.fromJson(document.backup.sealedJson);
    }

    /**
     * Verifies a callback, then routes what it says to the case it names; its nonce is spent once the
     * change is committed or the callback is refused for good (see {@link CallbackIntake}).
     */
    public CaseSnapshot acceptCallback(io.posunbind.callback.CallbackVerifier verifier,
            io.posunbind.callback.Callback callback) {
        return callbacks.accept(verifier, callback);
    }

    /** Verifies a notification in a provider's own format and acts on it; see {@code Unbinder.acceptNotification}. */
    public CaseSnapshot acceptNotification(io.posunbind.callback.CallbackVerifier verifier, String providerId,
            RawCallback request) {
        return callbacks.acceptNotification(verifier, providerId, request);
    }

    /** Reads a case. */
    public Optional<CaseSnapshot> find(CaseId caseId) {
        Objects.requireNonNull(caseId, "caseId");
        return store.load(caseId.value()).map(record -> snapshot(load(record)));
    }

    /**
     * Advances every case whose timer is due (retries, polls, settlement checks, cases interrupted by a
     * crash). One failing case does not stop the others.
     *
     * @return how many cases were advanced
     */
    public int runDueWork(int limit) {
        if (audit != null) {
            try {
                audit.checkpointIfDue();
            } catch (PosUnbindException e) {
                LOG.warn("Audit checkpoint failed; records stay unsigned until the next try: {}", e.getMessage());
            }
        }
        int advanced = 0;
        for (String caseId : store.findDue(clock.instant(), limit)) {
            if (gate.closing()) {
                break; // shutting down: take no further case
            }
            try {
                advance(CaseId.of(caseId));
                advanced++;
            } catch (PosUnbindException e) {
                if (e.errorCode() == CoreErrorCode.UNBINDER_CLOSED) {
                    break;
                }
                if (e.errorCode() == CoreErrorCode.CASE_BUSY || e.errorCode() == CoreErrorCode.STALE_CASE_VERSION) {
                    LOG.debug("Case {} is being worked on by another instance", caseId);
                } else if (e.errorCode() == CoreErrorCode.ENGINE_FAULT) {
                    LOG.debug("Case {} stopped on an engine fault, logged above", caseId);
                } else {
                    LOG.warn("Case {} could not be advanced: {}", caseId, e.getMessage());
                }
            } catch (RuntimeException e) {
                // Not through a command (a case id the store returned that is no id): still one broken case,
                // which must not stop the others' timers.
                LOG.error("Engine fault while taking due case {}: {}", caseId, CoreErrorCode.ENGINE_FAULT.code(),
                        ScrubbedFault.of(e));
            }
        }
        return advanced;
    }

    // ----------------------------------------------------------------------------------------------

    /**
     * Loads a case, takes its lease, applies a change and works on the case until it waits or ends.
     * The lease is taken with the first write (which also stores the change), so no provider is called
     * before this instance owns the case, and given back with the last write.
     */
    private CaseSnapshot command(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change) {
        return command(caseId, name, actor, change, () -> {
        });
    }

    /**
     * As {@link #command(CaseId, String, Actor, Consumer)}, running {@code afterCommit} once the change is
     * stored and before the case is worked on (while this instance still holds its lease).
     */
    CaseSnapshot command(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change,
            Runnable afterCommit) {
        gate.enter();
        try {
            return commandEntered(caseId, name, actor, change, afterCommit);
        } finally {
            gate.exit();
        }
    }

    private CaseSnapshot commandEntered(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change,
            Runnable afterCommit) {
        Objects.requireNonNull(caseId, "caseId");
        try {
            CaseSnapshot result = locked(caseId, change, name.equals("ADVANCE"), afterCommit);
            if (!name.equals("ADVANCE")) {
                auditBestEffort(actor, name, result.request(), caseId, "state " + result.state());
            }
            return result;
        } catch (PosUnbindException e) {
            // Another instance holding the case is routine for timer-driven work; not worth a record.
            boolean routine = name.equals("ADVANCE") && (e.errorCode() == CoreErrorCode.CASE_BUSY
                    || e.errorCode() == CoreErrorCode.STALE_CASE_VERSION);
            if (!routine) {
                auditCommand(actor, name, io.posunbind.audit.AuditOutcome.FAILURE, null, caseId,
                        e.errorCode().code());
            }
            throw e;
        } catch (RuntimeException fault) {
            // Providers and the store are guarded, so an uncoded exception here is posunbind's own.
            PosUnbindException coded = engineFault(caseId, name, fault);
            try {
                auditCommand(actor, name, io.posunbind.audit.AuditOutcome.FAILURE, null, caseId,
                        coded.errorCode().code());
            } catch (RuntimeException e) {
                LOG.warn("The audit trail did not take the engine fault of {} on case {}: {}", name, caseId.value(),
                        AdapterGuard.describe(e));
            }
            throw coded;
        }
    }

    /**
     * A fault of posunbind's own code outside a step (in the run loop, its timers, the codec): logged once
     * at ERROR with its (scrubbed) stack trace, and the case stopped {@link CaseState#FAILED} for an
     * operator if it can still be stored, so that it is neither retried nor logged again on every tick.
     *
     * @return what the caller is told: {@link CoreErrorCode#ENGINE_FAULT}
     */
    private PosUnbindException engineFault(CaseId caseId, String command, RuntimeException fault) {
        LOG.error("Engine fault in case {} during {}; the case stops with {} for an operator", caseId.value(), command,
                CoreErrorCode.ENGINE_FAULT.code(), ScrubbedFault.of(fault));
        String message = "posunbind failed inside the engine during " + command + " with "
                + AdapterGuard.describe(fault) + "; nothing points to the provider. Report it with the log, then"
                + " retry the case as an operator once it is fixed";
        try {
            stopAfterFault(caseId, message);
        } catch (RuntimeException e) {
            LOG.warn("Case {} could not be stopped after an engine fault; it stays as last stored: {}", caseId.value(),
                    AdapterGuard.describe(e));
        }
        return new PosUnbindException(CoreErrorCode.ENGINE_FAULT, "Case " + caseId.value() + ": " + message);
    }

    /** Stops a case at its current step after an engine fault, from its last stored state. */
    private void stopAfterFault(CaseId caseId, String message) {
        ReentrantLock lock = locks.lockFor(caseId.value());
        lock.lock();
        try {
            Optional<CaseRecord> record = store.load(caseId.value());
            if (record.isEmpty() || record.get().leasedToOtherThan(settings.instanceId(), clock.instant())) {
                return;
            }
            CaseDocument document = load(record.get());
            if (!document.state.isOpen()) {
                return;
            }
            String code = CoreErrorCode.ENGINE_FAULT.code();
            StepRecord step = document.currentStep();
            if (step == null) {
                end(document, CaseState.FAILED, code, message);
                history(document, Actor.system(), "CASE_" + CaseState.FAILED, code + ": " + message);
            } else {
                step.status = StepStatus.FAILED;
                step.finishedAt = clock.instant();
                step.nextAttemptAt = null;
                step.lastCode = code;
                step.lastMessage = io.posunbind.internal.audit.DetailScrubber.scrub(message);
                stopCase(document, step, CaseState.FAILED, code, message);
            }
            commit(document);
            save(document, false); // clears the delivered events: the case is no longer due
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a command that committed. Its changes reach the trail reliably through the outbox; this
     * record adds who asked, and a trail failure here must not turn a done command into an error.
     */
    private void auditBestEffort(Actor actor, String name, UnbindRequest request, CaseId caseId, String detail) {
        try {
            auditCommand(actor, name, io.posunbind.audit.AuditOutcome.SUCCESS, request, caseId, detail);
        } catch (RuntimeException e) {
            LOG.warn("The audit trail did not take command {} on case {}: {}", name, caseId, e.toString());
        }
    }

    private void auditCommand(Actor actor, String name, io.posunbind.audit.AuditOutcome outcome,
            UnbindRequest request, CaseId caseId, String detail) {
        if (audit == null) {
            return;
        }
        io.posunbind.audit.AffectedResource resource = request == null
                ? io.posunbind.audit.AffectedResource.ofCase(caseId.value())
                : io.posunbind.audit.AffectedResource.of(caseId.value(), request.terminalSerial(),
                        request.merchantNumber());
        audit.append(actor, io.posunbind.audit.AuditEventTypes.COMMAND, outcome, "api", resource, name + ": " + detail);
    }

    /**
     * @param claimOnly   the change is none (timer-driven work): unless events had to be delivered again,
     *                    the lease is taken without rewriting the case, so a poll that finds nothing new
     *                    leaves the case as it was
     * @param afterCommit runs once the change is stored, before the case is worked on
     */
    private CaseSnapshot locked(CaseId caseId, Consumer<CaseDocument> change, boolean claimOnly,
            Runnable afterCommit) {
        ReentrantLock lock = locks.lockFor(caseId.value());
        lock.lock();
        try {
            CaseRecord record = store.load(caseId.value())
                    .orElseThrow(() -> new PosUnbindException(CoreErrorCode.CASE_NOT_FOUND,
                            "No unbind case " + caseId.value()));
            if (record.leasedToOtherThan(settings.instanceId(), clock.instant())) {
                throw new PosUnbindException(CoreErrorCode.CASE_BUSY, "Case " + caseId.value()
                        + " is being worked on by instance " + record.leaseOwner().orElse("?") + "; retry shortly");
            }
            CaseDocument document = load(record);
            record.leaseOwner().filter(owner -> !owner.equals(settings.instanceId()))
                    .ifPresent(previous -> CaseLog.takenOver(document.id, previous, settings.instanceId()));
            // Events a dead instance stored but may not have delivered go out first (at least once).
            boolean redelivered = deliver(document);
            boolean wasOpen = document.state.isOpen();
            try {
                change.accept(document);
            } catch (RecordedRefusal refused) {
                // The refusal is part of the case's story: store its history entry, then refuse.
                save(document, false);
                deliver(document);
                throw refused.refusal();
            }
            // A closed case that the change left as it was (no new events) is not written again.
            if (!document.state.isOpen() && !wasOpen && !redelivered && document.outbox.isEmpty()) {
                return snapshot(document);
            }
            if (claimOnly && !redelivered) {
                claim(document, record);
            } else {
                save(document, true);
            }
            leases.held(document.id);
            try {
                afterCommit.run();
                deliver(document);
                return work(document);
            } catch (RuntimeException e) {
                leases.released(document.id);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs a case this instance holds the lease of, then gives the lease back. */
    private CaseSnapshot work(CaseDocument document) {
        try {
            boolean unchanged = document.state.isOpen() && run(document);
            if (unchanged) {
                // Nothing new since the last write: store only when to look again, and give the lease back.
                reschedule(document);
            } else {
                // The last write gives the lease back and clears the delivered events.
                save(document, false);
            }
            return snapshot(document);
        } finally {
            leases.released(document.id);
        }
    }

    /**
     * Works on the case until it waits or ends.
     *
     * @return whether the case is as last stored but for its current step's next attempt: a poll that
     *         found nothing new, which is neither stored again nor reported
     */
    private boolean run(CaseDocument document) {
        PaymentProvider provider = providers.require(document.request.providerId());
        CaseId caseId = CaseId.of(document.id);
        for (int transitions = 0; transitions < MAX_TRANSITIONS_PER_CALL && document.state.isOpen(); transitions++) {
            if (gate.closing()) {
                return false; // shutting down between steps: the case stays due, for this or another instance
            }
            StepRecord step = document.currentStep();
            Instant now = clock.instant();
            if (step == null) {
                complete(document, now);
                commit(document);
                return false;
            }
            if (fireTimers(document, step, now, provider)) {
                commit(document);
                continue;
            }
            if (step.nextAttemptAt != null && step.nextAttemptAt.isAfter(now)) {
                // Not due yet: the timer brings it back.
                return differenceFromStored(document) == Difference.NONE;
            }
            if (step.status == StepStatus.PLANNED) {
                step.status = StepStatus.WAITING;
                step.startedAt = now;
                emit(document, seq -> new UnbindEvent.StepStarted(caseId, seq, now, step.kind, step.number,
                        step.target));
            }
            document.state = CaseState.RUNNING;
            WaitReason previousWait = document.waitingFor;
            document.waitingFor = null;
            LOG.debug("Case {} step {} {} {}", document.id, step.number, step.kind, step.target);
            StepResult result = executor.execute(document, step, provider, () -> save(document, true));
            Instant after = clock.instant();
            if (result instanceof StepResult.Done done) {
                step.status = StepStatus.DONE;
                step.finishedAt = after;
                step.nextAttemptAt = null;
                step.lastCode = null;
                step.lastMessage = null;
                document.violations.clear();
                clearInputTimers(document);
                if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                    document.approvalDeadlineAt = null;
                }
                history(document, Actor.system(), "STEP_DONE", step.kind + stepTarget(step) + ": " + done.detail());
                emit(document, seq -> new UnbindEvent.StepFinished(caseId, seq, after, step.kind, step.number,
                        step.target, true, done.detail()));
                if (document.currentStep() == null) {
                    // The last step's end is the case's: one transition, one write.
                    complete(document, after);
                }
                commit(document);
            } else if (result instanceof StepResult.Wait wait) {
                boolean sameWait = previousWait == wait.reason();
                document.state = CaseState.WAITING;
                document.waitingFor = wait.reason();
                step.nextAttemptAt = wait.wakeAt();
                startInputTimers(document, step, wait.reason(), sameWait, after);
                if (!sameWait || !lastHistoryIs(document, "WAITING", step)) {
                    history(document, Actor.system(), "WAITING",
                            step.kind + stepTarget(step) + " waits for " + wait.reason() + ": " + wait.detail());
                }
                Difference difference = sameWait ? differenceFromStored(document) : Difference.CHANGED;
                if (difference != Difference.CHANGED) {
                    // A poll that found nothing new: no event, and no rewrite unless the store still holds
                    // events delivered meanwhile (the last write clears them).
                    LOG.debug("Case {} still waits at {} for {}", document.id, step.kind, wait.reason());
                    return difference == Difference.NONE;
                }
                emit(document, seq -> new UnbindEvent.CaseWaiting(caseId, seq, after, step.kind, wait.reason(),
                        wait.detail()));
                commit(document);
                LOG.debug("Case {} waits at {} for {}: {}", document.id, step.kind, wait.reason(), wait.detail());
                if (wait.reason() == WaitReason.RETRY) {
                    CaseLog.retrying(document.id, step.kind, step.lastCode == null ? "-" : step.lastCode,
                            wait.wakeAt());
                } else if (!sameWait) {
                    CaseLog.waiting(document.id, step.kind, wait.reason());
                }
                return false;
            } else if (result instanceof StepResult.Skipped skipped) {
                SkippedSteps.mark(document, step, skipped.code(), skipped.reason(), after);
                document.violations.clear();
                if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                    document.approvalDeadlineAt = null;
                }
                clearInputTimers(document);
                emit(document, seq -> new UnbindEvent.StepFinished(caseId, seq, after, step.kind, step.number,
                        step.target, true, "skipped: " + step.lastMessage));
                if (document.currentStep() == null) {
                    complete(document, after);
                }
                commit(document);
            } else if (result instanceof StepResult.Stop stop) {
                step.status = StepStatus.FAILED;
                step.finishedAt = after;
                step.lastCode = stop.code();
                step.lastMessage = stop.message();
                stopCase(document, step, stop.state(), stop.code(), stop.message());
                commit(document);
                return false;
            }
        }
        return false;
    }

    /** What the provider lacks for the request, given what it offers and where approval happens. */
    private List<RuleViolation> capabilityProblems(UnbindRequest request, ProviderDeclarations declared) {
        return planner.checkCapabilities(request, declared.capabilities(), declared.operations(), declared.approval());
    }

    /** The initial plan at this provider, with what it does not offer marked skipped. */
    private List<PlannedStep> planFor(UnbindRequest request, ProviderDeclarations declared) {
        return planner.initialPlan(request, declared.capabilities(), declared.operations(), declared.approval(),
                settings.internalReview());
    }

    private void complete(CaseDocument document, Instant now) {
        end(document, CaseState.COMPLETED, null, null);
        CaseLog.completed(document.id);
        history(document, Actor.system(), "CASE_COMPLETED", "all steps done");
        emit(document, seq -> new UnbindEvent.CaseFinished(CaseId.of(document.id), seq, now, CaseState.COMPLETED, ""));
    }

    /** Stores one transition with its events, then delivers them. */
    private void commit(CaseDocument document) {
        save(document, true);
        deliver(document);
    }

    private void stopCase(CaseDocument document, StepRecord step, CaseState state, String code, String message) {
        CaseId caseId = CaseId.of(document.id);
        Instant now = clock.instant();
        end(document, state, code, message);
        CaseLog.ended(document.id, state, step.kind, code);
        history(document, Actor.system(), "CASE_" + state, code + ": " + message);
        emit(document, seq -> new UnbindEvent.StepFinished(caseId, seq, now, step.kind, step.number, step.target,
                false, message));
        emit(document, seq -> new UnbindEvent.CaseFinished(caseId, seq, now, state, code + ": " + message));
    }

    // --- durable timers: reminders and the approval deadline --------------------------------------

    private static boolean waitsForInput(WaitReason reason) {
        return reason == WaitReason.DOCUMENTS || reason == WaitReason.FEE_CONSENT
                || reason == WaitReason.INTERNAL_REVIEW
                || reason == WaitReason.INSTITUTION_DECISION;
    }

    /**
     * Starts a new wait's clock: since when the case waits (for operators' searches, every wait) and,
     * for input, the reminders. Repeating the same wait (a poll) keeps both.
     */
    private void startInputTimers(CaseDocument document, StepRecord step, WaitReason reason, boolean sameWait,
            Instant now) {
        if (!sameWait || document.waitingSince == null) {
            document.waitingSince = now;
            document.nextReminderAt = waitsForInput(reason) ? now.plus(settings.reminderInterval()) : null;
        }
        if (!waitsForInput(reason)) {
            return;
        }
        if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL && reason == WaitReason.INSTITUTION_DECISION
                && document.approvalDeadlineAt == null) {
            document.approvalDeadlineAt = now.plus(settings.approvalDeadline());
        }
    }

    private static void clearInputTimers(CaseDocument document) {
        document.waitingSince = null;
        document.nextReminderAt = null;
    }

    /**
     * Fires the case's due timers. Each firing is stored with its event in one write, so it happens
     * once however often instances restart.
     *
     * @return whether something fired (and must be stored)
     */
    private boolean fireTimers(CaseDocument document, StepRecord step, Instant now, PaymentProvider provider) {
        if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL && document.decision == null
                && document.approvalDeadlineAt != null && !now.isBefore(document.approvalDeadlineAt)
                && !decidedMeanwhile(document, provider)) {
            step.status = StepStatus.FAILED;
            step.finishedAt = now;
            step.lastCode = CoreErrorCode.APPROVAL_EXPIRED.code();
            String message = "The institution did not decide by " + document.approvalDeadlineAt
                    + "; the application lapsed. Apply again with a new case";
            step.lastMessage = message;
            stopCase(document, step, CaseState.FAILED, CoreErrorCode.APPROVAL_EXPIRED.code(), message);
            return true;
        }
        if (document.state == CaseState.WAITING && document.waitingFor != null
                && waitsForInput(document.waitingFor) && document.nextReminderAt != null
                && !now.isBefore(document.nextReminderAt)) {
            WaitReason reason = document.waitingFor;
            Instant since = document.waitingSince == null ? now : document.waitingSince;
            emit(document, seq -> new UnbindEvent.Reminder(CaseId.of(document.id), seq, now, reason, since));
            history(document, Actor.system(), "REMINDER", "still waiting for " + reason + " since " + since);
            while (!now.isBefore(document.nextReminderAt)) {
                document.nextReminderAt = document.nextReminderAt.plus(settings.reminderInterval());
            }
            return true;
        }
        return false;
    }

    /** Whether the last entry, reminders aside (they remind of the wait, they do not end it), is this step's event. */
    private static boolean lastHistoryIs(CaseDocument document, String event, StepRecord step) {
        for (int i = document.history.size() - 1; i >= 0; i--) {
            HistoryEntry entry = document.history.get(i);
            if (!entry.event().equals("REMINDER")) {
                return entry.event().equals(event) && entry.detail().startsWith(step.kind + stepTarget(step) + " ");
            }
        }
        return false;
    }

    private static String stepTarget(StepRecord step) {
        return step.target.isEmpty() ? "" : "[" + step.target + "]";
    }

    private void emit(CaseDocument document, java.util.function.LongFunction<UnbindEvent> event) {
        document.outbox.add(event.apply(document.nextEventSequence++));
    }

    private void auditEvent(CaseDocument document, UnbindEvent event) {
        io.posunbind.audit.AffectedResource resource = io.posunbind.audit.AffectedResource.of(document.id,
                document.request.terminalSerial(), document.request.merchantNumber());
        String type;
        io.posunbind.audit.AuditOutcome outcome = io.posunbind.audit.AuditOutcome.SUCCESS;
        String detail;
        Actor actor = Actor.system();
        if (event instanceof UnbindEvent.StepStarted started) {
            type = io.posunbind.audit.AuditEventTypes.STEP_STARTED;
            detail = started.step() + " #" + started.number() + " " + started.target();
        } else if (event instanceof UnbindEvent.StepFinished finished) {
            type = io.posunbind.audit.AuditEventTypes.STEP_DONE;
            outcome = io.posunbind.audit.AuditOutcome.of(finished.succeeded());
            detail = finished.step() + " #" + finished.number() + " " + finished.target() + ": " + finished.detail();
        } else if (event instanceof UnbindEvent.CaseWaiting waiting) {
            type = io.posunbind.audit.AuditEventTypes.CASE_WAITING;
            detail = waiting.step() + " waits for " + waiting.reason() + ": " + waiting.detail();
        } else if (event instanceof UnbindEvent.CaseFinished finished) {
            type = io.posunbind.audit.AuditEventTypes.CASE_FINISHED;
            outcome = io.posunbind.audit.AuditOutcome.of(finished.state() == CaseState.COMPLETED);
            detail = finished.state() + " " + finished.detail();
        } else if (event instanceof UnbindEvent.Reminder reminder) {
            type = "REMINDER";
            detail = "waiting for " + reminder.reason() + " since " + reminder.waitingSince();
        } else {
            UnbindEvent.OperatorAction action = (UnbindEvent.OperatorAction) event;
            type = "OPERATOR_" + action.action();
            actor = Actor.operator(action.actorId());
            detail = action.reason();
        }
        audit.append(actor, type, outcome, "engine:" + settings.instanceId(), resource,
                "event " + event.sequence() + ": " + detail);
    }

    /** Records a call to the provider: it happened, whatever becomes of the step that made it. */
    private void auditProviderCall(CaseDocument document, io.posunbind.spi.OperationKind kind, String key,
            int attempt, String result, boolean succeeded) {
        if (audit == null) {
            return;
        }
        audit.append(Actor.system(), io.posunbind.audit.AuditEventTypes.PROVIDER_CALL,
                io.posunbind.audit.AuditOutcome.of(succeeded), "provider:" + document.request.providerId(),
                io.posunbind.audit.AffectedResource.of(document.id, document.request.terminalSerial(),
                        document.request.merchantNumber()),
                kind + " key " + key + " attempt " + attempt + ": " + result);
    }

    /**
     * Stores the case. While this instance works on it the record carries its lease, extended; the
     * last write of a call gives the lease back.
     */
    private void save(CaseDocument document, boolean keepLease) {
        long expected = document.version;
        document.version = expected + 1;
        document.updatedAt = clock.instant();
        CaseRecord record;
        try {
            record = toRecord(document, keepLease);
            store.update(record, expected);
        } catch (RuntimeException e) {
            document.version = expected;
            throw e;
        }
        document.indexedReferences.addAll(record.providerReferences());
        remember(document, record.document());
    }

    /**
     * Takes the lease of a case for timer-driven work without rewriting it: its version rises (a writer
     * whose lease expired meanwhile is still refused), its content, update time and wake time stay.
     */
    private void claim(CaseDocument document, CaseRecord record) {
        long expected = document.version;
        store.reschedule(document.id, expected, record.wakeAt(), Optional.of(settings.instanceId()),
                Optional.of(clock.instant().plus(settings.leaseDuration())));
        document.version = expected + 1;
        remember(document, codec.write(document));
    }

    /** The last write of a poll that found nothing new: when to look again, and the lease given back. */
    private void reschedule(CaseDocument document) {
        long expected = document.version;
        Optional<Instant> wakeAt = wakeAt(document);
        store.reschedule(document.id, expected, wakeAt, Optional.empty(), Optional.empty());
        document.version = expected + 1;
        document.wakeAt = wakeAt.orElse(null);
    }

    /** Notes the case as the store now has it, to tell later whether a poll changed anything. */
    private static void remember(CaseDocument document, String json) {
        StepRecord step = document.currentStep();
        document.storedJson = json;
        document.storedNextAttemptAt = step == null ? null : step.nextAttemptAt;
        document.storedOutbox = List.copyOf(document.outbox);
    }

    /** How a case in memory differs from the store's copy, its current step's next attempt aside. */
    private enum Difference {
        /** Not at all: only the next attempt needs storing. */
        NONE,
        /** Only by events stored and delivered since: a write must clear them, nothing needs reporting. */
        DELIVERED_EVENTS,
        /** By anything else. */
        CHANGED
    }

    /**
     * Compares the case with the store's copy. Within one engine call the codec writes unchanged values
     * identically (it remembers their JSON, encrypted fields included), so equal JSON means nothing
     * changed; should it ever differ needlessly, the case is merely written and reported once more.
     */
    private Difference differenceFromStored(CaseDocument document) {
        if (document.storedJson == null) {
            return Difference.CHANGED;
        }
        boolean delivered = document.outbox.isEmpty() && !document.storedOutbox.isEmpty();
        if (!document.outbox.isEmpty() && !delivered && !document.outbox.equals(document.storedOutbox)) {
            return Difference.CHANGED;
        }
        StepRecord step = document.currentStep();
        Instant planned = step == null ? null : step.nextAttemptAt;
        List<UnbindEvent> outbox = document.outbox;
        if (step != null) {
            step.nextAttemptAt = document.storedNextAttemptAt;
        }
        document.outbox = new ArrayList<>(document.storedOutbox);
        try {
            if (!codec.write(document).equals(document.storedJson)) {
                return Difference.CHANGED;
            }
            return delivered ? Difference.DELIVERED_EVENTS
                    : outbox.isEmpty() ? Difference.NONE : Difference.CHANGED;
        } finally {
            document.outbox = outbox;
            if (step != null) {
                step.nextAttemptAt = planned;
            }
        }
    }

    /** Delivers the stored events to the listeners, in order, and forgets them (the next write clears them). */
    private boolean deliver(CaseDocument document) {
        if (document.outbox.isEmpty()) {
            return false;
        }
        if (audit != null) {
            // The audit comes first and is not optional: if it fails the events stay in the stored
            // outbox and are delivered again, so no committed change goes unrecorded.
            for (UnbindEvent event : document.outbox) {
                auditEvent(document, event);
            }
        }
        for (UnbindEvent event : document.outbox) {
            for (UnbindListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed on {}: {}", listener.getClass().getName(),
                            event.getClass().getSimpleName(), e.toString());
                }
            }
        }
        document.outbox.clear();
        return true;
    }

    /** One last look at the institution before an application is declared lapsed. */
    private boolean decidedMeanwhile(CaseDocument document, PaymentProvider provider) {
        if (document.applicationReference == null || provider.applicationAdapter().isEmpty()) {
            return false;
        }
        try {
            Optional<InstitutionDecision> decision = provider.applicationAdapter().get()
                    .readDecision(document.applicationReference);
            decision.ifPresent(found -> document.decision = found);
            return decision.isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void end(CaseDocument document, CaseState state, String code, String message) {
        document.state = state;
        document.waitingFor = null;
        document.failureCode = code;
        document.failureMessage = message == null ? null : io.posunbind.internal.audit.DetailScrubber.scrub(message);
        document.wakeAt = null;
        document.nextReminderAt = null;
        document.waitingSince = null;
    }

    private void history(CaseDocument document, Actor actor, String event, String detail) {
        // Provider texts end up here; a careless provider may quote a card number, so scrub what is kept.
        document.history.add(new HistoryEntry(clock.instant(), actor.id(), event,
                io.posunbind.internal.audit.DetailScrubber.scrub(detail)));
    }

    private static void requireOpen(CaseDocument document) {
        if (!document.state.isOpen()) {
            throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                    "Case " + document.id + " is " + document.state + " and takes no more commands");
        }
    }

    private void wakeIfWaitingFor(CaseDocument document, WaitReason reason) {
        StepRecord step = document.currentStep();
        if (step != null && document.waitingFor == reason) {
            dueNow(step);
        }
    }

    /**
     * Makes the case's current step due now: what it waited for has arrived. Kept as a time rather than
     * cleared, so that the stored wake time finds the case even when no step runs before this instance
     * stops (a shutdown that begins before the step, a crash): a step that waits for input and has none
     * keeps no next attempt.
     */
    private void dueNow(StepRecord step) {
        step.nextAttemptAt = clock.instant();
    }

    private CaseDocument load(CaseRecord record) {
        CaseDocument document = codec.read(record.caseId(), record.document());
        document.version = record.version();
        // A poll that found nothing new stores only its next wake time (see reschedule): the record's wake
        // time then lies after the step's stored next attempt, and it is the one that counts. After any
        // full write it is the earliest of the case's timers, never after the step's next attempt.
        document.wakeAt = record.wakeAt().orElse(null);
        // Every reference the case holds was indexed with the write that recorded it (schema V7 indexed
        // those of cases stored before it), so only references recorded from now on are sent again.
        document.indexedReferences = providerReferences(document);
        StepRecord step = document.currentStep();
        if (document.state == CaseState.WAITING && step != null && step.nextAttemptAt != null
                && record.wakeAt().filter(wake -> wake.isAfter(step.nextAttemptAt)).isPresent()) {
            step.nextAttemptAt = record.wakeAt().get();
        }
        return document;
    }

    private CaseRecord toRecord(CaseDocument document, boolean leased) {
        Optional<Instant> wakeAt = wakeAt(document);
        document.wakeAt = wakeAt.orElse(null);
        Optional<String> owner = leased ? Optional.of(settings.instanceId()) : Optional.empty();
        Optional<Instant> until = leased ? Optional.of(clock.instant().plus(settings.leaseDuration()))
                : Optional.empty();
        boolean waiting = document.state == CaseState.WAITING && document.waitingFor != null;
        return new CaseRecord(document.id, document.version, document.state.name(), document.request.providerId(),
                document.request.merchantNumber(), document.request.terminalSerial(), document.state.isOpen(), wakeAt,
                document.createdAt, document.updatedAt, codec.write(document), owner, until,
                !document.outbox.isEmpty(), waiting ? Optional.of(document.waitingFor.name()) : Optional.empty(),
                waiting ? Optional.ofNullable(document.waitingSince) : Optional.empty(), newReferences(document));
    }

    /**
     * The references by which the provider names the case, written with every change so the store indexes
     * each with the change that first records it: a provider's notification naming only its reference
     * finds the case as soon as the case knows the reference. A reference too long to index is left out
     * (such a notification is then refused as naming no known case, and the case still polls).
     */
    /**
     * The references recorded since the case's last write: the store indexes each once, with the change
     * that first records it, instead of merging every reference again on every write.
     */
    private static Set<String> newReferences(CaseDocument document) {
        Set<String> references = providerReferences(document);
        references.removeAll(document.indexedReferences);
        return references;
    }

    private static Set<String> providerReferences(CaseDocument document) {
        Set<String> references = new HashSet<>();
        if (document.applicationReference != null) {
            references.add(document.applicationReference);
        }
        references.addAll(document.supersededApplications);
        for (StepRecord step : document.steps) {
            if (step.providerReference != null) {
                references.add(step.providerReference);
            }
            if (step.sentKey != null) {
                // A provider that answered pending without a reference names the operation by its key.
                references.add(step.sentKey);
            }
        }
        references.removeIf(reference -> reference.isEmpty()
                || reference.length() > CaseRecord.MAX_PROVIDER_REFERENCE_LENGTH);
        return references;
    }

    /**
     * The ids of a provider's open cases that its reference names now, for a callback of the kind given
     * (see {@link CaseStore#findByProviderReference}). The store's index keeps every reference a case ever
     * had, so each candidate is checked against its current document: an application reference names a case
     * whose application (or a superseded one, so that a late decision is refused as a mismatch) it is; an
     * operation's reference or idempotency key names a case whose current step it is. Closed cases, finished
     * steps and the other kind of reference are ignored, so they neither hide nor make ambiguous the case
     * that waits for the callback.
     */
    List<String> casesByProviderReference(String providerId, String reference, boolean applicationReference) {
        List<String> live = new ArrayList<>();
        for (String caseId : store.findByProviderReference(providerId, reference)) {
            Optional<CaseRecord> record = store.load(caseId);
            if (record.isEmpty() || !record.get().open()) {
                continue;
            }
            CaseDocument document = load(record.get());
            if (applicationReference ? reference.equals(document.applicationReference)
                    || document.supersededApplications.contains(reference) : currentStepNamed(document, reference)) {
                live.add(caseId);
            }
        }
        return live;
    }

    /** Whether the reference names the operation of the case's current step, by the provider's reference or key. */
    private static boolean currentStepNamed(CaseDocument document, String reference) {
        StepRecord step = document.currentStep();
        return step != null && (reference.equals(step.providerReference) || reference.equals(step.sentKey));
    }

    /** When the engine must next look at the case by itself: the earliest of its timers, if any. */
    private static Optional<Instant> wakeAt(CaseDocument document) {
        Optional<Instant> wakeAt;
        if (document.state == CaseState.RUNNING) {
            // A running case is due at once: if this process dies mid-step, any instance picks it up
            // (after the lease expires).
            wakeAt = Optional.of(document.updatedAt);
        } else if (document.state == CaseState.WAITING) {
            StepRecord step = document.currentStep();
            boolean approving = step != null && step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL;
            wakeAt = hasWorkNow(document, step) ? Optional.of(document.updatedAt)
                    : earliest(step == null ? null : step.nextAttemptAt, document.nextReminderAt,
                            approving ? document.approvalDeadlineAt : null);
        } else {
            wakeAt = Optional.empty();
        }
        return wakeAt;
    }

    /**
     * Whether a waiting case has work to do now although its step has no next attempt: no step at all
     * (the case only needs completing), a wait that no input ends (a provider operation, a verification
     * or a retry: they always carry a next attempt, so none means an answer arrived that no step took up,
     * as cases stored before commands kept a time did), or input that has arrived.
     */
    private static boolean hasWorkNow(CaseDocument document, StepRecord step) {
        if (step == null || document.waitingFor == null) {
            return true;
        }
        if (step.nextAttemptAt != null) {
            return false;
        }
        return switch (document.waitingFor) {
            case FEE_CONSENT -> document.feeConsent != null;
            case INTERNAL_REVIEW -> document.internalReviewApproved != null;
            case INSTITUTION_DECISION -> document.decision != null;
            // The documents' check runs with the step: the submitting command makes it due by a time.
            case DOCUMENTS -> false;
            default -> true;
        };
    }

    private static Optional<Instant> earliest(Instant... instants) {
        Instant earliest = null;
        for (Instant instant : instants) {
            if (instant != null && (earliest == null || instant.isBefore(earliest))) {
                earliest = instant;
            }
        }
        return Optional.ofNullable(earliest);
    }

    private CaseSnapshot snapshot(CaseDocument document) {
        List<StepSnapshot> steps = document.steps.stream()
                .map(step -> new StepSnapshot(step.number, step.kind, step.target, step.status, step.attempts,
                        Optional.ofNullable(step.providerReference), Optional.ofNullable(step.lastCode),
                        Optional.ofNullable(step.lastMessage), Optional.ofNullable(step.operatorNote)))
                .toList();
        return new CaseSnapshot(CaseId.of(document.id), document.version, document.request, document.state,
                Optional.ofNullable(document.waitingFor), steps, document.violations,
                Optional.ofNullable(document.feeQuote), Optional.ofNullable(document.failureCode),
                Optional.ofNullable(document.failureMessage), document.history, document.createdAt,
                document.updatedAt, Optional.ofNullable(document.wakeAt));
    }
}
