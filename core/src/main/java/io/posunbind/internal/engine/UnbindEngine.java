package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.ClaimStats;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.UnbindPreview;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitPolicy;
import io.posunbind.audit.AuditTrail;
import io.posunbind.backup.BackupVault;
import io.posunbind.backup.BackupVerification;
import io.posunbind.backup.SealedBackup;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
import io.posunbind.internal.observe.GuardedObserver;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.observe.EngineObserver;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.store.CaseCounts;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Advances unbind cases: the engine's entrance, wiring its parts — {@link CaseOpening} and
 * {@link CaseCommands} (what commands do to a case), {@link CaseRunner} (a case's lease and its steps until
 * it waits), {@link CaseTimers} and {@link DueWork} (timers and due work), {@link CallbackIntake}
 * (callback routing), {@link EngineAudit} (the audit trail and listeners), {@link StepExecutor} (one
 * handler per step kind), {@link CaseWorker} (workers that run due cases on their own threads). A
 * command stores its change under the case's lease; by its {@link WaitPolicy} it then runs the case on
 * the caller's thread, storing it after every step transition, until the case waits or ends, or leaves
 * the case due for a worker. No thread is held while a case waits, and no lock across a provider call.
 * Events go out after the change they describe was stored.
 *
 * <p>Thread-safe: any number of threads may call it for any cases.
 */
public final class UnbindEngine {

    private final CaseStore store;
    private final EngineSettings settings;
    private final BackupVault vault;
    private final LeaseKeeper leases;
    /** Lets commands in until the engine shuts down, and counts those still running. */
    private final ShutdownGate gate = new ShutdownGate();
    private final CaseBook book;
    private final CaseOpening opening;
    private final CaseCommands commands;
    private final CasePreview preview;
    private final DueWork dueWork;
    private final DueWorkSource dueSource;
    private final ClaimCounters claimCounters;
    private final CallbackIntake callbacks;
    private final CaseRunner runner;
    private final EngineAudit engineAudit;
    private final LocalLeases local;
    private final DueSignal dueSignal = new DueSignal();
    private final Clock clock;
    /** How commands keep their callers unless told otherwise. */
    private final WaitPolicy commandWait;
    /** Runs before every look for due work (a batch's rows start there), told whether a caller asked; nothing by default. */
    private volatile Consumer<Boolean> beforeLook = callerAsked -> { };

    /**
     * Creates an engine.
     *
     * @param store     where cases live
     * @param clock     the only source of time
     * @param providers the providers cases may use
     * @param listeners progress listeners
     * @param settings  retry, polling, lease and timer settings
     * @param random    jitter source
     * @param dataKeys  the keys of sensitive fields and backups
     * @param audit     where commands, state changes and provider calls are recorded; may be null
     */
    public UnbindEngine(CaseStore store, Clock clock, ProviderRegistry providers, List<UnbindListener> listeners,
            EngineSettings settings, RandomGenerator random, DataKeyProvider dataKeys, AuditTrail audit) {
        this(store, clock, providers, listeners, settings, random, dataKeys, audit, WaitPolicy.inline());
    }

    /**
     * Creates an engine whose commands keep their callers as {@code commandWait} says (see {@link WaitPolicy}).
     */
    public UnbindEngine(CaseStore store, Clock clock, ProviderRegistry providers, List<UnbindListener> listeners,
            EngineSettings settings, RandomGenerator random, DataKeyProvider dataKeys, AuditTrail audit,
            WaitPolicy commandWait) {
        this(store, clock, providers, listeners, settings, random, dataKeys, audit, commandWait, EngineObserver.NONE);
    }

