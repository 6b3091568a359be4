package io.posunbind.spring.boot;

import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.WaitPolicy;
import io.posunbind.WorkerOptions;
import io.posunbind.audit.AuditTrail;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.DirectoryDataKeyProvider;
import io.posunbind.observe.EngineObserver;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.store.CaseStore;
import io.posunbind.store.JdbcCaseStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

/**
 * Builds the {@link Unbinder} of a Spring Boot application: its store on the application's {@link DataSource} (or
 * the embedded H2 file when there is none), its providers from beans and {@link java.util.ServiceLoader} with their
 * settings from {@code posunbind.providers.<id>.*}, its data keys and audit trail from properties, and a worker that
 * runs with the context. Every bean backs off when the application declares its own of the same type.
 *
 * <p>Ordered after the DataSource auto-configuration of both Boot lines by name: Boot 4 moved it from
 * {@code org.springframework.boot.autoconfigure.jdbc} to {@code org.springframework.boot.jdbc.autoconfigure}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@EnableConfigurationProperties(PosUnbindProperties.class)
@Import(PosUnbindAuditConfiguration.class)
public class PosUnbindAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PosUnbindAutoConfiguration.class);

    /** The data keys of {@code posunbind.data-keys.directory}, kept apart from the data. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "posunbind.data-keys", name = "directory")
    public DataKeyProvider posUnbindDataKeys(PosUnbindProperties properties) {
        Path directory = properties.getDataKeys().getDirectory();
        return properties.getDataKeys().isCreateIfMissing()
                ? DirectoryDataKeyProvider.openOrCreate(directory)
                : DirectoryDataKeyProvider.open(directory);
    }

    /**
     * The case store: the application's DataSource (H2 or PostgreSQL) when it has exactly one, otherwise the
     * embedded H2 file in {@code posunbind.store.directory}. Closed with the context, after the unbinder.
     */
    @Bean
    @ConditionalOnMissingBean
    public CaseStore posUnbindCaseStore(PosUnbindProperties properties, ObjectProvider<DataSource> dataSources,
            ObjectProvider<DataKeyProvider> dataKeys) {
        SupportedVersions.requireSupported();
        DataSource dataSource = properties.getStore().isUseDataSource() ? dataSources.getIfUnique() : null;
        DataKeyProvider keys = dataKeys.getIfUnique();
        if (dataSource != null) {
            if (keys == null) {
                throw new IllegalStateException("posunbind keeps its cases in the application's DataSource, which"
                        + " needs data keys chosen by the application: set posunbind.data-keys.directory (a folder"
                        + " apart from the data, the same for every instance) or declare a DataKeyProvider bean");
            }
            return JdbcCaseStore.create(dataSource);
        }
        Path directory = properties.getStore().getDirectory();
        if (keys != null) {
            return JdbcCaseStore.h2File(directory, keys);
        }
        LOG.warn("posunbind keeps its data keys in {} beside the data: fine for a try-out; in production set"
                + " posunbind.data-keys.directory to a folder apart from it", directory.resolve("keys"));
        return JdbcCaseStore.h2File(directory);
    }

    /**
     * The unbinder, with every provider, provider factory, listener and customizer bean of the application, the
     * providers found with ServiceLoader on the application's class loader, and the properties' settings.
     * Closed with the context: it refuses new commands, lets running steps finish and closes its providers.
     */
    @Bean
    @ConditionalOnMissingBean
    public Unbinder unbinder(PosUnbindProperties properties, CaseStore store, ObjectProvider<DataKeyProvider> dataKeys,
            ObjectProvider<AuditTrail> auditTrail, ObjectProvider<PaymentProvider> providers,
            ObjectProvider<PaymentProviderFactory> providerFactories, ObjectProvider<UnbindListener> listeners,
            ObjectProvider<CallbackVerifier> callbackVerifier, ObjectProvider<EngineObserver> observers,
            ObjectProvider<UnbinderBuilderCustomizer> customizers, ResourceLoader resourceLoader) {
        UnbinderBuilder builder = Unbinder.builder()
                .store(store)
                .discoverProvidersFrom(resourceLoader.getClassLoader())
                .pollInterval(properties.getPollInterval())
                .internalReview(properties.isInternalReview())
                .commandWait(commandWait(properties));
        if (properties.getInstanceId() != null) {
            builder.instanceId(properties.getInstanceId());
        }
        for (Map.Entry<String, Map<String, String>> settings : properties.getProviders().entrySet()) {
            builder.providerSettings(settings.getKey(), settings.getValue());
        }
        providers.orderedStream().forEach(builder::provider);
        providerFactories.orderedStream().forEach(builder::providerFactory);
        listeners.orderedStream().forEach(builder::listener);
        dataKeys.ifUnique(builder::dataKeys);
        auditTrail.ifUnique(builder::auditTrail);
        callbackVerifier.ifUnique(builder::callbackVerifier);
        observer(observers).ifPresent(builder::observer);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        Unbinder unbinder = builder.build();
        LOG.info("posunbind unbinder {} ready with providers {}", unbinder.instanceId(), unbinder.providerIds());
        return unbinder;
    }

    /** Runs due cases with the context, unless {@code posunbind.worker.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "posunbind.worker", name = "enabled", matchIfMissing = true)
    public UnbindWorkerLifecycle posUnbindWorker(Unbinder unbinder, PosUnbindProperties properties) {
        PosUnbindProperties.Worker worker = properties.getWorker();
        return new UnbindWorkerLifecycle(unbinder, WorkerOptions.builder()
                .threads(worker.getThreads())
                .pollInterval(worker.getPollInterval())
                .batchSize(worker.getBatchSize())
                .shutdownDeadline(worker.getShutdownDeadline())
                .virtualThreads(worker.isVirtualThreads())
                .build());
    }

    /** The application's observer (metrics, tracing); the engine takes one, so several must be combined first. */
    private static Optional<EngineObserver> observer(ObjectProvider<EngineObserver> observers) {
        List<EngineObserver> all = observers.orderedStream().toList();
        if (all.size() > 1) {
            throw new IllegalStateException("The unbinder takes one EngineObserver and the application has "
                    + all.size() + ": " + all + ". Declare one that calls the others");
        }
        return all.stream().findFirst();
    }

    private static WaitPolicy commandWait(PosUnbindProperties properties) {
        boolean workerRuns = properties.getWorker().isEnabled();
        return switch (properties.getCommandWait()) {
            case INLINE -> WaitPolicy.inline();
            case NONE -> WaitPolicy.none();
            // Without a worker in this application, waiting for one would only delay every command by the timeout
            // when no other instance runs one: the caller's thread runs the steps instead.
            case UP_TO -> workerRuns ? WaitPolicy.upTo(properties.getCommandWaitTimeout()) : WaitPolicy.inline();
        };
    }
}
