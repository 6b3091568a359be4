package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.builderFor;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.observe.CallScope;
import io.posunbind.observe.ClaimBatch;
import io.posunbind.observe.DeadLetter;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.ProviderCall;
import io.posunbind.observe.RetryScheduled;
import io.posunbind.observe.StepScope;
import io.posunbind.observe.StepStart;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Document;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An operations team plugs its metrics and tracing into the engine with an {@link EngineObserver}: it is told
 * around every step and every provider call, on the thread that runs them (so a span can be made current),
 * and of retries, dead letters and claims once they are stored.
 */
class EngineObserverScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688210";

    private final MovableClock clock = new MovableClock(UnbindingHarness.CLOCK.instant());
    private final RecordingObserver observer = new RecordingObserver();

    @Test
    void everyProviderCallIsObservedInsideTheStepThatMadeItNamingTheCase() {
        TerminalInventoryProvider provider = terminal();
        CaseSnapshot done;
        try (Unbinder unbinder = builderFor(provider).clock(clock).observer(observer).build()) {
            done = unbinder.open(request());
        }
        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        List<String> told = observer.told();
        System.out.println("Told for one completed case:\n  " + String.join("\n  ", told));

        String openStep = null;
        int stepsStarted = 0;
        for (String line : told) {
            if (line.startsWith("step ") && line.contains(" attempt ")) {
                assertEquals(null, openStep, "steps do not overlap: " + line);
                openStep = line.split(" ")[1];
                stepsStarted++;
                assertTrue(line.endsWith("of " + done.id().value()), line);
            } else if (line.startsWith("step ")) {
                assertEquals(openStep, line.split(" ")[1], "a step ends the scope it opened");
                openStep = null;
            } else if (line.startsWith("call ") && line.contains(" in ")) {
                assertTrue(line.endsWith(" in " + openStep + " of " + done.id().value()),
                        "a call names the step it runs in and its case: " + line);
            }
        }
        assertEquals(done.steps().stream().filter(step -> step.status() == StepStatus.DONE).count(), stepsStarted,
                "each step the case ran observed once (those skipped at plan time never run): " + told);
        assertTrue(told.contains("step UNBIND_TERMINAL DONE"), told.toString());
        assertTrue(told.contains("call DeviceUnbindAdapter.unbindTerminal SUCCEEDED"), told.toString());
        assertTrue(observer.calls.stream().allMatch(call -> call.providerId().equals(TerminalInventoryProvider.ID)));
    }

    @Test
    void aRefusalForNowIsObservedAsARetryAndTheRetryAsAClaimedSecondAttempt() {
        TerminalInventoryProvider provider = terminal().refusingOnceForNow(OperationKind.UNBIND_TERMINAL, false);
        try (Unbinder unbinder = builderFor(provider).clock(clock).observer(observer).build()) {
            CaseSnapshot refused = unbinder.open(request());
            assertTrue(refused.isWaitingFor(WaitReason.RETRY), refused.describe(Locale.ENGLISH));
            assertTrue(observer.told().contains("call DeviceUnbindAdapter.unbindTerminal REJECTED PRV-IN-PROGRESS"),
                    observer.told().toString());
            assertTrue(observer.told().contains("step UNBIND_TERMINAL RETRY PRV-IN-PROGRESS"), observer.told().toString());
            RetryScheduled retry = observer.retries.get(0);
            assertEquals(refused.id(), retry.caseId());
            assertEquals(StepKind.UNBIND_TERMINAL, retry.step());
            assertEquals(StandardErrorCode.OPERATION_IN_PROGRESS.code(), retry.code());
            assertEquals(1, retry.failures());
            assertTrue(retry.nextAttemptAt().isAfter(clock.instant()));

            clock.advance(Duration.ofHours(1));
            unbinder.runDueWork();
            assertEquals(CaseState.COMPLETED, unbinder.find(refused.id()).orElseThrow().state());
        }
        assertEquals(1, observer.retries.size());
        assertEquals(List.of(new ClaimBatch(observer.claims.get(0).instanceId(), 1, 0)), observer.claims);
        assertTrue(observer.told().stream().anyMatch(line -> line.startsWith("step UNBIND_TERMINAL #")
                && line.endsWith(" attempt 2 of " + observer.retries.get(0).caseId().value())), observer.told().toString());
        assertTrue(observer.deadLetters.isEmpty());
    }

    @Test
    void aCaseThatFailsForGoodIsObservedAsADeadLetterWithItsCodeAndStep() {
        TerminalInventoryProvider provider = terminal().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "422", "Terminal is locked"));
        CaseSnapshot failed;
        try (Unbinder unbinder = builderFor(provider).clock(clock).observer(observer).build()) {
            failed = unbinder.open(request());
        }
        assertEquals(CaseState.FAILED, failed.state(), failed.describe(Locale.ENGLISH));
        assertEquals(List.of(new DeadLetter(failed.id(), TerminalInventoryProvider.ID,
                Optional.of(StepKind.UNBIND_TERMINAL), StandardErrorCode.TERMINAL_STATE_CONFLICT.code())),
                observer.deadLetters);
        assertTrue(observer.told().contains("step UNBIND_TERMINAL STOPPED PRV-TERMINAL-STATE"), observer.told().toString());
    }

    @Test
    void anObserverThatThrowsEverywhereNeverChangesACase() {
        EngineObserver broken = new EngineObserver() {
            @Override
            public StepScope stepStarted(StepStart step) {
                return (outcome, code) -> {
                    throw new IllegalStateException("metrics backend away");
                };
            }

            @Override
            public CallScope providerCallStarted(ProviderCall call) {
                throw new IllegalStateException("tracer away");
            }

            @Override
            public void retryScheduled(RetryScheduled retry) {
                throw new IllegalStateException("counter away");
            }
        };
        TerminalInventoryProvider provider = terminal().refusingOnceForNow(OperationKind.UNBIND_TERMINAL, false);
        try (Unbinder unbinder = builderFor(provider).clock(clock).observer(broken).build()) {
            CaseSnapshot refused = unbinder.open(request());
            assertTrue(refused.isWaitingFor(WaitReason.RETRY), refused.describe(Locale.ENGLISH));
            clock.advance(Duration.ofHours(1));
            unbinder.runDueWork();
            assertEquals(CaseState.COMPLETED, unbinder.find(refused.id()).orElseThrow().state());
        }
    }

    private static UnbindRequest request() {
        return deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(new Document.BusinessRegistration("12345678", "Bakkerij de Vries B.V.")).build();
    }

    private static TerminalInventoryProvider terminal() {
        return new TerminalInventoryProvider().withTerminal(SERIAL, "V400m", List.of(), MERCHANT);
    }
}