    /**
     * Creates an engine that also tells {@code observer} around every step and of retries, dead letters and
     * claims (see {@link EngineObserver}); its provider calls are observed where the providers are wrapped.
     */
    public UnbindEngine(CaseStore store, Clock clock, ProviderRegistry providers, List<UnbindListener> listeners,
            EngineSettings settings, RandomGenerator random, DataKeyProvider dataKeys, AuditTrail audit,
            WaitPolicy commandWait, EngineObserver observer) {
        Objects.requireNonNull(clock, "clock");
        // An observer's failure is logged and never reaches a case.
        EngineObserver guarded = GuardedObserver.of(Objects.requireNonNull(observer, "observer"));
        Objects.requireNonNull(providers, "providers");
        this.settings = Objects.requireNonNull(settings, "settings");
        CaseCodec codec = new CaseCodec(dataKeys);
        this.vault = BackupVault.builder().keys(dataKeys).clock(clock).build();
        // A store's uncoded failure is the store's, coded and retryable; only the engine's own are faults.
        this.store = StoreGuard.guard(Objects.requireNonNull(store, "store"));
        this.engineAudit = new EngineAudit(audit, listeners, settings.instanceId(), guarded);
        Planner planner = new Planner();
        DocumentRules documentRules = new DocumentRules(clock);
        StepExecutor executor = new StepExecutor(clock, settings.retryPolicy(), settings.pollInterval(), random,
                planner, documentRules, vault, engineAudit::auditProviderCall, guarded);
        this.claimCounters = new ClaimCounters(guarded, settings.instanceId());
        this.leases = new LeaseKeeper(this.store, clock, settings.instanceId(), settings.leaseDuration(),
                claimCounters);
        this.book = new CaseBook(this.store, codec, clock, settings);
        CaseChanges changes = new CaseChanges(clock);
        CaseTimers timers = new CaseTimers(clock, settings, changes);
        this.clock = clock;
        this.commandWait = Objects.requireNonNull(commandWait, "commandWait");
        this.local = new LocalLeases();
        CaseSettlement settlement = new CaseSettlement(this.store, clock);
        this.runner = new CaseRunner(book, changes, timers, engineAudit, leases, gate, providers, executor, clock,
                settings, local, settlement, Objects.requireNonNull(commandWait, "commandWait"), dueSignal);
        this.commands = new CaseCommands(runner, changes, clock, providers);
        this.opening = new CaseOpening(providers, settings, planner, book, runner, engineAudit, gate, local,
                dueSignal, clock);
        this.preview = new CasePreview(providers, clock, settings, planner, documentRules, executor, opening);
        this.dueSource = new DueWorkSource(this.store, leases, settings, clock, claimCounters);
        this.dueWork = new DueWork(dueSource, runner, engineAudit, gate);
        this.callbacks = new CallbackIntake(runner, commands, book, providers, listeners, audit);
    }

    /** The store's cases counted now (see {@link CaseStore#countCases}), through the guarded store. */
    public CaseCounts countCases() {
        return store.countCases(clock.instant());
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

    /** Opens a case under a new random id; see {@link #open(CaseId, UnbindRequest)}. */
    public CaseSnapshot open(UnbindRequest request) {
        return open(CaseId.random(), request);
    }

    /**
     * Opens a case under the caller's id and, by the engine's default {@link WaitPolicy}, advances it.
     * Idempotent: opening the same id with the same
     * request again returns the case as it stands, so a caller may retry after a timeout.
     */
    public CaseSnapshot open(CaseId caseId, UnbindRequest request) {
        return open(caseId, request, commandWait);
    }

    /** Opens a case under the caller's id; who runs it, and whether the caller waits, is {@code wait}'s. */
    public CaseSnapshot open(CaseId caseId, UnbindRequest request, WaitPolicy wait) {
        return opening.open(caseId, request, wait);
    }

    /**
     * Runs {@code task} before each claim of due work, by workers and {@code runDueWork}: the instance
     * announces there that it is live (its heartbeat on the shares of provider limits).
     */
    public void beforeEachClaim(Runnable task) {
        dueSource.beforeEachClaim(task);
    }

    /**
     * A worker that runs this engine's due cases on {@code threads} threads, not started yet.
     *
     * @param name the prefix of its threads' names
     */
    public CaseWorker newWorker(String name, int threads, int batchSize, Duration pollInterval,
            Duration shutdownDeadline, boolean virtualThreads) {
        return new CaseWorker(runner, dueSource, claimCounters, local, name, threads, batchSize,
                pollInterval, shutdownDeadline, virtualThreads, () -> {
                    engineAudit.checkpointIfDue();
                    beforeLook.accept(false);
                }, dueSignal, clock);
    }

    /** How this instance claimed due work so far: claims, cases claimed, takeovers, lease heartbeats. */
    public ClaimStats claimStats() {
        return claimCounters.snapshot();
    }

    /** What opening a request would do, without changing anything; see {@link CasePreview}. */
    public UnbindPreview preview(UnbindRequest request) {
        return preview.preview(request);
    }

    /** Advances a case as far as it goes now. */
    public CaseSnapshot advance(CaseId caseId) {
        return commands.advance(caseId);
    }

    /** Adds or replaces documents (one per kind) and advances. */
    public CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        return commands.submitDocuments(caseId, actor, documents);
    }

