package io.posunbind;

import io.posunbind.backup.BackupException;
import io.posunbind.batch.BatchFile;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.batch.Batches;
import io.posunbind.backup.BackupVerification;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.internal.batch.BatchService;
import io.posunbind.internal.engine.UnbindEngine;
import io.posunbind.internal.input.CommandInput;
import io.posunbind.internal.limits.ProviderLimiters;
import io.posunbind.internal.observe.HealthCheck;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.observe.EngineHealth;
import io.posunbind.observe.HealthThresholds;
import io.posunbind.replacement.RankedCandidate;
import io.posunbind.replacement.RankingWeights;
import io.posunbind.replacement.ReplacementNeeds;
import io.posunbind.replacement.TerminalRanker;
import io.posunbind.spi.API;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.store.CaseCounts;
import io.posunbind.store.CaseFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
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
 * {@code UnbinderBuilder.commandWait(WaitPolicy.none())} (or {@code open(request, WaitPolicy.none())}) a command
 * only stores its change and marks the case due; {@link UnbindWorker}s, created with
 * {@link #newWorker(WorkerOptions)}, run the cases. Nothing blocks while a case waits. Start a worker, or
 * call {@link #runDueWork()} periodically, to let timers fire.
 *
 * <p>Thread-safe. A case runs on one thread at a time, under its lease: a command on a case another
 * thread or instance is running is refused with {@link CoreErrorCode#CASE_BUSY} (retryable); commands on
 * different cases run in parallel and never wait on each other's provider calls.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Unbinder implements UnbindCommands, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Unbinder.class);

    /** How many due cases one {@link #runDueWork()} call handles at most. */
    public static final int DEFAULT_DUE_BATCH = 100;

    private final UnbindEngine engine;
    private final CallbackVerifier callbackVerifier;
    private final ProviderRegistry providers;
    private final ProviderLimiters limiters;
    private final HealthCheck healthCheck;
    private final BatchService batches;
    private final UnbinderWorkers workers;
    private final Duration shutdownTimeout;
    private final Clock clock;

    Unbinder(UnbinderParts parts) {
        this.engine = parts.engine();
        this.callbackVerifier = parts.callbackVerifier();
        this.providers = parts.providers();
        this.limiters = parts.limiters();
        this.healthCheck = parts.healthCheck();
        this.batches = parts.batches();
        this.shutdownTimeout = parts.shutdownTimeout();
        this.clock = parts.clock();
        this.workers = new UnbinderWorkers(engine, shutdownTimeout);
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

    /**
     * Opens a batch read from a file ({@code BatchFiles.parseCsv}, {@code parseJson}), reporting the file's
     * problems and its rows' together: see {@link Batches#open(BatchId, BatchFile, BatchOptions, Actor)}.
     *
     * @throws BatchValidationException listing every problem of the file and of its rows; nothing stored
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public BatchId openBatch(BatchId batchId, BatchFile file, BatchOptions options, Actor requestedBy) {
        return batches.open(batchId, file, options, requestedBy);
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
    public static UnbinderBuilder builder() {
        return new UnbinderBuilder();
    }

    /**
     * This unbinder's commands, each keeping its caller as {@code wait} says instead of the builder's
     * {@link UnbinderBuilder#commandWait(WaitPolicy) commandWait}: for the one place that wants another answer,
     * such as a webhook endpoint that must return at once ({@code commands(WaitPolicy.none())}) in a service
     * whose other callers wait for the case, or a page that waits a few seconds for the next step. An opening
     * given its own policy keeps that one. The callbacks a provider's parser reads follow {@code wait} too.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public UnbindCommands commands(WaitPolicy wait) {
        return new CommandsWithWait(this, wait);
    }

    @Override
    public CaseSnapshot open(UnbindRequest request) {
        return engine.open(request);
    }

    @Override
    public CaseSnapshot open(UnbindRequest request, WaitPolicy wait) {
        return engine.open(CaseId.random(), request, wait);
    }

    @Override
    public CaseSnapshot open(CaseId caseId, UnbindRequest request, WaitPolicy wait) {
        return engine.open(caseId, request, wait);
    }

    @Override
    public CaseSnapshot open(CaseId caseId, UnbindRequest request) {
        return engine.open(caseId, request);
    }

    @Override
    public CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        documents = CommandInput.documents("documents command", caseId, actor, documents);
        return engine.submitDocuments(caseId, actor, documents);
    }

    @Override
    public CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent) {
        CommandInput.present("fee consent", "consent", consent);
        CommandInput.require("fee consent", caseId, consent.consentedBy());
        return engine.consentToFees(caseId, consent);
    }

    @Override
    public CaseSnapshot declineFees(CaseId caseId, Actor actor) {
        CommandInput.require("fee decline", caseId, actor);
        return engine.declineFees(caseId, actor);
    }

    @Override
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

    @Override
    public CaseSnapshot approveInternally(CaseId caseId, Actor reviewer, String note) {
        note = CommandInput.note("internal review", caseId, reviewer, "note", note == null ? "" : note, false);
        return engine.reviewInternally(caseId, reviewer, true, note);
    }

    @Override
    public CaseSnapshot rejectInternally(CaseId caseId, Actor reviewer, String note) {
        note = CommandInput.note("internal review", caseId, reviewer, "note", note == null ? "" : note, false);
        return engine.reviewInternally(caseId, reviewer, false, note);
    }

    @Override
    public CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        decision = CommandInput.decision("decision", caseId, actor, decision);
        return engine.recordDecision(caseId, actor, decision);
    }

    @Override
    public CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome) {
        return engine.completeOperation(caseId, actor, providerReference, outcome);
    }

    @Override
    public CaseSnapshot acceptCallback(Callback callback) {
        if (engine.stoppedTakingWork()) {
            // Refused before the callback is verified, so its nonce stays unspent for the sender's retry.
            throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                    "This unbinder is shutting down; the sender should retry against a running instance");
        }
        return engine.acceptCallback(callbackVerifier, callback);
    }

    @Override
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

    @Override
    public CaseSnapshot advance(CaseId caseId) {
        return engine.advance(caseId);
    }

    @Override
    public CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        reason = CommandInput.note("cancel command", caseId, actor, "reason", reason, true);
        return engine.cancel(caseId, actor, reason);
    }

    @Override
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
        return workers.newWorker(options);
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
        workers.startWorker(interval);
    }

    /**
     * Shuts down cleanly, in this order:
     * <ol>
     *   <li>stops taking work: every command from now on is refused with
     *       {@link CoreErrorCode#UNBINDER_CLOSED}, and its workers take no further case;</li>
     *   <li>closes its workers ({@link UnbindWorker#close()}): each waits, up to its shutdown deadline, for
     *       its running cases to store their current step and give their leases back;</li>
     *   <li>waits, up to {@link UnbinderBuilder#shutdownTimeout(Duration)}, for the steps still running in callers'
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
     * created (by a factory or by discovery); a provider given with {@link UnbinderBuilder#provider(PaymentProvider)}
     * belongs to the caller, like the store, which it does not close either. Calling it again does nothing.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        engine.stopTakingWork();
        try {
            // Each stops taking cases; running cases stop at their next step boundary, store it and give their
            // leases back; each worker waits for them up to its own deadline.
            workers.closeAll();
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
}
