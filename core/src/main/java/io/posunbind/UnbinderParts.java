package io.posunbind;

import io.posunbind.internal.batch.BatchService;
import io.posunbind.internal.engine.EngineSettings;
import io.posunbind.internal.engine.UnbindEngine;
import io.posunbind.internal.limits.ProviderLimiters;
import io.posunbind.internal.observe.GuardedObserver;
import io.posunbind.internal.observe.HealthCheck;
import io.posunbind.internal.observe.ObservedProvider;
import io.posunbind.internal.observe.ProviderCallRecords;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.internal.store.StoreInternals;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.observe.EngineObserver;
import io.posunbind.callback.CallbackVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What an {@link Unbinder} is made of, assembled from a builder's settings: the providers (limited, then
 * observed), the engine, its health check and its batches. Assembly either completes or closes what it created.
 */
record UnbinderParts(UnbindEngine engine, CallbackVerifier callbackVerifier, ProviderRegistry providers,
        ProviderLimiters limiters, HealthCheck healthCheck, BatchService batches, Duration shutdownTimeout,
        Clock clock) {

    static UnbinderParts assemble(UnbinderBuilder settings) {
        ProviderRegistry created = ProviderRegistry.create(settings.providers, settings.providerFactories,
                settings.providerSettings, settings.discoverFrom);
        // On a JDBC store the instances on its database share each provider's limits evenly (FleetShare).
        ProviderLimiters limiters = new ProviderLimiters(settings.providerLimits, settings.operationLimits,
                settings.clock, StoreInternals.limitBoard(settings.store), settings.instanceId);
        ProviderCallRecords calls = new ProviderCallRecords(settings.clock);
        EngineObserver observer = GuardedObserver.of(settings.observer);
        ProviderRegistry providers;
        try {
            // Every caller reaches providers through the registry: limited there, limited for all. Observed
            // inside the limits, so that only calls that reach the provider are observed.
            providers = created.decoratedWith(provider -> limiters.limit(
                    ObservedProvider.observe(provider, observer, calls)));
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        UnbindEngine engine;
        try {
            engine = createEngine(settings, providers, observer);
            engine.beforeEachClaim(limiters::heartbeat);
        } catch (RuntimeException e) {
            providers.close(); // the providers it created must not outlive a builder that failed
            throw e;
        }
        HealthCheck healthCheck = new HealthCheck(engine::countCases, providers::ids, calls, settings.clock);
        // Rows of batches start before every look for due work, so the window, pause and cap are honoured there.
        BatchService batches = new BatchService(settings.store, engine, () -> Set.copyOf(providers.ids()),
                dataKeys(settings), settings.clock, settings.auditTrail);
        engine.beforeEachLook(batches::startDueRows);
        return new UnbinderParts(engine, settings.callbackVerifier, providers, limiters, healthCheck, batches,
                settings.shutdownTimeout, settings.clock);
    }

    private static UnbindEngine createEngine(UnbinderBuilder settings, ProviderRegistry providers,
            EngineObserver observer) {
        return new UnbindEngine(settings.store, settings.clock, providers, settings.listeners,
                new EngineSettings(settings.retryPolicy, settings.pollInterval, settings.instanceId,
                        settings.leaseDuration, settings.reminderInterval, settings.approvalDeadline,
                        settings.internalReview, Optional.ofNullable(settings.documentChecklist)), settings.random,
                dataKeys(settings), settings.auditTrail, settings.commandWait, observer);
    }

    /** The keys given to the builder, else the store's own; a store without keys needs them chosen. */
    private static DataKeyProvider dataKeys(UnbinderBuilder settings) {
        return settings.dataKeys != null ? settings.dataKeys : settings.store.defaultDataKeys().orElseThrow(() ->
                new IllegalStateException("Choose data keys for encrypting card, account, identity and phone"
                        + " numbers: Unbinder.builder().dataKeys(DirectoryDataKeyProvider.open(dir)) or a"
                        + " provider backed by your key service"));
    }
}
