package io.posunbind.examples.scenarios;

import static io.posunbind.examples.scenarios.MerchantCase.allDocuments;
import static io.posunbind.examples.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.examples.sandbox.CompletionPolicy;
import io.posunbind.examples.sandbox.SandboxProvider;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The application shuts down (a SIGTERM to its container) while a step waits on the provider: close
 * stops taking work, lets the step finish and store its result, and leaves no thread of posunbind behind.
 */
class ShutdownScenarioTest {

    /** Far above what the test needs: it bounds a hang, it is not a timing assertion. */
    private static final long GENEROUS_SECONDS = 60;

    @Test
    void closeWaitsForTheStepInAProviderCallCommitsItsResultAndTakesNoFurtherWork() throws Exception {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        CountDownLatch inProviderCall = new CountDownLatch(1);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("DeviceUnbindAdapter.disableTerminal")) {
                        inProviderCall.countDown();
                        assertTrue(providerAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                    }
                    return proceed.call();
                });
        InMemoryCaseStore store = new InMemoryCaseStore();
        Unbinder unbinder = merchant.builderOn(store, provider.provider).instanceId("shutdown-under-load")
                .shutdownTimeout(Duration.ofSeconds(GENEROUS_SECONDS)).build();
        unbinder.startWorker(Duration.ofHours(1)); // runs once at start; what matters is that it stops
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();

        // A request thread gives the consent; the case runs until the provider call that hangs.
        CompletableFuture<CaseSnapshot> consent = CompletableFuture.supplyAsync(() -> unbinder.consentToFees(
                opened.id(), new FeeConsent(quote.quoteId(), quote.total(), MerchantCase.MERCHANT,
                        merchant.clock.instant())));
        assertTrue(inProviderCall.await(GENEROUS_SECONDS, TimeUnit.SECONDS));

        // SIGTERM: the host closes the unbinder.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(unbinder::close);
        PosUnbindException refused = awaitRefusal(unbinder);

        assertEquals(CoreErrorCode.UNBINDER_CLOSED, refused.errorCode());
        assertEquals(CoreErrorCode.UNBINDER_CLOSED, assertThrows(PosUnbindException.class,
                () -> unbinder.open(fullReplacement().terminalSerial("0820000002").build())).errorCode());
        assertFalse(closing.isDone(), "close waits for the step in the provider call");

        providerAnswers.countDown();
        closing.get(GENEROUS_SECONDS, TimeUnit.SECONDS);

        // By the time close returned, the step's result was stored, and nothing after it was started.
        CaseSnapshot stopped = unbinder.find(opened.id()).orElseThrow();
        assertEquals(StepStatus.DONE, stopped.steps(StepKind.DISABLE_TERMINAL).get(0).status(), stopped.toString());
        assertEquals(StepStatus.PLANNED, stopped.steps(StepKind.UNBIND_TERMINAL).get(0).status());
        assertEquals(1, merchant.sandbox.effectsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(0, merchant.sandbox.callsFor(OperationKind.UNBIND_TERMINAL));
        CaseRecord stored = store.load(opened.id().value()).orElseThrow();
        assertEquals(stopped.version(), stored.version());
        assertTrue(stored.leaseOwner().isEmpty(), "the lease was given back: " + stored);
        assertTrue(stored.wakeAt().filter(at -> !at.isAfter(merchant.clock.instant())).isPresent(),
                "the case is due for the next instance: " + stored);
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().contains("shutdown-under-load")) {
                // Terminated executors; a thread may still be leaving its last frame, never running work.
                thread.join(TimeUnit.SECONDS.toMillis(GENEROUS_SECONDS));
                assertFalse(thread.isAlive(), "no worker or heartbeat thread outlives close: " + thread);
            }
        }
        assertEquals(0, unbinder.runDueWork(), "a closed unbinder takes no due work");
        assertEquals(stopped.version(), consent.get(GENEROUS_SECONDS, TimeUnit.SECONDS).version(),
                "the caller got the case as stored");

        // The next instance (or this one restarted) goes on from the stored step.
        CaseSnapshot done = merchant.builderOn(store).build().advance(opened.id());
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    /** Issues a harmless command until it is refused as closed: close has begun. */
    private static PosUnbindException awaitRefusal(Unbinder unbinder) {
        CaseId nowhere = CaseId.of("no-such-case");
        while (true) {
            try {
                unbinder.advance(nowhere);
            } catch (PosUnbindException e) {
                if (e.errorCode() != CoreErrorCode.CASE_NOT_FOUND) {
                    return e;
                }
            }
            Thread.onSpinWait();
        }
    }
}