    /** Records the merchant's consent to the current fee quote and advances. */
    public CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent) {
        return commands.consentToFees(caseId, consent);
    }

    /** Records that the merchant declines the fees: the case is cancelled before any fee is incurred. */
    public CaseSnapshot declineFees(CaseId caseId, Actor actor) {
        return commands.declineFees(caseId, actor);
    }

    /** Passes the merchant's answer to a verification challenge to the provider and advances. */
    public CaseSnapshot answerVerification(CaseId caseId, Actor actor, String answer) {
        return commands.answerVerification(caseId, actor, answer);
    }

    /** The platform's own reviewer approves or rejects the case (four eyes). */
    public CaseSnapshot reviewInternally(CaseId caseId, Actor reviewer, boolean approve, String note) {
        return commands.reviewInternally(caseId, reviewer, approve, note);
    }

    /** Records the institution's decision (from a callback or a person) and advances. */
    public CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        return commands.recordDecision(caseId, actor, decision);
    }

    /** Completes a pending provider operation from the provider's callback and advances. */
    public CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome) {
        return commands.completeOperation(caseId, actor, providerReference, outcome);
    }

    /** Cancels an open or failed case by the rules of {@link CancelPolicy}. */
    public CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        return commands.cancel(caseId, actor, reason);
    }

    /** Puts a failed case back to work at the step that failed. */
    public CaseSnapshot retry(CaseId caseId, Actor actor, String reason) {
        return commands.retry(caseId, actor, reason);
    }

    /** Cases matching an operator's filter, least recently updated first. */
    public List<CaseSnapshot> findCases(CaseFilter filter) {
        return store.findCases(filter).stream().map(record -> book.snapshot(book.load(record))).toList();
    }

    /**
     * Checks a case's backup of the old terminal without opening it for use: every chunk authenticated,
     * in order, for this case. Damage is reported by position.
     */
    public BackupVerification verifyBackup(CaseId caseId) {
        return vault.verify(caseId.value(), sealedBackup(caseId));
    }

    /** Opens a case's backup of the old terminal: its usage records and settings, proven intact. */
    public TerminalDataExport restoreBackup(CaseId caseId) {
        return vault.open(caseId.value(), sealedBackup(caseId));
    }

    private SealedBackup sealedBackup(CaseId caseId) {
        CaseDocument document = book.load(book.require(caseId));
        if (document.backup == null || document.backup.sealedJson == null) {
            throw new PosUnbindException(CoreErrorCode.COMMAND_NOT_EXPECTED,
                    "Case " + caseId.value() + " has no backup yet");
        }
        return SealedBackup.fromJson(document.backup.sealedJson);
    }

    /**
     * Verifies a callback, then routes what it says to the case it names; its nonce is spent once the
     * change is committed or the callback is refused for good (see {@link CallbackIntake}).
     */
    public CaseSnapshot acceptCallback(CallbackVerifier verifier, Callback callback) {
        return callbacks.accept(verifier, callback);
    }

    /** Verifies a notification in a provider's own format and acts on it; see {@code Unbinder.acceptNotification}. */
    public CaseSnapshot acceptNotification(CallbackVerifier verifier, String providerId, RawCallback request) {
        return callbacks.acceptNotification(verifier, providerId, request);
    }

    /** Reads a case. */
    public Optional<CaseSnapshot> find(CaseId caseId) {
        Objects.requireNonNull(caseId, "caseId");
        return store.load(caseId.value()).map(record -> book.snapshot(book.load(record)));
    }

    /**
     * Advances every case whose timer is due (retries, polls, settlement checks, cases interrupted by a
     * crash). One failing case does not stop the others.
     *
     * @return how many cases were advanced
     */
    public int runDueWork(int limit) {
        beforeLook.accept(true);
        return dueWork.runDueWork(limit);
    }

    /**
     * Work to run before every look for due cases, by workers ({@code false}) and by a caller of
     * {@link #runDueWork} ({@code true}): the batches start their rows there, so a row started becomes a case the
     * same look claims. It must not throw.
     */
    public void beforeEachLook(Consumer<Boolean> task) {
        this.beforeLook = Objects.requireNonNull(task, "task");
    }

    /**
     * What the request's provider lacks for it, checked as opening a case checks it (empty when it can carry it
     * out): for validating the rows of a batch before any starts.
     */
    public List<RuleViolation> capabilityProblems(UnbindRequest request) {
        return opening.capabilityProblems(request);
    }

    /** Wakes this engine's workers to look for due work now (a batch opened or resumed). */
    public void signalDue() {
        dueSignal.due();
    }
}
