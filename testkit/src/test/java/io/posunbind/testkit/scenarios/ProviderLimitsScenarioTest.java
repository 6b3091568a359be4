package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.ProviderLimitStats;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.UnbindRequest;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.WorkerOptions;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Provider limits (issue 12, point 3): an acquirer that allows 5 calls a second and 2 at once is never
 * called faster, however many worker threads run its cases; its 429 holds back every case at that
 * acquirer until the Retry-After, but no other acquirer. Time is the merchant's hand-moved clock; every
 * wait on another thread is on a latch, whose timeout only bounds a hang.
 */
class ProviderLimitsScenarioTest {

    private static final long GENEROUS_SECONDS = 60;
    private static final String READ_TERMINAL = "DeviceUnbindAdapter.readTerminal";
    private static final String DISABLE_TERMINAL = "DeviceUnbindAdapter.disableTerminal";

    @Test
    void anAcquirerAllowingFiveCallsASecondAndTwoAtOnceIsNeverCalledFasterByAManyThreadedWorker() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CountingProvider counting = new CountingProvider(merchant, ProviderLimits.of(5, 2));
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), counting.provider.provider).build();
        List<CaseId> cases = openDeviceCases(merchant, unbinder, 12);

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(6).batchSize(12).build())) {
            for (int round = 0; round < 2_000 && !allTookInventory(unbinder, cases); round++) {
                worker.runDueWorkOnce(); // up to 12 cases at once on 6 threads
                merchant.clock.advance(Duration.ofMillis(100));
            }
        }

        assertTrue(allTookInventory(unbinder, cases), () -> "every case took its inventory in the end: "
                + cases.stream().map(id -> unbinder.find(id).orElseThrow().toString()).toList() + counting.perSecond
                + unbinder.providerLimitStats(SandboxProvider.ID));
        assertTrue(counting.perSecond.values().stream().allMatch(calls -> calls <= 5), counting.perSecond.toString());
        // A step's reads in a row are kept together (three here), so a window of five holds one step's three
        // and maybe two single calls: the limit is used, not only kept.
        assertTrue(counting.perSecond.values().stream().mapToInt(Integer::intValue).max().orElseThrow() >= 3,
                "the limit is used, not only kept: " + counting.perSecond);
        assertTrue(counting.maxOpen.get() <= 2, "at most 2 calls open at once: " + counting.maxOpen);
        ProviderLimitStats stats = unbinder.providerLimitStats(SandboxProvider.ID);
        assertEquals(ProviderLimits.of(5, 2), stats.limits(), "as the provider declared");
        assertTrue(stats.callsDeferred() > 0, stats.toString());
        assertEquals(counting.total.get(), stats.callsPermitted(), "every call that reached the acquirer had a permit");
        unbinder.close();
    }

    @Test
    void noMoreThanTwoCallsAreOpenAtOnceWhileOtherCasesWaitWithoutHoldingAWorkerThread() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CountDownLatch twoOpen = new CountDownLatch(2);
        CountDownLatch acquirerAnswers = new CountDownLatch(1);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("PaymentProvider.callLimits")) {
                        return ProviderLimits.of(ProviderLimits.UNLIMITED, 2);
                    }
                    if (!name.equals(READ_TERMINAL)) {
                        return proceed.call();
                    }
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    try {
                        twoOpen.countDown();
                        assertTrue(acquirerAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                        return proceed.call();
                    } finally {
                        open.decrementAndGet();
                    }
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        List<CaseId> cases = openDeviceCases(merchant, unbinder, 5);

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(5).batchSize(5).build())) {
            CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(() -> {
                try {
                    return worker.runDueWorkOnce();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(twoOpen.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
            // The three other cases found no permit: each was rescheduled and gave its thread back at once,
            // while the two calls are still open.
            while (unbinder.providerLimitStats(SandboxProvider.ID).callsDeferred() < 3 && !batch.isDone()) {
                Thread.onSpinWait();
            }
            assertEquals(3, unbinder.providerLimitStats(SandboxProvider.ID).callsDeferred());
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS); // bounds a hang only
            while (worker.running() > 2 && System.nanoTime() < bound) {
                Thread.onSpinWait(); // the deferred cases store their wake time and give their thread back
            }
            assertEquals(2, worker.running(), "only the two cases in a call still hold a thread");
            acquirerAnswers.countDown();
            batch.get(GENEROUS_SECONDS, TimeUnit.SECONDS);

            for (int round = 0; round < 100 && !allTookInventory(unbinder, cases); round++) {
                merchant.clock.advance(Duration.ofMillis(100));
                worker.runDueWorkOnce();
            }
        }
        assertTrue(allTookInventory(unbinder, cases), "the deferred cases ran later");
        assertEquals(2, maxOpen.get(), "never more than two calls open");
        unbinder.close();
    }

    @Test
    void aRateLimitedAnswerHoldsBackOtherCasesAtThatAcquirerUntilItsRetryAfterButNotAnotherAcquirer() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.addTerminal("0820000002", "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        merchant.sandbox.addTerminal("0820000003", "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        boolean[] answered429 = {false};
        List<String> callsAfter429 = new ArrayList<>();
        InterceptedProvider acquirer = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(DISABLE_TERMINAL) && !answered429[0]) {
                        answered429[0] = true; // nothing done: "429 Too Many Requests, Retry-After: 30"
                        return OperationOutcome.rateLimited("429", "too many requests", Duration.ofSeconds(30));
                    }
                    if (answered429[0] && !name.startsWith("PaymentProvider.")) {
                        callsAfter429.add(name + "@" + merchant.clock.instant());
                    }
                    return proceed.call();
                });
        InterceptedProvider otherAcquirer = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> name.equals("PaymentProvider.id") ? "other-acquirer" : proceed.call());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), acquirer.provider)
                .provider(otherAcquirer.provider).build();
        merchant.unbinder = unbinder;

        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot told = merchant.agreeToFees(opened);
        assertTrue(told.isWaitingFor(WaitReason.RETRY), told.toString());

        // Another case at the same acquirer makes no call before the Retry-After has passed.
        CaseSnapshot heldBack = unbinder.open(deviceOnly("0820000002"));
        assertEquals(CaseState.WAITING, heldBack.state(), heldBack.toString());
        assertEquals(StepStatus.WAITING, heldBack.steps(StepKind.TAKE_INVENTORY).get(0).status());
        assertEquals(List.of(), callsAfter429);
        // A case at another acquirer goes on as usual.
        CaseSnapshot elsewhere = unbinder.open(MerchantCase.request().provider("other-acquirer")
                .terminalSerial("0820000003").scope(BindingKind.DEVICE).documents(allDocuments()).build());
        assertEquals(StepStatus.DONE, elsewhere.steps(StepKind.TAKE_INVENTORY).get(0).status(), elsewhere.toString());
        ProviderLimitStats stats = unbinder.providerLimitStats(SandboxProvider.ID);
        assertEquals(1, stats.pausesFromRetryAfter());
        assertEquals(merchant.clock.instant().plusSeconds(30), stats.pausedUntil().orElseThrow());
        assertTrue(stats.deferredByPause() >= 1, stats.toString());
        assertEquals(0, unbinder.providerLimitStats("other-acquirer").callsDeferred());

        merchant.clock.advance(Duration.ofSeconds(29));
        unbinder.runDueWork();
        assertEquals(List.of(), callsAfter429, "still paused a second before the Retry-After");

        merchant.clock.advance(Duration.ofSeconds(1));
        unbinder.runDueWork();
        assertFalse(callsAfter429.isEmpty());
        assertTrue(callsAfter429.stream().allMatch(call -> call.endsWith("@" + merchant.clock.instant())),
                callsAfter429.toString());
        assertEquals(StepStatus.DONE, unbinder.find(heldBack.id()).orElseThrow().steps(StepKind.TAKE_INVENTORY).get(0)
                .status());
        assertEquals(2, acquirer.count(DISABLE_TERMINAL), "the refused disable was sent once more, after the pause");
        unbinder.close();
    }

    @Test
    void theApplicationsLimitsForAMerchantAccountWinOverWhatTheAcquirerDeclares() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CountingProvider counting = new CountingProvider(merchant, ProviderLimits.of(50, 10));
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), counting.provider.provider)
                .providerLimits(SandboxProvider.ID, ProviderLimits.perSecond(3)).build();
        List<CaseId> cases = openDeviceCases(merchant, unbinder, 6);

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(6).batchSize(6).build())) {
            for (int round = 0; round < 2_000 && !allTookInventory(unbinder, cases); round++) {
                worker.runDueWorkOnce();
                merchant.clock.advance(Duration.ofMillis(100));
            }
        }
        assertTrue(allTookInventory(unbinder, cases));
        // The declared 50 a second would have let every case through in the first second.
        assertTrue(counting.perSecond.values().stream().allMatch(calls -> calls <= 3), counting.perSecond.toString());
        assertTrue(counting.perSecond.size() > 1, "spread over seconds: " + counting.perSecond);
        assertEquals(ProviderLimits.perSecond(3), unbinder.providerLimitStats(SandboxProvider.ID).limits());
        unbinder.close();
    }

    @Test
    void anAcquirerWithoutLimitsIsCalledAsBeforeWithNothingDeferred() {
        MerchantCase merchant = new MerchantCase();
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT), opened.toString());
        ProviderLimitStats stats = unbinder.providerLimitStats(SandboxProvider.ID);
        assertTrue(stats.limits().isUnlimited());
        assertTrue(stats.callsPermitted() > 0);
        assertEquals(0, stats.callsDeferred());
        unbinder.close();
    }

    /** The sandbox declaring {@code limits}, counting the calls that reach it per clock second and open at once. */
    private static final class CountingProvider {
        final Map<Long, Integer> perSecond = new ConcurrentHashMap<>();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger total = new AtomicInteger();
        final InterceptedProvider provider;

        CountingProvider(MerchantCase merchant, ProviderLimits limits) {
            provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox), (name, args, proceed) -> {
                if (name.equals("PaymentProvider.callLimits")) {
                    return limits;
                }
                if (name.startsWith("PaymentProvider.") || name.startsWith("CallbackParser.")) {
                    return proceed.call();
                }
                total.incrementAndGet();
                perSecond.merge(merchant.clock.instant().getEpochSecond(), 1, Integer::sum);
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                    return proceed.call();
                } finally {
                    open.decrementAndGet();
                }
            });
        }
    }

    /** {@code count} device-only cases at the sandbox, recorded for workers (no call made yet). */
    private static List<CaseId> openDeviceCases(MerchantCase merchant, Unbinder unbinder, int count) {
        List<CaseId> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String serial = i == 0 ? SandboxDemoData.TERMINAL_SERIAL : String.format("08200001%02d", i);
            if (i > 0) {
                merchant.sandbox.addTerminal(serial, "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
            }
            cases.add(unbinder.open(deviceOnly(serial), WaitPolicy.none()).id());
        }
        return cases;
    }

    private static boolean allTookInventory(Unbinder unbinder, List<CaseId> cases) {
        return cases.stream().allMatch(id -> unbinder.find(id).orElseThrow().steps(StepKind.TAKE_INVENTORY).get(0)
                .status() == StepStatus.DONE);
    }

    private static UnbindRequest deviceOnly(String serial) {
        return MerchantCase.request().terminalSerial(serial).scope(BindingKind.DEVICE).documents(allDocuments())
                .build();
    }
}
