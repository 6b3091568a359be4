package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

        // SIGTERM: the host's shutdown hook closes the unbinder.
        CompletableFuture<Void> closing = new CompletableFuture<>();
        Thread shutdownHook = new Thread(() -> {
            try {
                unbinder.close();
                closing.complete(null);
            } catch (Throwable failure) {
                closing.completeExceptionally(failure);
            }
        }, "host-shutdown-hook");
        shutdownHook.start();
        PosUnbindException refused = awaitRefusal(unbinder);

        assertEquals(CoreErrorCode.UNBINDER_CLOSED, refused.errorCode());
        assertEquals(CoreErrorCode.UNBINDER_CLOSED, assertThrows(PosUnbindException.class,
                () -> unbinder.open(fullReplacement().terminalSerial("0820000002").build())).errorCode());
        // Close has begun; it either returns (it did not wait) or blocks waiting for the running work.
        while (!closing.isDone() && !waitsForRunningWork(shutdownHook)) {
            Thread.onSpinWait();
        }
        assertFalse(closing.isDone(), "close waits for the step in the provider call");

        providerAnswers.countDown();
        closing.get(GENEROUS_SECONDS, TimeUnit.SECONDS);

        // By the time close returned, the step's result was stored, and nothing after it was started.
        CaseSnapshot stopped = unbinder.find(opened.id()).orElseThrow();
        assertEquals(StepStatus.DONE, stopped.steps(StepKind.DISABLE_TERMINAL).get(0).status(), stopped.toString());
        assertEquals(StepStatus.PLANNED, stopped.steps(StepKind.UNBIND_TERMINAL).get(0).status());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(0, merchant.sandbox.requests().callsFor(OperationKind.UNBIND_TERMINAL));
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
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aProvidersAnswerTakenJustAsTheApplicationShutsDownLeavesTheCaseDueForTheNextInstance() throws Exception {
        MerchantCase merchant = new MerchantCase();
        StoreThatActsAfterAWrite store = new StoreThatActsAfterAWrite(new InMemoryCaseStore());
        Unbinder unbinder = merchant.builderOn(store).instanceId("closing-on-a-callback")
                .shutdownTimeout(Duration.ofSeconds(GENEROUS_SECONDS)).build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        unbinder.consentToFees(opened.id(), new FeeConsent(quote.quoteId(), quote.total(), MerchantCase.MERCHANT,
                merchant.clock.instant()));
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        merchant.clock.advance(MerchantCase.POLL);
        unbinder.runDueWork();
        CaseSnapshot pending = unbinder.find(opened.id()).orElseThrow();
        assertTrue(pending.isWaitingFor(WaitReason.PROVIDER_OPERATION), pending.toString());
        String reference = pending.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).providerReference().orElseThrow();
        merchant.sandbox.reviews().completePending(reference);

        // The acquirer's "done" arrives just as the host begins to shut down: the answer is stored, and
        // close has begun before the case's next step could run.
        AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();
        store.afterNextWrite(() -> {
            closing.set(CompletableFuture.runAsync(unbinder::close));
            awaitRefusal(unbinder);
        });
        CaseSnapshot answered = unbinder.completeOperation(opened.id(), Actor.system(), reference,
                OperationOutcome.done(reference));
        closing.get().get(GENEROUS_SECONDS, TimeUnit.SECONDS);
        assertTrue(answered.isWaitingFor(WaitReason.PROVIDER_OPERATION), "no step ran: " + answered);

        // The next instance finds the case among the due work and finishes it.
        Unbinder next = merchant.builderOn(store).instanceId("next-instance").build();
        assertEquals(1, next.runDueWork(), "the case is due: " + store.load(opened.id().value()).orElseThrow());
        CaseSnapshot done = next.find(opened.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }

    @Test
    void aClosedUnbinderStartsNoWorker() throws Exception {
        MerchantCase merchant = new MerchantCase();
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).instanceId("closed-before-start").build();
        unbinder.close();

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> unbinder.startWorker(Duration.ofMinutes(1)));

        assertEquals(CoreErrorCode.UNBINDER_CLOSED, refused.errorCode());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("posunbind-worker-closed-before-start")),
                "no worker thread was started to outlive the close");
    }

    /** Whether a thread is blocked in the engine's wait for running commands to end. */
    private static boolean waitsForRunningWork(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("awaitIdle"));
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

    /** The in-memory store, running a test's action once right after its next write (an update). */
    private static final class StoreThatActsAfterAWrite implements CaseStore {

        private final CaseStore stored;
        private volatile Runnable afterNextWrite;

        StoreThatActsAfterAWrite(CaseStore stored) {
            this.stored = stored;
        }

        void afterNextWrite(Runnable action) {
            afterNextWrite = action;
        }

        @Override
        public void insert(CaseRecord record) {
            stored.insert(record);
        }

        @Override
        public Optional<CaseRecord> load(String caseId) {
            return stored.load(caseId);
        }

        @Override
        public void update(CaseRecord record, long expectedVersion) {
            stored.update(record, expectedVersion);
            Runnable action = afterNextWrite;
            if (action != null) {
                afterNextWrite = null;
                action.run();
            }
        }

        @Override
        public List<String> findByProviderReference(String providerId, String reference) {
            return stored.findByProviderReference(providerId, reference);
        }

        @Override
        public List<String> findDue(Instant now, int limit) {
            return stored.findDue(now, limit);
        }

        @Override
        public boolean renewLease(String caseId, String owner, Instant until) {
            return stored.renewLease(caseId, owner, until);
        }

        @Override
        public void reschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt,
                Optional<String> leaseOwner, Optional<Instant> leaseUntil) {
            stored.reschedule(caseId, expectedVersion, wakeAt, leaseOwner, leaseUntil);
        }

        @Override
        public List<CaseRecord> findCases(CaseFilter filter) {
            return stored.findCases(filter);
        }

        @Override
        public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
            return stored.findOpenCaseIds(providerId, terminalSerial);
        }

        @Override
        public Optional<DataKeyProvider> defaultDataKeys() {
            return stored.defaultDataKeys();
        }
    }
}
