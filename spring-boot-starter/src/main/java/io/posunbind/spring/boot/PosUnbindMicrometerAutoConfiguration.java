package io.posunbind.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.posunbind.Unbinder;
import io.posunbind.micrometer.MicrometerEngineObserver;
import io.posunbind.micrometer.UnbinderMetrics;
import io.posunbind.observe.EngineObserver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Metrics and observations of the unbinder when the application has {@code posunbind-micrometer} and Micrometer:
 * a {@link MicrometerEngineObserver} recording into the application's {@link MeterRegistry} (and, when it has one,
 * its {@link ObservationRegistry}, so OpenTelemetry or Brave trace every step and provider call), and the gauges of
 * {@link UnbinderMetrics}, which Spring Boot binds to its registries as it does every {@code MeterBinder} bean.
 *
 * <p>The registries are looked up when the unbinder is built, not by a condition: Boot 4 moved the metrics and
 * observation auto-configurations to new packages, and a condition ordered against the wrong names would miss
 * them. Off with {@code posunbind.metrics.enabled=false}; an application's own {@link EngineObserver} bean wins.
 */
@AutoConfiguration(after = PosUnbindAutoConfiguration.class)
@ConditionalOnClass(name = {"io.posunbind.micrometer.MicrometerEngineObserver",
        "io.micrometer.core.instrument.MeterRegistry", "io.micrometer.observation.ObservationRegistry"})
@ConditionalOnProperty(prefix = "posunbind.metrics", name = "enabled", matchIfMissing = true)
public class PosUnbindMicrometerAutoConfiguration {

    /**
     * The engine's observer: timers, counters and observations of every step and provider call. Without a
     * MeterRegistry bean it observes nothing.
     */
    @Bean
    @ConditionalOnMissingBean
    public EngineObserver posUnbindMicrometerObserver(ObjectProvider<MeterRegistry> meters,
            ObjectProvider<ObservationRegistry> observations) {
        MeterRegistry registry = meters.getIfUnique();
        if (registry == null) {
            return EngineObserver.NONE;
        }
        return new MicrometerEngineObserver(registry, observations.getIfUnique(() -> ObservationRegistry.NOOP));
    }

    /** The gauges of cases by state and wait reason, worker lag and claims; bound by Boot to its registries. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(Unbinder.class)
    public UnbinderMetrics posUnbindMetrics(Unbinder unbinder) {
        return new UnbinderMetrics(unbinder);
    }
}
