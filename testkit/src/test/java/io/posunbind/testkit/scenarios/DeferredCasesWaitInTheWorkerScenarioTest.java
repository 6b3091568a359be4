package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.Unbinder;
import io.posunbind.UnbindRequest;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.WorkerOptions;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A fleet under a declared limit (issue 12, points 2 and 3): a case whose next call the acquirer's limit lets
 * through only a moment later stays with the worker that runs it, leased, and goes on at that moment, instead
 * of being written back to the store and claimed again; a command on it meanwhile is neither refused nor
 * undone; a worker that closes gives it back. Time is the merchant's hand-moved clock; a wait for the
 * worker's thread is bounded only against a hang.
 */
class DeferredCasesWaitInTheWorkerScenarioTest {

    private static final long GENEROUS_SECONDS = 60;

    @Test
    void aCaseWhoseReadTheLimitDefersForAMomentWaitsInTheWorkerAndIsNeverClaimedAgain() {
        MerchantCase merchant = new MerchantCase();
        AtomicInteger calls = new AtomicInteger();
        InMemoryCaseStore store = new InMemoryCaseStore();
        Unbinder unbinder = merchant.builderOn(store, threeCallsASecond(merchant, calls).provider).build();
        CaseId id = unbinder.open(deviceOnly(), WaitPolicy.none()).id();

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(2)
                .pollInterval(Duration.ofMillis(10)).build()).start()) {
            awaitTrue(() -> unbinder.providerLimitStats(SandboxProvider.ID).callsDeferred() >= 1
                    && worker.running() == 0);
            CaseRecord held = store.load(id.value()).orElseThrow();
            assertEquals(unbinder.instanceId(), held.leaseOwner().orElse("none"),
                    "the deferred case, on no thread now, is still leased to the instance whose worker holds it: "
                            + held);
            for (int second = 0; second < 60 && !waitsForInput(unbinder, id); second++) {
                int before = calls.get();
                merchant.clock.advance(Duration.ofMillis(1_100)); // past the wake time, when every token is back
                awaitTrue(() -> calls.get() > before || waitsForInput(unbinder, id));
            }
            assertTrue(waitsForInput(unbinder, id), unbinder.find(id).orElseThrow().toString());
            assertEquals(1, worker.stats().casesClaimed(), "claimed once, however often its calls were deferred ("
                    + unbinder.providerLimitStats(SandboxProvider.ID) + "): " + worker.stats());
        }
        unbinder.close();
    }

    @Test
    void aCancelOnACaseHeldForItsLimitIsNotRefusedAndTheWorkerDoesNotGoOnWithItsOldCopy() {
        MerchantCase merchant = new MerchantCase();
        AtomicInteger calls = new AtomicInteger();
        InMemoryCaseStore store = new InMemoryCaseStore();
        Unbinder unbinder = merchant.builderOn(store, threeCallsASecond(merchant, calls).provider).build();
        CaseId id = unbinder.open(deviceOnly(), WaitPolicy.none()).id();

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(2)
                .pollInterval(Duration.ofMillis(10)).build()).start()) {
            awaitTrue(() -> unbinder.providerLimitStats(SandboxProvider.ID).callsDeferred() >= 1
                    && worker.running() == 0); // deferred, and on no thread: held
            int callsBeforeCancel = calls.get();

            CaseSnapshot cancelled = unbinder.cancel(id, Actor.merchant("store-manager"), "store stays open");

            assertEquals(CaseState.CANCELLED, cancelled.state(), cancelled.toString());
            for (int second = 0; second < 3; second++) {
                merchant.clock.advance(Duration.ofSeconds(1));
                worker.runDueWorkOnce(); // the worker's own thread passes the old wake time too
            }
            assertEquals(callsBeforeCancel, calls.get(), "no read of the cancelled case after the cancel");
            assertEquals(CaseState.CANCELLED, unbinder.find(id).orElseThrow().state());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(store.load(id.value()).orElseThrow().leaseOwner().isEmpty(), "no lease left behind");
        unbinder.close();
    }

    @Test
    void aWorkerThatClosesGivesTheCasesItHoldsBackToTheStoreForAnyWorker() {
        MerchantCase merchant = new MerchantCase();
        AtomicInteger calls = new AtomicInteger();
        InMemoryCaseStore store = new InMemoryCaseStore();
        Unbinder unbinder = merchant.builderOn(store, threeCallsASecond(merchant, calls).provider).build();
        CaseId id = unbinder.open(deviceOnly(), WaitPolicy.none()).id();
        UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(2)
                .pollInterval(Duration.ofMillis(10)).build()).start();
        awaitTrue(() -> unbinder.providerLimitStats(SandboxProvider.ID).callsDeferred() >= 1
                && worker.running() == 0);

        worker.close();

        CaseRecord given = store.load(id.value()).orElseThrow();
        assertTrue(given.leaseOwner().isEmpty(), "its lease is given back: " + given);
        assertTrue(given.wakeAt().filter(wake -> wake.isAfter(merchant.clock.instant())).isPresent(),
                "due when the limit lets its read through, not at once: " + given);
        for (int second = 0; second < 60 && !waitsForInput(unbinder, id); second++) {
            merchant.clock.advance(Duration.ofSeconds(1));
            unbinder.runDueWork();
        }
        assertTrue(waitsForInput(unbinder, id), "another worker (here runDueWork) goes on with it: "
                + unbinder.find(id).orElseThrow());
        unbinder.close();
    }

    /** The sandbox declaring three calls a second, counting the adapter calls that reach it. */
    private static InterceptedProvider threeCallsASecond(MerchantCase merchant, AtomicInteger calls) {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        return new InterceptedProvider(new SandboxProvider(merchant.sandbox), (name, args, proceed) -> {
            if (name.equals("PaymentProvider.callLimits")) {
                return ProviderLimits.perSecond(3);
            }
            if (!name.startsWith("PaymentProvider.") && !name.startsWith("CallbackParser.")) {
                calls.incrementAndGet();
            }
            return proceed.call();
        });
    }

    private static UnbindRequest deviceOnly() {
        return MerchantCase.request().terminalSerial(SandboxDemoData.TERMINAL_SERIAL).scope(BindingKind.DEVICE)
                .documents(allDocuments()).build();
    }

    /** Whether the case got past every deferral to a wait for someone (or its end). */
    private static boolean waitsForInput(Unbinder unbinder, CaseId id) {
        CaseSnapshot snapshot = unbinder.find(id).orElseThrow();
        return !snapshot.state().isOpen() || snapshot.state() == CaseState.WAITING
                && snapshot.waitingFor().filter(reason -> reason != WaitReason.RETRY).isPresent();
    }

    /** Waits for the worker's thread; the bound only ends a hang. */
    private static void awaitTrue(BooleanSupplier condition) {
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > bound) {
                throw new AssertionError("the worker did not get there");
            }
            Thread.onSpinWait();
        }
    }
}
