package io.posunbind.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.posunbind.CaseId;
import io.posunbind.Unbinder;
import io.posunbind.micrometer.UnbinderMetrics;
import io.posunbind.observe.EngineObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An application with Micrometer gets the unbinder's meters and observations without a line of its own. */
class PosUnbindMicrometerAutoConfigurationTest {

    @TempDir
    Path folder;

    private ApplicationContextRunner application() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PosUnbindAutoConfiguration.class,
                        PosUnbindMicrometerAutoConfiguration.class))
                .withPropertyValues("posunbind.store.directory=" + folder.resolve("data"),
                        "posunbind.providers.sandbox.backend=fresh", "posunbind.worker.enabled=false");
    }

    @Test
    void theStepsOfACaseAreTimedAndObservedInTheApplicationsRegistries() {
        List<String> observed = new ArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(Observation.Context context) {
                observed.add(context.getName());
            }
        });
        application()
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    assertNull(context.getStartupFailure());
                    context.getBean(Unbinder.class).open(CaseId.of("spring-metrics-1"), SandboxCases.deviceUnbind());

                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    Timer inventory = meters.find("posunbind.step.duration").tag("step", "TAKE_INVENTORY").timer();
                    assertEquals(1, inventory.count());
                    assertTrue(observed.contains("posunbind.step"), observed.toString());
                    assertTrue(observed.contains("posunbind.provider.call"), observed.toString());

                    context.getBean(UnbinderMetrics.class).bindTo(meters);
                    assertTrue(meters.find("posunbind.cases").tag("state", "WAITING").gauge().value() >= 1);
                });
    }

    @Test
    void withoutARegistryOrWithTheApplicationsOwnObserverNothingIsRecordedByTheStarter() {
        application().run(context -> assertSame(EngineObserver.NONE, context.getBean(EngineObserver.class)));
        EngineObserver own = new EngineObserver() { };
        application().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("ownObserver", EngineObserver.class, () -> own)
                .run(context -> assertSame(own, context.getBean(EngineObserver.class)));
        application().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("posunbind.metrics.enabled=false")
                .run(context -> assertTrue(context.getBeansOfType(EngineObserver.class).isEmpty()));
    }
}
