package io.posunbind;

import io.posunbind.audit.AuditTrail;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.observe.EngineObserver;
import io.posunbind.spi.API;
import io.posunbind.spi.CallLimit;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.store.CaseStore;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.random.RandomGenerator;

/**
 * Configures an {@link Unbinder}: {@code Unbinder.builder().store(store).provider(provider).build()}. Only the
 * store is required. Not thread-safe; the built unbinder is.
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class UnbinderBuilder {
    // Read by UnbinderParts when it assembles the unbinder; set only through the methods below.
    CaseStore store;
    Clock clock = Clock.systemUTC();
    final List<PaymentProvider> providers = new ArrayList<>();
    final List<PaymentProviderFactory> providerFactories = new ArrayList<>();
    final Map<String, ProviderSettings> providerSettings = new LinkedHashMap<>();
    final Map<String, ProviderLimits> providerLimits = new LinkedHashMap<>();
    final Map<String, Map<OperationKind, CallLimit>> operationLimits = new LinkedHashMap<>();
    ClassLoader discoverFrom = Unbinder.class.getClassLoader();
    final List<UnbindListener> listeners = new ArrayList<>();
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    Duration pollInterval = Duration.ofMinutes(1);
    RandomGenerator random = new Random();
    String instanceId = defaultInstanceId();
    Duration leaseDuration = Duration.ofSeconds(30);
    Duration shutdownTimeout = Duration.ofSeconds(30);
    Duration reminderInterval = Duration.ofHours(24);
    Duration approvalDeadline = Duration.ofDays(30);
    boolean internalReview;
    DocumentChecklist documentChecklist;
    DataKeyProvider dataKeys;
    CallbackVerifier callbackVerifier;
    AuditTrail auditTrail;
    WaitPolicy commandWait = WaitPolicy.inline();
    EngineObserver observer = EngineObserver.NONE;

    UnbinderBuilder() {
    }

    /**
     * Where cases are kept (required): {@code JdbcCaseStore.h2File(path)} for the embedded default,
     * {@code JdbcCaseStore.create(dataSource)} for PostgreSQL, {@code new InMemoryCaseStore()} for tests.
     */
    public UnbinderBuilder store(CaseStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /** The clock; the system UTC clock by default. */
    public UnbinderBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Adds a provider explicitly; it wins over a discovered provider with the same id. */
    public UnbinderBuilder provider(PaymentProvider provider) {
        providers.add(Objects.requireNonNull(provider, "provider"));
        return this;
    }

    /**
     * Adds a provider factory explicitly; the unbinder creates its provider with the settings given
     * for its id (see {@link #providerSettings(String, Map)}), closes it when it closes, and prefers it
     * over a discovered provider with the same id.
     */
    public UnbinderBuilder providerFactory(PaymentProviderFactory factory) {
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
    public UnbinderBuilder providerSettings(String providerId, Map<String, String> settings) {
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
    public UnbinderBuilder providerLimits(String providerId, ProviderLimits limits) {
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
    public UnbinderBuilder operationLimit(String providerId, OperationKind operation, CallLimit limit) {
        operationLimits.computeIfAbsent(Objects.requireNonNull(providerId, "providerId"),
                key -> new EnumMap<>(OperationKind.class))
                .put(Objects.requireNonNull(operation, "operation"), Objects.requireNonNull(limit, "limit"));
        return this;
    }

    /** Discovers providers with {@link ServiceLoader} on this class loader (default: posunbind's). */
    public UnbinderBuilder discoverProvidersFrom(ClassLoader classLoader) {
        this.discoverFrom = Objects.requireNonNull(classLoader, "classLoader");
        return this;
    }

    /**
     * Uses only providers given with {@link #provider(PaymentProvider)} or created by factories given with
     * {@link #providerFactory(PaymentProviderFactory)}.
     */
    public UnbinderBuilder withoutDiscovery() {
        this.discoverFrom = null;
        return this;
    }

    /** Adds a progress listener. */
    public UnbinderBuilder listener(UnbindListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** How provider operations are retried; {@link RetryPolicy#defaults()} by default. */
    public UnbinderBuilder retryPolicy(RetryPolicy retryPolicy) {
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
    public UnbinderBuilder pollInterval(Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        this.pollInterval = pollInterval;
        return this;
    }

    /** The source of retry jitter; must be thread-safe. Tests pass a seeded one. */
    public UnbinderBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /**
     * This instance's name among the instances sharing a store; a unique default (host, process and
     * a random part) is chosen when not set.
     */
    public UnbinderBuilder instanceId(String instanceId) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        return this;
    }

    /**
     * How long a case stays reserved for this instance without a heartbeat (30 s by default); after
     * this instance dies, others take its cases over once their leases expire.
     */
    public UnbinderBuilder leaseDuration(Duration leaseDuration) {
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        return this;
    }

    /**
     * How long {@link Unbinder#close()} waits for running steps (a provider call in progress) to end
     * before it interrupts them; 30 seconds by default. Keep it below the time your platform gives a
     * process between SIGTERM and SIGKILL (Kubernetes: 30 s by default, minus what the host needs).
     * Zero closes without waiting.
     */
    public UnbinderBuilder shutdownTimeout(Duration shutdownTimeout) {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
        this.shutdownTimeout = shutdownTimeout;
        return this;
    }

    /** How often a case that waits for input sends a reminder event; 24 hours by default. */
    public UnbinderBuilder reminderInterval(Duration reminderInterval) {
        this.reminderInterval = Objects.requireNonNull(reminderInterval, "reminderInterval");
        return this;
    }

    /**
     * How long the institution has to decide before the application lapses and the case fails with
     * {@link CoreErrorCode#APPROVAL_EXPIRED}; 30 days by default.
     */
    public UnbinderBuilder approvalDeadline(Duration approvalDeadline) {
        this.approvalDeadline = Objects.requireNonNull(approvalDeadline, "approvalDeadline");
        return this;
    }

    /**
     * The keys that encrypt card, account, identity and phone numbers in the store and seal the old
     * terminal's backups. Defaults to the store's own ({@code JdbcCaseStore.h2File} keeps them beside
     * the database, {@code InMemoryCaseStore} generates one); a store on a shared database needs keys
     * chosen here, the same for every instance.
     */
    public UnbinderBuilder dataKeys(DataKeyProvider dataKeys) {
        this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        return this;
    }

    /**
     * Records every command, state change, provider call and refused callback in a tamper-evident
     * trail (SHA-256 chain, Ed25519-signed checkpoints). A committed change is recorded before
     * listeners hear of it; if the trail cannot be written the change stays pending and is recorded
     * later, never lost. {@link Unbinder#runDueWork()} also signs checkpoints that fell due.
     */
    public UnbinderBuilder auditTrail(AuditTrail auditTrail) {
        this.auditTrail = Objects.requireNonNull(auditTrail, "auditTrail");
        return this;
    }

    /**
     * Verifies callbacks before {@link Unbinder#acceptCallback} acts on them (signature, timestamp
     * window, nonce). Without one, callbacks are refused. Give instances that share a database the
     * same shared nonce store, such as {@code JdbcCaseStore.callbackNonces()}.
     */
    public UnbinderBuilder callbackVerifier(CallbackVerifier callbackVerifier) {
        this.callbackVerifier = Objects.requireNonNull(callbackVerifier, "callbackVerifier");
        return this;
    }

    /**
     * Whether every case needs the platform's own reviewer to approve it before anything is applied
     * for or changed; the reviewer must differ from the requester (four eyes). Off by default.
     */
    public UnbinderBuilder internalReview(boolean internalReview) {
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
    public UnbinderBuilder documentChecklist(DocumentChecklist documentChecklist) {
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
    public UnbinderBuilder commandWait(WaitPolicy commandWait) {
        this.commandWait = Objects.requireNonNull(commandWait, "commandWait");
        return this;
    }

    /**
     * Told around every step and provider call, and of retries, dead letters and claims, for metrics and
     * tracing (see {@link EngineObserver}; {@code posunbind-micrometer} has one). None by default. Its
     * exceptions are logged and never change a case.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public UnbinderBuilder observer(EngineObserver observer) {
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
        return new Unbinder(UnbinderParts.assemble(this));
    }
}
