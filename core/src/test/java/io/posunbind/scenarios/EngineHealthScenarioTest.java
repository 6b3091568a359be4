package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.observe.EngineHealth;
import io.posunbind.observe.ProviderHealth;
import io.posunbind.observe.ProviderReachability;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Document;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testing.MovableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A health endpoint asks {@code unbinder.health()} every few seconds: the store answers or not, providers
 * answered the engine's recent calls or not, due work is claimed in time or lags, cases wait for an
 * operator or not. It never calls a provider itself.
 */
class EngineHealthScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688210";

    private final MovableClock clock = new MovableClock(UnbindingHarness.CLOCK.instant());

    @Test
    void anEngineWhoseCasesMoveAndWhoseProviderAnswersIsUp() {
        TerminalInventoryProvider provider = terminal();
        try (Unbinder unbinder = unbinder(new InMemoryCaseStore(), provider)) {
            assertEquals(CaseState.COMPLETED, unbinder.open(request()).state());
            EngineHealth health = unbinder.health();
            assertEquals(EngineHealth.Status.UP, health.status(), health.toString());
            assertEquals(List.of(), health.degradedBy());
            assertEquals(Optional.of(Duration.ZERO), health.workerLag());
            assertEquals(OptionalLong.of(0), health.deadLetteredCases());
            assertEquals(ProviderReachability.REACHABLE, health.providers().get(0).reachability());
            assertEquals(clock.instant(), health.checkedAt());
            assertEquals(1, unbinder.caseCounts().inState(CaseState.COMPLETED));
        }
    }

    @Test
    void aStoreThatDoesNotAnswerMakesTheEngineDownWithTheStoresCode() {
        AtomicBoolean storeDown = new AtomicBoolean();
        CaseStore store = failingWhen(storeDown, new InMemoryCaseStore());
        try (Unbinder unbinder = unbinder(store, terminal())) {
            assertEquals(EngineHealth.Status.UP, unbinder.health().status());
            storeDown.set(true);

            EngineHealth health = unbinder.health();

            assertEquals(EngineHealth.Status.DOWN, health.status(), health.toString());
            assertEquals(Optional.of(CoreErrorCode.STORE_UNAVAILABLE.code()), health.store().errorCode());
            assertEquals(List.of("STORE_UNAVAILABLE"), health.degradedBy());
            assertEquals(Optional.empty(), health.workerLag());
            assertEquals(OptionalLong.empty(), health.deadLetteredCases());
        }
    }

    @Test
    void aDeadLetteredCaseDegradesTheEngineUntilAnOperatorDealsWithIt() {
        TerminalInventoryProvider provider = terminal().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "422", "Terminal is locked"));
        try (Unbinder unbinder = unbinder(new InMemoryCaseStore(), provider)) {
            CaseSnapshot failed = unbinder.open(request());
            assertEquals(CaseState.FAILED, failed.state(), failed.describe(Locale.ENGLISH));

            EngineHealth health = unbinder.health();

            assertEquals(EngineHealth.Status.DEGRADED, health.status(), health.toString());
            assertEquals(List.of("DEAD_LETTERS"), health.degradedBy());
            assertEquals(OptionalLong.of(1), health.deadLetteredCases());
            // A rejection is an answer: the provider is reachable, the case is the operator's.
            assertEquals(ProviderReachability.REACHABLE, health.providers().get(0).reachability());
        }
    }

    @Test
    void dueWorkThatNoWorkerClaimsShowsAsWorkerLagUntilClaimed() {
        try (Unbinder unbinder = unbinder(new InMemoryCaseStore(), terminal())) {
            CaseSnapshot recorded = unbinder.open(request(), WaitPolicy.none());
            assertEquals(CaseState.RUNNING, recorded.state());
            clock.advance(Duration.ofMinutes(10));

            EngineHealth lagging = unbinder.health();

            assertEquals(EngineHealth.Status.DEGRADED, lagging.status(), lagging.toString());
            assertEquals(List.of("WORKER_LAG"), lagging.degradedBy());
            assertEquals(Optional.of(Duration.ofMinutes(10)), lagging.workerLag());

            unbinder.runDueWork();
            EngineHealth claimed = unbinder.health();
            assertEquals(EngineHealth.Status.UP, claimed.status(), claimed.toString());
            assertEquals(Optional.of(Duration.ZERO), claimed.workerLag());
        }
    }

    @Test
    void aProviderWhoseCallsGoUnansweredIsUnreachableAndOneLeftQuietIsUnknown() {
        TerminalInventoryProvider provider = terminal().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.retryable("503", "Service unavailable"));
        try (Unbinder unbinder = unbinder(new InMemoryCaseStore(), provider)) {
            assertEquals(ProviderReachability.UNKNOWN, unbinder.health().providers().get(0).reachability(),
                    "never called yet");
            CaseSnapshot retrying = unbinder.open(request());
            for (int attempt = 0; attempt < 2; attempt++) {
                assertTrue(unbinder.find(retrying.id()).orElseThrow().isWaitingFor(WaitReason.RETRY));
                clock.advance(Duration.ofMinutes(2));
                unbinder.runDueWork();
            }

            EngineHealth health = unbinder.health();
            ProviderHealth terminals = health.providers().get(0);
            assertEquals(ProviderReachability.UNREACHABLE, terminals.reachability(), health.toString());
            assertEquals(3, terminals.unansweredInRow());
            assertEquals(Optional.of(StandardErrorCode.PROVIDER_UNAVAILABLE.code()), terminals.lastFailureCode());
            assertTrue(health.degradedBy().contains("PROVIDER_UNREACHABLE:" + TerminalInventoryProvider.ID),
                    health.toString());

            clock.advance(Duration.ofMinutes(30));
            assertEquals(ProviderReachability.UNKNOWN, unbinder.health().providers().get(0).reachability(),
                    "nothing heard for longer than the quiet period");
        }
    }

    private Unbinder unbinder(CaseStore store, TerminalInventoryProvider provider) {
        return Unbinder.builder().store(store).clock(clock).provider(provider).withoutDiscovery().build();
    }

    /** The store, failing every call with a driver's uncoded exception while {@code down} is set. */
    private static CaseStore failingWhen(AtomicBoolean down, CaseStore store) {
        return (CaseStore) Proxy.newProxyInstance(CaseStore.class.getClassLoader(), new Class<?>[] {CaseStore.class},
                (proxy, method, args) -> {
                    if (down.get() && method.getDeclaringClass() != Object.class) {
                        throw new IllegalStateException("Connection refused");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static UnbindRequest request() {
        return deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(new Document.BusinessRegistration("12345678", "Bakkerij de Vries B.V.")).build();
    }

    private static TerminalInventoryProvider terminal() {
        return new TerminalInventoryProvider().withTerminal(SERIAL, "V400m", List.of(), MERCHANT);
    }
}
