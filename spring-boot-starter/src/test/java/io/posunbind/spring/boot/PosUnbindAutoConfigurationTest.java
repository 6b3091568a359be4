package io.posunbind.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.UnbindWorker;
import io.posunbind.Unbinder;
import io.posunbind.audit.AuditTrail;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.StepScope;
import io.posunbind.observe.StepStart;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What a Spring Boot application gets from the starter with properties only, and how it replaces any of it. */
class PosUnbindAutoConfigurationTest {

    @TempDir
    Path folder;

    private ApplicationContextRunner application() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PosUnbindAutoConfiguration.class))
                .withPropertyValues("posunbind.store.directory=" + folder.resolve("data"),
                        "posunbind.providers.sandbox.backend=fresh");
    }

    @Test
    void anApplicationWithoutDataSourceKeepsItsCasesInTheEmbeddedH2FileWithTheSandboxFoundOnTheClassPath() {
        application().withPropertyValues("posunbind.worker.enabled=false").run(context -> {
            assertStarted(context);
            Unbinder unbinder = context.getBean(Unbinder.class);
            assertEquals(List.of(SandboxProvider.ID), unbinder.providerIds());
            assertInstanceOf(JdbcCaseStore.class, context.getBean(CaseStore.class));

            CaseSnapshot opened = unbinder.open(CaseId.of("spring-h2-1"), SandboxCases.deviceUnbind());

            assertNotEquals(CaseState.RUNNING, opened.state(), "without a worker the command runs the case inline");
            assertTrue(Files.exists(folder.resolve("data").resolve("posunbind.mv.db")));
            assertTrue(Files.isDirectory(folder.resolve("data").resolve("keys")), "the try-out keys beside the data");
        });
    }

    @Test
    void aProviderSettingFromThePropertiesReachesTheProvidersFactory() {
        application().withPropertyValues("posunbind.providers.sandbox.backend=elsewhere").run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure, "the sandbox factory refuses backend=elsewhere");
            assertTrue(causes(failure).contains("'backend' must be shared or fresh"), causes(failure));
        });
    }

    @Test
    void anApplicationDataSourceHoldsTheCasesWithTheDataKeysOfTheirOwnFolder() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:posunbind-app;DB_CLOSE_DELAY=-1");
        application()
                .withBean(DataSource.class, () -> dataSource)
                .withPropertyValues("posunbind.worker.enabled=false",
                        "posunbind.data-keys.directory=" + folder.resolve("secrets"),
                        "posunbind.data-keys.create-if-missing=true")
                .run(context -> {
                    assertStarted(context);
                    context.getBean(Unbinder.class).open(CaseId.of("spring-ds-1"), SandboxCases.deviceUnbind());

                    try (Connection connection = dataSource.getConnection();
                            Statement statement = connection.createStatement();
                            ResultSet rows = statement.executeQuery(
                                    "SELECT COUNT(*) FROM posunbind_case WHERE case_id = 'spring-ds-1'")) {
                        rows.next();
                        assertEquals(1, rows.getInt(1));
                    }
                    assertFalse(Files.exists(folder.resolve("data")), "no embedded file beside the DataSource");
                    assertTrue(Files.exists(folder.resolve("secrets").resolve("current")));
                });
    }

    @Test
    void anApplicationDataSourceWithoutDataKeysStopsTheStartNamingThePropertyToSet() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:posunbind-nokeys;DB_CLOSE_DELAY=-1");
        application().withBean(DataSource.class, () -> dataSource).run(context -> {
            assertNotNull(context.getStartupFailure());
            assertTrue(causes(context.getStartupFailure()).contains("posunbind.data-keys.directory"));
        });
    }

    @Test
    void theApplicationsOwnStoreReplacesTheStartersAndTheUnbinderUsesIt() {
        InMemoryCaseStore own = new InMemoryCaseStore();
        application().withBean(CaseStore.class, () -> own).withPropertyValues("posunbind.worker.enabled=false")
                .run(context -> {
                    assertStarted(context);
                    assertSame(own, context.getBean(CaseStore.class));
                    context.getBean(Unbinder.class).open(CaseId.of("spring-own-1"), SandboxCases.deviceUnbind());
                    assertTrue(own.load("spring-own-1").isPresent());
                    assertFalse(Files.exists(folder.resolve("data")));
                });
    }

    @Test
    void theApplicationsOwnUnbinderReplacesTheStartersAndTheWorkerRunsIt() {
        application().withBean("ownUnbinder", Unbinder.class,
                        () -> Unbinder.builder().store(new InMemoryCaseStore()).instanceId("own-unbinder").build())
                .run(context -> {
                    assertStarted(context);
                    assertEquals("own-unbinder", context.getBean(Unbinder.class).instanceId());
                    assertEquals(1, context.getBeansOfType(Unbinder.class).size());
                    assertTrue(context.getBean(UnbindWorkerLifecycle.class).isRunning());
                });
    }

    @Test
    void providerBeansAndCustomizersShapeTheUnbinder() {
        application()
                .withPropertyValues("posunbind.worker.enabled=false", "posunbind.instance-id=node-7")
                .withBean("noDiscovery", UnbinderBuilderCustomizer.class, () -> builder -> builder.withoutDiscovery())
                .withBean(SandboxProvider.class, SandboxProvider::withDemoData)
                .run(context -> {
                    assertStarted(context);
                    Unbinder unbinder = context.getBean(Unbinder.class);
                    assertEquals("node-7", unbinder.instanceId());
                    assertEquals(List.of(SandboxProvider.ID), unbinder.providerIds(), "the bean, not discovery");
                });
        application()
                .withPropertyValues("posunbind.worker.enabled=false")
                .withBean("noDiscovery", UnbinderBuilderCustomizer.class, () -> builder -> builder.withoutDiscovery())
                .run(context -> assertEquals(List.of(), context.getBean(Unbinder.class).providerIds()));
    }

    @Test
    void anEngineObserverBeanIsToldOfEveryStepTheCaseRuns() {
        List<StepKind> started = new CopyOnWriteArrayList<>();
        EngineObserver observer = new EngineObserver() {
            @Override
            public StepScope stepStarted(StepStart step) {
                started.add(step.step());
                return StepScope.NONE;
            }
        };
        application().withPropertyValues("posunbind.worker.enabled=false")
                .withBean(EngineObserver.class, () -> observer)
                .run(context -> {
                    assertStarted(context);
                    context.getBean(Unbinder.class).open(CaseId.of("spring-observed-1"), SandboxCases.deviceUnbind());

                    assertEquals(StepKind.TAKE_INVENTORY, started.get(0), started.toString());
                });
    }

    @Test
    void theWorkerStartsWithTheContextRunsTheCommandsCasesAndStopsWithIt() {
        AtomicReference<UnbindWorker> worker = new AtomicReference<>();
        AtomicReference<UnbindWorkerLifecycle> lifecycle = new AtomicReference<>();
        application().run(context -> {
            assertStarted(context);
            lifecycle.set(context.getBean(UnbindWorkerLifecycle.class));
            assertTrue(lifecycle.get().isRunning());
            worker.set(lifecycle.get().worker().orElseThrow());

            // command-wait up-to (the default): the command is stored, the worker runs it to its first wait.
            CaseSnapshot opened = context.getBean(Unbinder.class).open(CaseId.of("spring-worker-1"),
                    SandboxCases.deviceUnbind());

            assertNotEquals(CaseState.RUNNING, opened.state());
            assertTrue(worker.get().stats().casesClaimed() > 0, "the worker, not the caller, ran the case");
        });
        assertFalse(lifecycle.get().isRunning());
        assertTrue(worker.get().closing(), "closed with the context");
    }

    @Test
    void theAuditTrailFromPropertiesRecordsTheCasesCommands() {
        application()
                .withPropertyValues("posunbind.worker.enabled=false", "posunbind.audit.enabled=true",
                        "posunbind.audit.key-directory=" + folder.resolve("audit-keys"),
                        "posunbind.audit.generate-key-if-missing=true")
                .run(context -> {
                    assertStarted(context);
                    context.getBean(Unbinder.class).open(CaseId.of("spring-audit-1"), SandboxCases.deviceUnbind());
                    AuditTrail trail = context.getBean(AuditTrail.class);
                    assertFalse(trail.store().readByCase("spring-audit-1").isEmpty());
                });
    }

    @Test
    void anAuditTrailWithoutKeysStopsTheStartNamingThePropertyToSet() {
        application().withPropertyValues("posunbind.audit.enabled=true").run(context -> {
            assertNotNull(context.getStartupFailure());
            assertTrue(causes(context.getStartupFailure()).contains("posunbind.audit.key-directory"));
        });
    }

    @Test
    void withoutTheAuditPropertyThereIsNoAuditTrail() {
        application().withPropertyValues("posunbind.worker.enabled=false").run(context -> {
            assertStarted(context);
            assertTrue(context.getBeansOfType(AuditTrail.class).isEmpty());
        });
    }

    private static void assertStarted(AssertableApplicationContext context) {
        assertNull(context.getStartupFailure(), () -> causes(context.getStartupFailure()));
    }

    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append('\n');
        }
        return text.toString();
    }
}
