package io.posunbind;

import io.posunbind.audit.AuditTrail;
import io.posunbind.backup.BackupException;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.batch.Batches;
import io.posunbind.backup.BackupVerification;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
import io.posunbind.http.UnbindHttpApi;
import io.posunbind.internal.batch.BatchService;
import io.posunbind.internal.engine.EngineSettings;
import io.posunbind.internal.engine.UnbindEngine;
import io.posunbind.internal.input.CommandInput;
import io.posunbind.internal.limits.ProviderLimiters;
import io.posunbind.internal.observe.GuardedObserver;
import io.posunbind.internal.observe.HealthCheck;
import io.posunbind.internal.observe.ObservedProvider;
import io.posunbind.internal.observe.ProviderCallRecords;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.internal.store.StoreInternals;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.observe.EngineHealth;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.HealthThresholds;
import io.posunbind.replacement.RankedCandidate;
import io.posunbind.replacement.RankingWeights;
import io.posunbind.replacement.ReplacementNeeds;
import io.posunbind.replacement.TerminalRanker;
import io.posunbind.spi.API;
import io.posunbind.spi.CallLimit;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.store.CaseCounts;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseStore;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out unbind cases: the application developer's entry point.
 *
 * <pre>{@code
 * try (JdbcCaseStore store = JdbcCaseStore.h2File(Path.of("data"));
 *      Unbinder unbinder = Unbinder.builder().store(store).build()) {
 *     CaseSnapshot opened = unbinder.open(request);            // runs until it needs input
 *     unbinder.submitDocuments(opened.id(), actor, documents); // runs on
 *     unbinder.runDueWork();                                   // from a scheduler: retries and polls
 * }
 * }</pre>
 *
 * <p>Commands record, workers run. By default ({@link WaitPolicy#inline()}, the behaviour before 2.0) a
 * command stores its change and then runs the case on the caller's thread, storing it after each step,
 * until the case waits (for documents, consent, a decision, settlement, a provider) or ends. With
 * {@code Builder.commandWait(WaitPolicy.none())} (or {@code open(request, WaitPolicy.none())}) a command
 * only stores its change and marks the case due; {@link UnbindWorker}s, created with
 * {@link #newWorker(WorkerOptions)}, run the cases. Nothing blocks while a case waits. Start a worker, or
 * call {@link #runDueWork()} periodically, to let timers fire.
 *
 * <p>Thread-safe. A case runs on one thread at a time, under its lease: a command on a case another
 * thread or instance is running is refused with {@link CoreErrorCode#CASE_BUSY} (retryable); commands on
 * different cases run in parallel and never wait on each other's provider calls.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Unbinder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Unbinder.class);

    /** How many due cases one {@link #runDueWork()} call handles at most. */
    public static final int DEFAULT_DUE_BATCH = 100;

    private final UnbindEngine engine;
    private final CallbackVerifier callbackVerifier;
    private final ProviderRegistry providers;
    private final ProviderLimiters limiters;
    private final HealthCheck healthCheck;
    private final Object workerLock = new Object();
    private final Duration shutdownTimeout;
    private final Clock clock;
    /** The worker {@link #startWorker(Duration)} started, if any. */
    private UnbindWorker worker;
    /** Every worker of this unbinder not closed yet: closing the unbinder closes them. */
    private final Set<UnbindWorker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger workerCount = new AtomicInteger();
    private final BatchService batches;

    private Unbinder(Builder builder) {
        ProviderRegistry created = ProviderRegistry.create(builder.providers, builder.providerFactories,
                builder.providerSettings, builder.discoverFrom);
        // On a JDBC store the instances on its database share each provider's limits evenly (FleetShare).
        this.limiters = new ProviderLimiters(builder.providerLimits, builder.operationLimits, builder.clock,
                StoreInternals.limitBoard(builder.store), builder.instanceId);
        ProviderCallRecords calls = new ProviderCallRecords(builder.clock);
        EngineObserver observer = GuardedObserver.of(builder.observer);
        try {
            // Every caller reaches providers through the registry: limited there, limited for all. Observed
            // inside the limits, so that only calls that reach the provider are observed.
            this.providers = created.decoratedWith(provider -> limiters.limit(
                    ObservedProvider.observe(provider, observer, calls)));
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        this.callbackVerifier = builder.callbackVerifier;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.clock = builder.clock;
        try {
            this.engine = createEngine(builder, providers, observer);
            engine.beforeEachClaim(limiters::heartbeat);
        } catch (RuntimeException e) {
            providers.close(); // the providers it created must not outlive a builder that failed
            throw e;
        }
        this.healthCheck = new HealthCheck(engine::countCases, providers::ids, calls, builder.clock);
        // Rows of batches start before every look for due work, so the window, pause and cap are honoured there.
        this.batches = new BatchService(builder.store, engine, () -> Set.copyOf(providers.ids()),
                builder.dataKeys != null ? builder.dataKeys : builder.store.defaultDataKeys().orElseThrow(),
                builder.clock);
        engine.beforeEachLook(batches::startDueRows);
    }

    /**
     * Fleet unbinds: open, follow, pause, resume, cancel and report batches of unbind requests (see
     * {@link Batches}).
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public Batches batches() {
        return batches;
    }

    /**
     * Opens a batch of unbind requests, one row per terminal, after validating every row: see
     * {@link Batches#open}. Rows start as cases when workers look for due work.
     *
     * @throws BatchValidationException listing every problem of every row; nothing stored
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public BatchId openBatch(BatchId batchId, List<BatchRow> rows, BatchOptions options, Actor requestedBy) {
        return batches.open(batchId, rows, options, requestedBy);
    }

    private static UnbindEngine createEngine(Builder builder, ProviderRegistry providers, EngineObserver observer) {
        return new UnbindEngine(builder.store, builder.clock, providers, builder.listeners,
                new EngineSettings(builder.retryPolicy, builder.pollInterval, builder.instanceId, builder.leaseDuration,
                        builder.reminderInterval, builder.approvalDeadline, builder.internalReview,
                        Optional.ofNullable(builder.documentChecklist)), builder.random,
                builder.dataKeys != null ? builder.dataKeys : builder.store.defaultDataKeys().orElseThrow(() ->
                        new IllegalStateException("Choose data keys for encrypting card, account, identity and phone"
                                + " numbers: Unbinder.builder().dataKeys(DirectoryDataKeyProvider.open(dir)) or a"
                                + " provider backed by your key service")), builder.auditTrail, builder.commandWait,
                observer);
    }

    /**
     * How the engine stands now, judged by {@link HealthThresholds#defaults()}: whether the store answers,
     * whether each provider answered this process's recent calls, how long due work waits to be claimed and
     * how many cases wait for an operator (see {@link EngineHealth}). One count query on the store, no
     * provider call; a store that fails makes it {@code DOWN} with the store's error code, never an exception.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public EngineHealth health() {
        return health(HealthThresholds.defaults());
    }

    /** How the engine stands now, judged by {@code thresholds} (see {@link #health()}). */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public EngineHealth health(HealthThresholds thresholds) {
        return healthCheck.check(Objects.requireNonNull(thresholds, "thresholds"));
    }

    /**
     * The store's cases counted now: by state, the waiting ones by what they wait for, and the oldest due
     * case no worker claimed yet. One grouped query on the JDBC stores; for gauges, cache it between scrapes.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#STORE_UNAVAILABLE} when the store fails
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public CaseCounts caseCounts() {
        return engine.countCases();
    }

    /**
     * What the engine's limiter of a provider did so far in this process: calls let through, calls deferred
     * for want of a permit, pauses caused by the provider's Retry-After (see {@link ProviderLimits}).
     *
     * @throws PosUnbindException with {@link CoreErrorCode#PROVIDER_NOT_FOUND} for an unknown id
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public ProviderLimitStats providerLimitStats(String providerId) {
        return limiters.stats(providerId);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a case and advances it as far as it goes without input.
     *
     * @throws InvalidRequestException when the provider lacks a capability the request needs
     * @throws PosUnbindException with {@link CoreErrorCode#TERMINAL_ALREADY_IN_CASE} when
     *         the terminal has an open case, or {@link CoreErrorCode#PROVIDER_NOT_FOUND}
     */
    public CaseSnapshot open(UnbindRequest request) {
        return engine.open(request);
    }

    /**
     * Opens a case; {@code wait} says who runs it and whether this call waits (see {@link WaitPolicy}):
     * {@code open(request, WaitPolicy.none())} returns as soon as the case is stored, due for a worker.
     * Other commands follow {@link Builder#commandWait(WaitPolicy)}.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public CaseSnapshot open(UnbindRequest request, WaitPolicy wait) {
        return engine.open(CaseId.random(), request, wait);
    }

    /** Opens a case under the caller's id (idempotently); {@code wait} says who runs it (see {@link WaitPolicy}). */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public CaseSnapshot open(CaseId caseId, UnbindRequest request, WaitPolicy wait) {
        return engine.open(caseId, request, wait);
    }

    /**
     * Opens a case under an id the caller chooses, and advances it. Idempotent: the same id with the
     * same request returns the case as it stands, so a caller may safely retry after a timeout or crash.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#DUPLICATE_CASE} when the id
     *         exists with another request
     */
    public CaseSnapshot open(CaseId caseId, UnbindRequest request) {
        return engine.open(caseId, request);
    }

    /** Adds documents (replacing earlier ones of the same kind) and advances the case. */
    public CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        documents = CommandInput.documents("documents command", caseId, actor, documents);
        return engine.submitDocuments(caseId, actor, documents);
    }

    /**
     * Records the merchant's consent to the fee quote the case shows and advances.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#CONSENT_DOES_NOT_MATCH_QUOTE}
     *         when the consent names another quote or total
     */
    public CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent) {
        CommandInput.present("fee consent", "consent", consent);
        CommandInput.require("fee consent", caseId, consent.consentedBy());
        return engine.consentToFees(caseId, consent);
    }

    /** Records that the merchant declines the fees; the case is cancelled before any fee is incurred. */
    public CaseSnapshot declineFees(CaseId caseId, Actor actor) {
        CommandInput.require("fee decline", caseId, actor);
        return engine.declineFees(caseId, actor);
    }

    /**
     * Passes the merchant's answer to a verification challenge (for example the SMS code sent to the
     * registered phone before a settlement-account change) and advances. The answer is never stored.
     */
    public CaseSnapshot answerVerification(CaseId caseId, Actor actor, String answer) {
        CommandInput.answer("verification answer", caseId, actor, answer);
        return engine.answerVerification(caseId, actor, answer);
    }

    /**
     * What opening a request would do, computed without side effects: the plan, the required and missing
     * documents, the fees, every violation and the waits to expect. The provider is only read.
     */
    public UnbindPreview preview(UnbindRequest request) {
        return engine.preview(request);
    }

    /**
     * Ranks the replacement terminals a provider offers a merchant, on compatibility, features, security
     * and cost, with an explanation in the caller's language (选择新的POS机). Pass the chosen candidate's
     * model in {@link ReplacementTerminal} when opening the case.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#CAPABILITY_MISSING} when the
     *         provider lists no replacements; rank your own candidates with
     *         {@link TerminalRanker} then
     */
    public List<RankedCandidate> rankReplacements(String providerId, String merchantNumber,
            ReplacementNeeds needs, RankingWeights weights,
            Locale locale) {
        var catalog = providers.require(providerId).replacementCatalog().orElseThrow(() ->
                new PosUnbindException(CoreErrorCode.CAPABILITY_MISSING, "Provider " + providerId
                        + " lists no replacement terminals; rank your own candidates with TerminalRanker"));
        return TerminalRanker.rank(needs, catalog, merchantNumber, weights, locale);
    }

    /**
     * The platform's own reviewer approves the case (four eyes: not the requester) and it advances.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#FOUR_EYES_VIOLATION} when the
     *         reviewer requested the unbind
     */
    public CaseSnapshot approveInternally(CaseId caseId, Actor reviewer, String note) {
        note = CommandInput.note("internal review", caseId, reviewer, "note", note == null ? "" : note, false);
        return engine.reviewInternally(caseId, reviewer, true, note);
    }

    /** The platform's own reviewer rejects the case (four eyes: not the requester); it ends REJECTED. */
    public CaseSnapshot rejectInternally(CaseId caseId, Actor reviewer, String note) {
        note = CommandInput.note("internal review", caseId, reviewer, "note", note == null ? "" : note, false);
        return engine.reviewInternally(caseId, reviewer, false, note);
    }

    /** Records the institution's decision on the unbind application and advances. */
    public CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        decision = CommandInput.decision("decision", caseId, actor, decision);
        return engine.recordDecision(caseId, actor, decision);
    }

    /** Completes a pending provider operation from the provider's callback and advances. */
    public CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome) {
        return engine.completeOperation(caseId, actor, providerReference, outcome);
    }

    /**
     * Acts on a callback from a provider or institution (an approval decided, an operation completed),
     * only after verifying its signature, that its timestamp lies inside the window and that its nonce
     * was not spent before, and only on a case of the provider that signed it; a decision only on the
     * case's own application. Each refusal is audited and reported to the listeners, and leaves the case
     * untouched.
     *
     * <p>A callback acts at most once. Its nonce is spent when the change it brings is committed, or when
     * it is refused for good; a retryable refusal leaves it unspent, so the sender's retry is accepted.
     *
     * <p>Answer the sender with {@link UnbindHttpApi#statusOf UnbindHttpApi.statusOf(e.errorCode())}: 400 or 401
     * for a callback refused for good, 200 for a replay (already handled, so the sender stops retrying), 503 for
     * any retryable code, {@code UNB-CLOSED} included (this instance is shutting down; the callback was not
     * verified, so a running instance accepts the retry).
     *
     * @throws CallbackRejectedException with a distinct code per reason the callback
     *         itself is refused for
     * @throws PosUnbindException with the case's code when the case cannot take it now
     *         (retryable) or at all
     */
    public CaseSnapshot acceptCallback(Callback callback) {
        if (engine.stoppedTakingWork()) {
            // Refused before the callback is verified, so its nonce stays unspent for the sender's retry.
            throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                    "This unbinder is shutting down; the sender should retry against a running instance");
        }
        return engine.acceptCallback(callbackVerifier, callback);
    }

    /**
     * Acts on a notification in a provider's own format (a webhook as the provider sends it), given as the
     * raw request: the provider's {@link CallbackParser} verifies it with the provider's
     * scheme and keys (an HMAC over the notification's fields, a {@code t=…,v1=…} signature header, an RSA or
     * SM2 signature), then the configured {@link Builder#callbackVerifier callback verifier} checks that
     * notifications in that format are accepted from the provider
     * ({@code CallbackVerifier.Builder.nativeNotifications}), that the notification's time lies inside its
     * window and that the notification's id was not acted on before. The notification may name its case by
     * the case id or only by the provider's reference (the application reference of a decision, the reference
     * of a pending operation): the case is then found among the provider's own cases by an indexed lookup.
     * From there it is handled exactly like {@link #acceptCallback}: only on a case of that provider, a
     * decision only on the case's own application, at most once, its id spent when the change is committed or
     * the notification is refused for good (a retryable refusal leaves it unspent).
     *
     * <pre>{@code
     * // in a web layer of your own, for POST /webhooks/{provider} (UnbindHttpApi serves this route as it is)
     * RawCallback raw = new RawCallback(path, headers, bodyBytes, clock.instant());
     * try {
     *     unbinder.acceptNotification(providerId, raw);
     *     return 200;
     * } catch (PosUnbindException e) {
     *     return UnbindHttpApi.statusOf(e.errorCode());
     * }
     * }</pre>
     *
     * <p>That status is 400 for a notification out of shape ({@code UNB-CALLBACK-MALFORMED}); 401 for one whose
     * sender is not proven ({@code UNB-CALLBACK-FORGED}, {@code -UNKNOWN-SENDER}, {@code -STALE},
     * {@code -WRONG-PROVIDER}); 409 for one the case cannot take; 200 for one already handled or about no case
     * ({@code UNB-CALLBACK-REPLAYED}, {@code UNB-CALLBACK-CONCERNS-NO-CASE}: audited, nothing changed), so the
     * provider stops resending; and 503 for any retryable code, among them {@code UNB-CALLBACK-UNKNOWN-REFERENCE}
     * (the notification may have overtaken the case's commit of the reference it names), so the provider sends
     * it again while its id stays unspent. Adyen and Stripe retry anything but a 2xx; the refusal itself is
     * audited and reported to the listeners here.
     *
     * @param providerId the provider the notification claims to come from, typically from the endpoint's path
     * @param request    the request as received
     * @throws CallbackRejectedException with a distinct code per reason the notification
     *         itself is refused for
     * @throws PosUnbindException with the case's code when the case cannot take it now
     *         (retryable) or at all, or the provider verification's retryable code
     * @since 2.0
     */
    public CaseSnapshot acceptNotification(String providerId, RawCallback request) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(request, "request");
        if (engine.stoppedTakingWork()) {
            // Refused before the notification is verified, so its id stays unspent for the sender's retry.
            throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                    "This unbinder is shutting down; the sender should retry against a running instance");
        }
        return engine.acceptNotification(callbackVerifier, providerId, request);
    }

    /** Advances a case as far as it goes now. */
    public CaseSnapshot advance(CaseId caseId) {
        return engine.advance(caseId);
    }

    /**
     * Cancels an open or failed case, recording who and why. What a cancel means depends on how far the
     * case got, because some changes at the provider cannot be taken back by stopping:
     *
     * <table>
     *   <caption>What cancel does at each point</caption>
     *   <tr><th>where the case stands</th><th>result</th></tr>
     *   <tr><td>nothing changed at the provider yet: inventory, documents, backup, internal review, fees,
     *       the institution's decision (an application may be under review), settlement, a verification
     *       code asked for</td>
     *       <td>{@link CaseState#CANCELLED}; every step that did not finish becomes
     *       {@link StepStatus#CANCELLED}</td></tr>
     *   <tr><td>an operation is in flight: sent to the provider and its outcome not known yet (pending at
     *       the provider, a call that timed out and is being reconciled, a provider that answered "busy"
     *       and is asked before anything is sent again), or possibly sent without a trace: the stored case
     *       is running a step that changes something at the provider (an instance was inside it, perhaps
     *       one that crashed; a provider that honours idempotency keys gets no checkpoint before the call),
     *       or such a step's retry is due</td>
     *       <td>refused with {@link CoreErrorCode#CANCEL_IN_FLIGHT}; the message lists what was changed so
     *       far and which operation is in flight. The refusal is kept in the history; the case goes on,
     *       reconciles the operation under its own idempotency key, and a cancel once the operation has
     *       finished is judged again. (Refusing is safer than looking the operation up during the cancel:
     *       a lookup may miss a call still arriving at the provider.)</td></tr>
     *   <tr><td>the same in a failed (dead-lettered) case</td>
     *       <td>refused with {@link CoreErrorCode#CANCEL_NEEDS_RECONCILE}, not retryable: a failed case does
     *       not go on by itself. {@link #retry retry} it, which reconciles the operation first, then
     *       cancel</td></tr>
     *   <tr><td>something changed at the provider (a step with {@link StepKind#changesProvider()} is
     *       done: a peripheral or the terminal unbound, the terminal disabled, the replacement set up), and
     *       nothing is in flight</td>
     *       <td>{@link CaseState#CANCELLED_PARTIALLY} with {@link CoreErrorCode#CANCELLED_PARTIALLY}:
     *       {@link CaseSnapshot#changesMade()} lists what was done, {@link CaseSnapshot#notCarriedOut()}
     *       what was not; an operator must undo the changes or finish the rest by hand.
     *       {@link CaseSnapshot#describe} says so in the reader's language</td></tr>
     *   <tr><td>completed, rejected, blocked or already cancelled</td>
     *       <td>refused with {@link CoreErrorCode#COMMAND_NOT_EXPECTED}</td></tr>
     * </table>
     *
     * <p>A step that runs in this instance when the cancel arrives finishes first (the cancel waits for
     * it); one that runs in another instance makes the cancel fail with {@link CoreErrorCode#CASE_BUSY}.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#CANCEL_IN_FLIGHT},
     *         {@link CoreErrorCode#CANCEL_NEEDS_RECONCILE} or {@link CoreErrorCode#COMMAND_NOT_EXPECTED} as above
     */
    public CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        reason = CommandInput.note("cancel command", caseId, actor, "reason", reason, true);
        return engine.cancel(caseId, actor, reason);
    }

    /**
     * Puts a failed (dead-lettered) case back to work at the step that failed, after an operator fixed
     * the cause; records who and why.
     */
    public CaseSnapshot retry(CaseId caseId, Actor operator, String reason) {
        reason = CommandInput.note("retry command", caseId, operator, "reason", reason, true);
        return engine.retry(caseId, operator, reason);
    }

    /**
     * Checks a case's sealed backup of the old terminal, reporting any damage by position (chunk,
     * usage-record range), without decrypting it for use.
     */
    public BackupVerification verifyBackup(CaseId caseId) {
        return engine.verifyBackup(caseId);
    }

    /**
     * Restores a case's backup of the old terminal: its usage records (交易明细) and settings, proven
     * intact, or a {@link BackupException} saying where it was damaged.
     */
    public TerminalDataExport restoreBackup(CaseId caseId) {
        return engine.restoreBackup(caseId);
    }

    /** Reads a case. */
    public Optional<CaseSnapshot> find(CaseId caseId) {
        return engine.find(caseId);
    }

    /**
     * Cases matching a filter, a page at a time, least recently updated first: for operators looking for
     * stuck or dead-lettered cases, by state, what a case waits for and since when, provider, merchant or
     * terminal. Polls the engine makes on a waiting case's behalf change neither its update time nor its
     * waiting time, so cases waiting for the institution's decision for over a week are found with
     * <pre>{@code
     * CaseFilter.builder().waitingFor(WaitReason.INSTITUTION_DECISION)
     *         .waitingSinceBefore(now.minus(Duration.ofDays(7))).build()
     * }</pre>
     * and the next page with {@code filter.after(lastCaseOfThisPage)}. See {@link CaseFilter}.
     */
    public List<CaseSnapshot> findCases(CaseFilter filter) {
        return engine.findCases(filter);
    }

    /**
     * The clock this unbinder reads, for a front end that stamps what it receives (a consent's time, a
     * callback's arrival) by the engine's time rather than the wall clock.
     *
     * @return the clock given to the builder, the system UTC clock by default
     * @since 2.0
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public Clock clock() {
        return clock;
    }

    /** This instance's id: the owner name of the leases it takes on cases. */
    public String instanceId() {
        return engine.instanceId();
    }

    /**
     * Advances up to {@value #DEFAULT_DUE_BATCH} cases whose timers are due; returns how many (none once
     * {@link #close()} was called).
     */
    public int runDueWork() {
        return engine.runDueWork(DEFAULT_DUE_BATCH);
    }

    /** Advances up to {@code limit} cases whose timers are due; returns how many. */
    public int runDueWork(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return engine.runDueWork(limit);
    }

    /**
     * How this instance has claimed due work so far, through its workers and {@link #runDueWork()}: claims,
     * cases claimed, takeovers of expired leases, and lease heartbeats.
     *
     * @since 2.0
     */
    public ClaimStats claimStats() {
        return engine.claimStats();
    }

    /** The ids of the providers this unbinder can use. */
    public List<String> providerIds() {
        return providers.ids();
    }

    /**
     * Creates a worker that runs this unbinder's due cases (see {@link UnbindWorker}); call
     * {@link UnbindWorker#start()} to start it. Any number of workers may run, in this process and others.
     * Closing this unbinder closes its workers.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#UNBINDER_CLOSED} once {@link #close()} was called
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public UnbindWorker newWorker(WorkerOptions options) {
        Objects.requireNonNull(options, "options");
        synchronized (workerLock) {
            // Checked under the lock close() takes the workers with: a worker is either refused or closed.
            if (engine.stoppedTakingWork()) {
                throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                        "This unbinder is closed and starts no worker; build a new one");
            }
            UnbindWorker created = new UnbindWorker(engine.newWorker("posunbind-worker-" + instanceId() + "-"
                    + workerCount.incrementAndGet(), options.threads(), options.batchSize(), options.pollInterval(),
                    options.shutdownDeadline(), options.virtualThreads()), options, workers::remove);
            workers.add(created);
            return created;
        }
    }

    /**
     * Starts one worker thread that looks for due cases every {@code interval} (and at once when it has run
     * a case): {@code newWorker(WorkerOptions.builder().threads(1).pollInterval(interval).build()).start()},
     * kept for applications written before {@link #newWorker(WorkerOptions)}. Stopped by {@link #close()}.
     *
     * @throws IllegalStateException when a worker started by this method runs already
     * @throws PosUnbindException with {@link CoreErrorCode#UNBINDER_CLOSED} once
     *         {@link #close()} was called: a worker started then would outlive the close
     */
    public void startWorker(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        synchronized (workerLock) {
            if (engine.stoppedTakingWork()) {
                throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                        "This unbinder is closed and starts no worker; build a new one");
            }
            if (worker != null) {
                throw new IllegalStateException("A worker runs already");
            }
            worker = newWorker(WorkerOptions.builder().threads(1).pollInterval(interval).batchSize(DEFAULT_DUE_BATCH)
                    .shutdownDeadline(shutdownTimeout).virtualThreads(false).build()).start();
        }
    }

    /**
     * Shuts down cleanly, in this order:
     * <ol>
     *   <li>stops taking work: every command from now on is refused with
     *       {@link CoreErrorCode#UNBINDER_CLOSED}, and its workers take no further case;</li>
     *   <li>closes its workers ({@link UnbindWorker#close()}): each waits, up to its shutdown deadline, for
     *       its running cases to store their current step and give their leases back;</li>
     *   <li>waits, up to {@link Builder#shutdownTimeout(Duration)}, for the steps still running in callers'
     *       threads to end; each stores its result and gives its case's lease back, and the case is left
     *       due, so another instance, or this application after a restart, goes on with the next step;</li>
     *   <li>stops the lease heartbeat and waits for it to end (an application server may close the class
     *       loader next).</li>
     * </ol>
     * At a worker's deadline, a step still running in it (a provider call that hangs) is interrupted, and
     * the worker is given a short grace to end; a step running in a caller's thread is not interrupted
     * (the thread is the caller's), and the number still running is logged. A provider call that ignores
     * interrupts keeps its thread until it returns: that thread may outlive this call, and the case it
     * works on keeps its lease until the lease expires, then another instance takes it over and reconciles
     * the call; its late result is refused by the case's version. Then closes the payment providers it
     * created (by a factory or by discovery); a provider given with {@link Builder#provider(PaymentProvider)}
     * belongs to the caller, like the store, which it does not close either. Calling it again does nothing.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        engine.stopTakingWork();
        List<UnbindWorker> stopping;
        synchronized (workerLock) {
            stopping = List.copyOf(workers);
            worker = null;
        }
        try {
            // Each stops taking cases; running cases stop at their next step boundary, store it and give their
            // leases back; each worker waits for them up to its own deadline.
            for (UnbindWorker closing : stopping) {
                closing.close();
            }
            int stillRunning = engine.awaitIdle(Duration.ofNanos(remaining(deadline)));
            if (stillRunning > 0) {
                LOG.warn("{} command(s) still ran on {} after the shutdown timeout of {}; their cases are taken over"
                        + " by another instance when their leases expire", stillRunning, instanceId(), shutdownTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            engine.close();
            limiters.leave();
            providers.close();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * Configures an {@link Unbinder}. Not thread-safe; the built unbinder is.
     */
    public static final class Builder {
        private CaseStore store;
        private Clock clock = Clock.systemUTC();
        private final List<PaymentProvider> providers = new ArrayList<>();
        private final List<PaymentProviderFactory> providerFactories = new ArrayList<>();
        private final Map<String, ProviderSettings> providerSettings = new LinkedHashMap<>();
        private final Map<String, ProviderLimits> providerLimits = new LinkedHashMap<>();
        private final Map<String, Map<OperationKind, CallLimit>> operationLimits = new LinkedHashMap<>();
        private ClassLoader discoverFrom = Unbinder.class.getClassLoader();
        private final List<UnbindListener> listeners = new ArrayList<>();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration pollInterval = Duration.ofMinutes(1);
        private RandomGenerator random = new Random();
        private String instanceId = defaultInstanceId();
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration reminderInterval = Duration.ofHours(24);
        private Duration approvalDeadline = Duration.ofDays(30);
        private boolean internalReview;
        private DocumentChecklist documentChecklist;
        private DataKeyProvider dataKeys;
        private CallbackVerifier callbackVerifier;
        private AuditTrail auditTrail;
        private WaitPolicy commandWait = WaitPolicy.inline();
        private EngineObserver observer = EngineObserver.NONE;

        private Builder() {
        }

        /**
         * Where cases are kept (required): {@code JdbcCaseStore.h2File(path)} for the embedded default,
         * {@code JdbcCaseStore.create(dataSource)} for PostgreSQL, {@code new InMemoryCaseStore()} for tests.
         */
        public Builder store(CaseStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The clock; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds a provider explicitly; it wins over a discovered provider with the same id. */
        public Builder provider(PaymentProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Adds a provider factory explicitly; the unbinder creates its provider with the settings given
         * for its id (see {@link #providerSettings(String, Map)}), closes it when it closes, and prefers it
         * over a discovered provider with the same id.
         */
        public Builder providerFactory(PaymentProviderFactory factory) {
            providerFactories.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * The settings for the provider with this id, created by its factory (given with
         * {@link #providerFactory(PaymentProviderFactory)} or found with {@link ServiceLoader}):
         * for example {@code Map.of("base-uri", "https://api.acme.example", "api-key", key)}. A factory
         * that finds a setting missing fails {@link #build()} with {@code PRV-SETTING-MISSING} naming the
         * key. Given again for the same id, the last settings win.
         */
        public Builder providerSettings(String providerId, Map<String, String> settings) {
            providerSettings.put(Objects.requireNonNull(providerId, "providerId"), ProviderSettings.of(settings));
            return this;
        }

        /**
         * The limits on calls to the provider with this id, winning over what the provider declares in
         * {@link PaymentProvider#callLimits()}: contracts differ per merchant account. The engine keeps them
         * across all workers and commands of this process and, on a JDBC store, across the instances on its
         * database (an even share each, announced there); a call that finds no permit is not made, and its
         * case comes back a moment later, without a worker waiting. Given again for the same id, the last
         * limits win; {@code ProviderLimits.unlimited()} lifts the provider's own provider-wide limits. The
         * provider's limits of single operations stay, except those {@code limits} names (see
         * {@link #operationLimit}).
         */
        @API(status = API.Status.EXPERIMENTAL, since = "2.0")
        public Builder providerLimits(String providerId, ProviderLimits limits) {
            providerLimits.put(Objects.requireNonNull(providerId, "providerId"), Objects.requireNonNull(limits,
                    "limits"));
            return this;
        }

        /**
         * The limit on calls that perform {@code operation} at the provider with this id, replacing the one the
         * provider declares for it (or adding one); the provider-wide limits stay as declared or as set with
         * {@link #providerLimits}. For a merchant account whose quota of one endpoint differs from the published
         * one, for example {@code operationLimit("wechatpay", OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
         * CallLimit.perMinute(40))}. A limit for an operation the provider does not perform is left out, with a
         * warning in the log.
         */
        @API(status = API.Status.EXPERIMENTAL, since = "2.0")
        public Builder operationLimit(String providerId, OperationKind operation, CallLimit limit) {
            operationLimits.computeIfAbsent(Objects.requireNonNull(providerId, "providerId"),
                    key -> new EnumMap<>(OperationKind.class))
                    .put(Objects.requireNonNull(operation, "operation"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Discovers providers with {@link ServiceLoader} on this class loader (default: posunbind's). */
        public Builder discoverProvidersFrom(ClassLoader classLoader) {
            this.discoverFrom = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Uses only providers given with {@link #provider(PaymentProvider)} or created by factories given with
         * {@link #providerFactory(PaymentProviderFactory)}.
         */
        public Builder withoutDiscovery() {
            this.discoverFrom = null;
            return this;
        }

        /** Adds a progress listener. */
        public Builder listener(UnbindListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** How provider operations are retried; {@link RetryPolicy#defaults()} by default. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * How often the engine asks the provider about something it waits for, unless the provider says
         * when to ask; one minute by default. The provider's own timing wins because it knows its review
         * times and rate limits, and asking sooner would only spend calls:
         * <ul>
         *   <li>the institution's decision on an application: every {@code pollInterval};</li>
         *   <li>a pending operation: after the {@code pollAfter} of the provider's
         *       {@link OperationOutcome.Pending} answer, or every {@code pollInterval} when
         *       that is zero;</li>
         *   <li>unsettled funds: at the provider's expected settlement time, or every {@code pollInterval}
         *       when it gives none (or that time has passed), also after a refusal for unsettled funds.</li>
         * </ul>
         * A callback ({@link Unbinder#acceptCallback}) ends a wait at once, whatever the interval. Retries
         * after failures follow the {@link #retryPolicy(RetryPolicy)} instead.
         */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** The source of retry jitter; must be thread-safe. Tests pass a seeded one. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * This instance's name among the instances sharing a store; a unique default (host, process and
         * a random part) is chosen when not set.
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
            return this;
        }

        /**
         * How long a case stays reserved for this instance without a heartbeat (30 s by default); after
         * this instance dies, others take its cases over once their leases expire.
         */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
            return this;
        }

        /**
         * How long {@link Unbinder#close()} waits for running steps (a provider call in progress) to end
         * before it interrupts them; 30 seconds by default. Keep it below the time your platform gives a
         * process between SIGTERM and SIGKILL (Kubernetes: 30 s by default, minus what the host needs).
         * Zero closes without waiting.
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative");
            }
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /** How often a case that waits for input sends a reminder event; 24 hours by default. */
        public Builder reminderInterval(Duration reminderInterval) {
            this.reminderInterval = Objects.requireNonNull(reminderInterval, "reminderInterval");
            return this;
        }

        /**
         * How long the institution has to decide before the application lapses and the case fails with
         * {@link CoreErrorCode#APPROVAL_EXPIRED}; 30 days by default.
         */
        public Builder approvalDeadline(Duration approvalDeadline) {
            this.approvalDeadline = Objects.requireNonNull(approvalDeadline, "approvalDeadline");
            return this;
        }

        /**
         * The keys that encrypt card, account, identity and phone numbers in the store and seal the old
         * terminal's backups. Defaults to the store's own ({@code JdbcCaseStore.h2File} keeps them beside
         * the database, {@code InMemoryCaseStore} generates one); a store on a shared database needs keys
         * chosen here, the same for every instance.
         */
        public Builder dataKeys(DataKeyProvider dataKeys) {
            this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
            return this;
        }

        /**
         * Records every command, state change, provider call and refused callback in a tamper-evident
         * trail (SHA-256 chain, Ed25519-signed checkpoints). A committed change is recorded before
         * listeners hear of it; if the trail cannot be written the change stays pending and is recorded
         * later, never lost. {@link Unbinder#runDueWork()} also signs checkpoints that fell due.
         */
        public Builder auditTrail(AuditTrail auditTrail) {
            this.auditTrail = Objects.requireNonNull(auditTrail, "auditTrail");
            return this;
        }

        /**
         * Verifies callbacks before {@link Unbinder#acceptCallback} acts on them (signature, timestamp
         * window, nonce). Without one, callbacks are refused. Give instances that share a database the
         * same shared nonce store, such as {@code JdbcCaseStore.callbackNonces()}.
         */
        public Builder callbackVerifier(CallbackVerifier callbackVerifier) {
            this.callbackVerifier = Objects.requireNonNull(callbackVerifier, "callbackVerifier");
            return this;
        }

        /**
         * Whether every case needs the platform's own reviewer to approve it before anything is applied
         * for or changed; the reviewer must differ from the requester (four eyes). Off by default.
         */
        public Builder internalReview(boolean internalReview) {
            this.internalReview = internalReview;
            return this;
        }

        /**
         * The document checklist every case follows, whatever its provider declares: for an application
         * that serves one jurisdiction, or that replaces items of a profile, for example
         * {@code DocumentChecklist.china().without(DocumentKind.TERMINAL_INFORMATION)}. By default each
         * case follows its provider's {@code documentChecklist()}; providers' {@code additionalDocuments}
         * are added either way. A case keeps the checklist it was opened with.
         */
        public Builder documentChecklist(DocumentChecklist documentChecklist) {
            this.documentChecklist = Objects.requireNonNull(documentChecklist, "documentChecklist");
            return this;
        }

        /**
         * How commands keep their callers (see {@link WaitPolicy}): {@link WaitPolicy#inline()} by default,
         * so that a command runs the case on the caller's thread until it waits, as before 2.0;
         * {@link WaitPolicy#none()} to only record each command and let {@link UnbindWorker}s run the
         * cases; {@link WaitPolicy#upTo(Duration)} to record, then wait a bounded time for a worker.
         * {@link Unbinder#advance(CaseId)} and {@link Unbinder#runDueWork()} always run on the caller's thread.
         */
        @API(status = API.Status.EXPERIMENTAL, since = "2.0")
        public Builder commandWait(WaitPolicy commandWait) {
            this.commandWait = Objects.requireNonNull(commandWait, "commandWait");
            return this;
        }

        /**
         * Told around every step and provider call, and of retries, dead letters and claims, for metrics and
         * tracing (see {@link EngineObserver}; {@code posunbind-micrometer} has one). None by default. Its
         * exceptions are logged and never change a case.
         */
        @API(status = API.Status.EXPERIMENTAL, since = "2.0")
        public Builder observer(EngineObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        private static String defaultInstanceId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "host";
            }
            return host + "-" + ProcessHandle.current().pid() + "-" + CaseId.random().value().substring(0, 6);
        }

        /**
         * Builds the unbinder.
         *
         * @throws IllegalStateException when no store was given
         */
        public Unbinder build() {
            if (store == null) {
                throw new IllegalStateException("Choose a store: JdbcCaseStore.h2File(path) is the embedded default,"
                        + " JdbcCaseStore.create(dataSource) serves PostgreSQL, InMemoryCaseStore serves tests");
            }
            return new Unbinder(this);
        }
    }
}
