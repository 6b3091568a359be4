package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.HistoryEntry;
import io.posunbind.InvalidRequestException;
import io.posunbind.RetryPolicy;
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
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    private final CaseCodec codec = new CaseCodec();
    private final Planner planner = new Planner();
    private final CaseLocks locks = new CaseLocks(256);
    private final StepExecutor executor;

    /**
     * Creates an engine.
     *
     * @param store        where cases live
     * @param clock        the only source of time
     * @param providers    the providers cases may use
     * @param listeners    progress listeners
     * @param retryPolicy  how provider operations are retried
     * @param pollInterval how often pending operations, decisions and settlement are checked
     * @param random       jitter source
     */
    public UnbindEngine(CaseStore store, Clock clock, ProviderRegistry providers, List<UnbindListener> listeners,
            RetryPolicy retryPolicy, Duration pollInterval, RandomGenerator random) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.listeners = List.copyOf(listeners);
        this.executor = new StepExecutor(clock, retryPolicy, pollInterval, random, planner, new DocumentRules(clock));
    }

    /** Opens a case and advances it as far as it goes without input. */
    public CaseSnapshot open(UnbindRequest request) {
        Objects.requireNonNull(request, "request");
        PaymentProvider provider = providers.require(request.providerId());
        List<RuleViolation> missing = planner.checkCapabilities(request, provider.capabilities());
        if (!missing.isEmpty()) {
            throw new InvalidRequestException(CoreErrorCode.CAPABILITY_MISSING,
                    "Provider " + provider.id() + " cannot carry out this request", missing);
        }
        if (!store.findOpenCaseIds(request.providerId(), request.terminalSerial()).isEmpty()) {
            throw new PosUnbindException(CoreErrorCode.TERMINAL_ALREADY_IN_CASE,
                    "Terminal " + request.terminalSerial() + " already has an open unbind case at "
                            + request.providerId() + "; finish or cancel it first");
        }
        Instant now = clock.instant();
        CaseDocument document = new CaseDocument();
        document.id = CaseId.random().value();
        document.version = 1;
        document.request = request;
        document.documents = new ArrayList<>(request.documents());
        for (PlannedStep planned : planner.initialPlan(request, provider.capabilities())) {
            document.steps.add(new StepRecord(document.nextStepNumber++, planned.kind(), planned.target()));
        }
        document.createdAt = now;
        document.updatedAt = now;
        document.history.add(new HistoryEntry(now, request.requestedBy().id(), "CASE_OPENED",
                "reason " + request.reason() + ", scope " + request.scope()
                        + request.replacement().map(r -> ", replacement " + r.serialNumber()).orElse("")));
        store.insert(toRecord(document));
        LOG.info("Opened unbind case {} for terminal {} at {}", document.id, request.terminalSerial(),
                request.providerId());
        return advance(CaseId.of(document.id));
    }

    /** Advances a case as far as it goes now. */
    public CaseSnapshot advance(CaseId caseId) {
        return command(caseId, document -> {
        });
    }

    /** Adds or replaces documents (one per kind) and advances. */
    public CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        Objects.requireNonNull(actor, "actor");
        List<Document> submitted = List.copyOf(documents);
        return command(caseId, document -> {
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
        return command(caseId, document -> {
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
        return command(caseId, document -> {
            requireOpen(document);
            if (document.waitingFor != WaitReason.FEE_CONSENT) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for fee consent");
            }
            history(document, actor, "FEES_DECLINED", "quote " + document.feeQuote.quoteId());
            end(document, CaseState.CANCELLED, "UNB-FEES-DECLINED", "The merchant declined the fees");
        });
    }

    /** Records the institution's decision (from a callback or a person) and advances. */
    public CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(decision, "decision");
        return command(caseId, document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || step.kind != StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " does not wait for the institution's decision");
            }
            if (document.applicationReference != null
                    && !document.applicationReference.equals(decision.applicationReference())) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "The decision is for application " + decision.applicationReference()
                                + " but the case's application is " + document.applicationReference);
            }
            document.decision = decision;
            history(document, actor, "DECISION_RECORDED", decision.outcome() + " " + decision.reasonCode());
            step.nextAttemptAt = null;
        });
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
        return command(caseId, document -> {
            requireOpen(document);
            StepRecord step = document.currentStep();
            if (step == null || !providerReference.equals(step.providerReference)) {
                throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                        "Case " + document.id + " has no pending operation " + providerReference);
            }
            step.deliveredOutcome = outcome;
            step.nextAttemptAt = null;
            history(document, actor, "OPERATION_CALLBACK", step.kind + " " + outcome.getClass().getSimpleName());
        });
    }

    /** Cancels an open case, recording who and why. */
    public CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        return command(caseId, document -> {
            requireOpen(document);
            history(document, actor, "CASE_CANCELLED", reason);
            end(document, CaseState.CANCELLED, "UNB-CANCELLED", "Cancelled by " + actor.id() + ": " + reason);
        });
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
        int advanced = 0;
        for (String caseId : store.findDue(clock.instant(), limit)) {
            try {
                advance(CaseId.of(caseId));
                advanced++;
            } catch (PosUnbindException e) {
                LOG.warn("Case {} could not be advanced: {}", caseId, e.getMessage());
            }
        }
        return advanced;
    }

    // ----------------------------------------------------------------------------------------------

    private CaseSnapshot command(CaseId caseId, Consumer<CaseDocument> change) {
        Objects.requireNonNull(caseId, "caseId");
        ReentrantLock lock = locks.lockFor(caseId.value());
        lock.lock();
        try {
            CaseRecord record = store.load(caseId.value())
                    .orElseThrow(() -> new PosUnbindException(CoreErrorCode.CASE_NOT_FOUND,
                            "No unbind case " + caseId.value()));
            CaseDocument document = load(record);
            List<UnbindEvent> events = new ArrayList<>();
            change.accept(document);
            if (document.state.isOpen()) {
                run(document, events);
            } else if (document.version != record.version() || changed(document, record)) {
                save(document);
                events.add(new UnbindEvent.CaseFinished(caseId, clock.instant(), document.state,
                        Objects.toString(document.failureMessage, "")));
            }
            publish(events);
            return snapshot(document);
        } finally {
            lock.unlock();
        }
    }

    private static boolean changed(CaseDocument document, CaseRecord record) {
        return !document.state.name().equals(record.state());
    }

    private void run(CaseDocument document, List<UnbindEvent> events) {
        PaymentProvider provider = providers.require(document.request.providerId());
        CaseId caseId = CaseId.of(document.id);
        boolean dirty = document.state != CaseState.RUNNING;
        for (int transitions = 0; transitions < MAX_TRANSITIONS_PER_CALL && document.state.isOpen(); transitions++) {
            StepRecord step = document.currentStep();
            Instant now = clock.instant();
            if (step == null) {
                end(document, CaseState.COMPLETED, null, null);
                history(document, Actor.system(), "CASE_COMPLETED", "all steps done");
                saveAndPublish(document, events, new UnbindEvent.CaseFinished(caseId, now, CaseState.COMPLETED, ""));
                return;
            }
            if (step.nextAttemptAt != null && step.nextAttemptAt.isAfter(now)) {
                // Not due yet: leave it to the timer.
                if (dirty) {
                    saveAndPublish(document, events);
                }
                return;
            }
            if (step.status == StepStatus.PLANNED) {
                step.status = StepStatus.WAITING;
                step.startedAt = now;
                events.add(new UnbindEvent.StepStarted(caseId, now, step.kind, step.number, step.target));
            }
            document.state = CaseState.RUNNING;
            document.waitingFor = null;
            LOG.debug("Case {} step {} {} {}", document.id, step.number, step.kind, step.target);
            StepResult result = executor.execute(document, step, provider, () -> save(document));
            now = clock.instant();
            if (result instanceof StepResult.Done done) {
                step.status = StepStatus.DONE;
                step.finishedAt = now;
                step.nextAttemptAt = null;
                step.lastCode = null;
                step.lastMessage = null;
                document.violations.clear();
                history(document, Actor.system(), "STEP_DONE", step.kind + stepTarget(step) + ": " + done.detail());
                saveAndPublish(document, events, new UnbindEvent.StepFinished(caseId, now, step.kind, step.number,
                        step.target, true, done.detail()));
                dirty = false;
            } else if (result instanceof StepResult.Wait wait) {
                boolean sameWait = document.waitingFor == wait.reason();
                document.state = CaseState.WAITING;
                document.waitingFor = wait.reason();
                step.nextAttemptAt = wait.wakeAt();
                if (!sameWait || !lastHistoryIs(document, "WAITING", step)) {
                    history(document, Actor.system(), "WAITING",
                            step.kind + stepTarget(step) + " waits for " + wait.reason() + ": " + wait.detail());
                }
                saveAndPublish(document, events,
                        new UnbindEvent.CaseWaiting(caseId, now, step.kind, wait.reason(), wait.detail()));
                LOG.info("Case {} waits at {} for {}: {}", document.id, step.kind, wait.reason(), wait.detail());
                return;
            } else if (result instanceof StepResult.Stop stop) {
                step.status = StepStatus.FAILED;
                step.finishedAt = now;
                step.lastCode = stop.code();
                step.lastMessage = stop.message();
                end(document, stop.state(), stop.code(), stop.message());
                history(document, Actor.system(), "CASE_" + stop.state(), stop.code() + ": " + stop.message());
                saveAndPublish(document, events,
                        new UnbindEvent.StepFinished(caseId, now, step.kind, step.number, step.target, false,
                                stop.message()),
                        new UnbindEvent.CaseFinished(caseId, now, stop.state(), stop.code() + ": " + stop.message()));
                LOG.info("Case {} ended {} at {}: {}", document.id, stop.state(), step.kind, stop.code());
                return;
            }
        }
        if (document.state.isOpen()) {
            // Too many transitions in one call: store progress and let the timer continue.
            saveAndPublish(document, events);
        }
    }

    private static boolean lastHistoryIs(CaseDocument document, String event, StepRecord step) {
        if (document.history.isEmpty()) {
            return false;
        }
        HistoryEntry last = document.history.get(document.history.size() - 1);
        return last.event().equals(event) && last.detail().startsWith(step.kind + stepTarget(step) + " ");
    }

    private static String stepTarget(StepRecord step) {
        return step.target.isEmpty() ? "" : "[" + step.target + "]";
    }

    private void saveAndPublish(CaseDocument document, List<UnbindEvent> events, UnbindEvent... added) {
        save(document);
        events.addAll(List.of(added));
        // Publish now, in order, so listeners follow steps as they are stored.
        publish(events);
        events.clear();
    }

    private void save(CaseDocument document) {
        long expected = document.version;
        document.version = expected + 1;
        document.updatedAt = clock.instant();
        try {
            store.update(toRecord(document), expected);
        } catch (RuntimeException e) {
            document.version = expected;
            throw e;
        }
    }

    private void publish(List<UnbindEvent> events) {
        for (UnbindEvent event : events) {
            for (UnbindListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed on {}: {}", listener.getClass().getName(),
                            event.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }

    private void end(CaseDocument document, CaseState state, String code, String message) {
        document.state = state;
        document.waitingFor = null;
        document.failureCode = code;
        document.failureMessage = message;
        document.wakeAt = null;
    }

    private void history(CaseDocument document, Actor actor, String event, String detail) {
        document.history.add(new HistoryEntry(clock.instant(), actor.id(), event, detail));
    }

    private static void requireOpen(CaseDocument document) {
        if (!document.state.isOpen()) {
            throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                    "Case " + document.id + " is " + document.state + " and takes no more commands");
        }
    }

    private static void wakeIfWaitingFor(CaseDocument document, WaitReason reason) {
        StepRecord step = document.currentStep();
        if (step != null && document.waitingFor == reason) {
            step.nextAttemptAt = null;
        }
    }

    private CaseDocument load(CaseRecord record) {
        CaseDocument document = codec.read(record.caseId(), record.document());
        document.version = record.version();
        return document;
    }

    private CaseRecord toRecord(CaseDocument document) {
        Optional<Instant> wakeAt;
        if (document.state == CaseState.RUNNING) {
            // A running case is due at once: if this process dies mid-step, any instance picks it up.
            wakeAt = Optional.of(document.updatedAt);
        } else if (document.state == CaseState.WAITING) {
            StepRecord step = document.currentStep();
            wakeAt = Optional.ofNullable(step == null ? null : step.nextAttemptAt);
        } else {
            wakeAt = Optional.empty();
        }
        document.wakeAt = wakeAt.orElse(null);
        return new CaseRecord(document.id, document.version, document.state.name(), document.request.providerId(),
                document.request.merchantNumber(), document.request.terminalSerial(), document.state.isOpen(), wakeAt,
                document.createdAt, document.updatedAt, codec.write(document));
    }

    private CaseSnapshot snapshot(CaseDocument document) {
        List<StepSnapshot> steps = document.steps.stream()
                .map(step -> new StepSnapshot(step.number, step.kind, step.target, step.status, step.attempts,
                        Optional.ofNullable(step.providerReference), Optional.ofNullable(step.lastCode),
                        Optional.ofNullable(step.lastMessage)))
                .toList();
        return new CaseSnapshot(CaseId.of(document.id), document.version, document.request, document.state,
                Optional.ofNullable(document.waitingFor), steps, document.violations,
                Optional.ofNullable(document.feeQuote), Optional.ofNullable(document.failureCode),
                Optional.ofNullable(document.failureMessage), document.history, document.createdAt,
                document.updatedAt, Optional.ofNullable(document.wakeAt));
    }
}
