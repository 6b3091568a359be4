package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.UnbindRequest;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.WorkerOptions;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands record, workers run (issue 12, point 1): a command stores its change and returns; an
 * {@link UnbindWorker} runs the case's steps on its own threads, under the case's lease only. Every wait
 * below is on a latch the fake provider controls; the timeouts only bound a hang.
 */
class CommandsRecordWorkersRunScenarioTest {

    /**
     * The callers' threads. Not the common pool: on two cores it has one thread (JDK 25 runs async tasks
     * on it where JDK 17 started a thread per task), and a blocked caller there starves the next one.
     */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /** Far above what the test needs: it bounds a hang, it is not a timing assertion. */
    private static final long GENEROUS_SECONDS = 60;

    private static final String READ_TERMINAL = "DeviceUnbindAdapter.readTerminal";

    @Test
    void anOpeningReturnsBeforeTheSlowProviderCallItLeadsToAndTheWorkerMakesThatCall() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CountDownLatch inProviderCall = new CountDownLatch(1);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        Set<String> callingThreads = ConcurrentHashMap.newKeySet();
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(READ_TERMINAL)) {
                        callingThreads.add(Thread.currentThread().getName());
                        inProviderCall.countDown();
                        assertTrue(providerAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                    }
                    return proceed.call();
                });
        CountDownLatch waitsForFees = new CountDownLatch(1);
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).instanceId("front-end")
                .commandWait(WaitPolicy.none())
                .listener(event -> {
                    if (event instanceof UnbindEvent.CaseWaiting waiting && waiting.reason() == WaitReason.FEE_CONSENT) {
                        waitsForFees.countDown();
                    }
                }).build();

        // The request thread: the case is stored and due, and no provider was called on this thread.
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertEquals(CaseState.RUNNING, opened.state());
        assertTrue(opened.steps().stream().allMatch(step -> step.status() == StepStatus.PLANNED), opened.toString());
        assertFalse(provider.calls.contains(READ_TERMINAL), "no provider call before the command returned");

        // A worker takes the case and makes the slow call on its own thread.
        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(1).build()).start()) {
            assertTrue(inProviderCall.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, callingThreads.size());
            assertTrue(callingThreads.iterator().next().startsWith("posunbind-worker-front-end"), callingThreads
                    .toString());
            providerAnswers.countDown();
            assertTrue(waitsForFees.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
        }
        CaseSnapshot waiting = unbinder.find(opened.id()).orElseThrow();
        assertTrue(waiting.isWaitingFor(WaitReason.FEE_CONSENT), waiting.toString());
        // The worker delivered each event once, though the command and the worker both touched the case.
        assertEquals(1, merchant.events.stream().filter(event -> event instanceof UnbindEvent.StepStarted started
                && started.step() == StepKind.TAKE_INVENTORY).count(), merchant.events.toString());
        unbinder.close();
    }

    @Test
    void aCommandOnACaseAWorkerOfThisInstanceIsRunningIsToldItIsBusyAndNeverWaitsForTheProvider() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CountDownLatch inProviderCall = new CountDownLatch(1);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(READ_TERMINAL)) {
                        inProviderCall.countDown();
                        assertTrue(providerAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build(), WaitPolicy.none());
        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.defaults()).start()) {
            assertTrue(inProviderCall.await(GENEROUS_SECONDS, TimeUnit.SECONDS));

            PosUnbindException busy = assertThrows(PosUnbindException.class,
                    () -> unbinder.cancel(opened.id(), MerchantCase.OPERATOR, "changed our mind"));
            assertEquals(CoreErrorCode.CASE_BUSY, busy.errorCode());
            assertTrue(busy.retryable(), "the caller may send it again shortly");
            providerAnswers.countDown();
        }
        CaseSnapshot cancelled = unbinder.cancel(opened.id(), MerchantCase.OPERATOR, "changed our mind");
        assertEquals(CaseState.CANCELLED, cancelled.state(), cancelled.toString());
        unbinder.close();
    }

    @Test
    void aCallerWhoWantsTheCaseAtItsNextWaitWaitsForTheWorkerUpToItsTimeout() throws Exception {
        MerchantCase merchant = new MerchantCase();
        Set<String> callingThreads = ConcurrentHashMap.newKeySet();
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(READ_TERMINAL)) {
                        callingThreads.add(Thread.currentThread().getName());
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).instanceId("patient")
                .build();
        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(2).build()).start()) {
            CaseSnapshot atItsWait = unbinder.open(fullReplacement().documents(allDocuments()).build(),
                    WaitPolicy.upTo(Duration.ofSeconds(GENEROUS_SECONDS)));

            assertTrue(atItsWait.isWaitingFor(WaitReason.FEE_CONSENT), atItsWait.toString());
            assertEquals(StepStatus.DONE, atItsWait.steps(StepKind.TAKE_INVENTORY).get(0).status());
            assertTrue(callingThreads.stream().allMatch(thread -> thread.startsWith("posunbind-worker-patient")),
                    "the worker ran the steps, not the caller: " + callingThreads);
        }
        unbinder.close();
    }

    @Test
    void twoCasesThatSharedALockStripeNoLongerWaitOnEachOthersProviderCall() throws Exception {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.addTerminal("0820000002", "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        CountDownLatch slowCallStarted = new CountDownLatch(1);
        CountDownLatch slowCallAnswers = new CountDownLatch(1);
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(READ_TERMINAL) && SandboxDemoData.TERMINAL_SERIAL.equals(args[0])) {
                        slowCallStarted.countDown();
                        assertTrue(slowCallAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        // Two ids on the same one of the 256 stripes the engine used to lock while a case ran.
        List<CaseId> sameStripe = idsOnOneStripe();

        CompletableFuture<CaseSnapshot> slow = CompletableFuture.supplyAsync(() -> unbinder.open(sameStripe.get(0),
                deviceOnly(SandboxDemoData.TERMINAL_SERIAL)), callers);
        assertTrue(slowCallStarted.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
        CaseSnapshot other = CompletableFuture.supplyAsync(() -> unbinder.open(sameStripe.get(1),
                deviceOnly("0820000002")), callers).get(GENEROUS_SECONDS, TimeUnit.SECONDS);

        // The other case ran to where it stops while the first one's provider call was still open.
        assertEquals(StepStatus.DONE, other.steps(StepKind.TAKE_INVENTORY).get(0).status(), other.toString());
        assertFalse(slow.isDone(), "the first case is still in its provider call");
        slowCallAnswers.countDown();
        assertEquals(StepStatus.DONE, slow.get(GENEROUS_SECONDS, TimeUnit.SECONDS).steps(StepKind.TAKE_INVENTORY)
                .get(0).status());
        unbinder.close();
    }

    @Test
    void closingAWorkerGivesBackTheLeasesOfUnfinishedCasesSoAnotherWorkerTakesThem() throws Exception {
        MerchantCase merchant = new MerchantCase();
        InMemoryCaseStore store = new InMemoryCaseStore();
        CountDownLatch inProviderCall = new CountDownLatch(1);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(READ_TERMINAL)) {
                        inProviderCall.countDown();
                        assertTrue(providerAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                    }
                    return proceed.call();
                });
        Unbinder first = merchant.builderOn(store, provider.provider).instanceId("first").build();
        CaseSnapshot opened = first.open(fullReplacement().documents(allDocuments()).build(), WaitPolicy.none());
        UnbindWorker leaving = first.newWorker(WorkerOptions.builder().threads(1)
                .shutdownDeadline(Duration.ofSeconds(GENEROUS_SECONDS)).build()).start();
        assertTrue(inProviderCall.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, leaving.running());

        // The worker is closed while its case is in a provider call: it waits for the step, stores it,
        // and gives the case back instead of running its next step.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(leaving::close, callers);
        // The provider answers only once the close has begun; answering earlier lets the case run on, rightly.
        awaitClosing(leaving);
        providerAnswers.countDown();
        closing.get(GENEROUS_SECONDS, TimeUnit.SECONDS);

        CaseRecord stored = store.load(opened.id().value()).orElseThrow();
        assertTrue(stored.leaseOwner().isEmpty(), "the lease was given back: " + stored);
        assertTrue(stored.open() && stored.wakeAt().filter(at -> !at.isAfter(merchant.clock.instant())).isPresent(),
                "the case is due for any worker: " + stored);
        CaseSnapshot leftBehind = first.find(opened.id()).orElseThrow();
        assertEquals(StepStatus.DONE, leftBehind.steps(StepKind.TAKE_INVENTORY).get(0).status());
        assertEquals(StepStatus.PLANNED, leftBehind.steps(StepKind.CHECK_DOCUMENTS).get(0).status(),
                "no step after the one running at the close: " + leftBehind);

        // Another instance's worker takes the case over and runs it on to its wait.
        Unbinder second = merchant.builderOn(store, provider.provider).instanceId("second").build();
        try (UnbindWorker taking = second.newWorker(WorkerOptions.builder().threads(1).build())) {
            assertEquals(1, taking.runDueWorkOnce());
        }
        CaseSnapshot taken = second.find(opened.id()).orElseThrow();
        assertTrue(taken.isWaitingFor(WaitReason.FEE_CONSENT), taken.toString());
        assertEquals(1, provider.calls.stream().filter(READ_TERMINAL::equals).count(), "the inventory was not taken"
                + " twice");
        first.close();
        second.close();
    }

    @Test
    void aWorkerWithThreeThreadsRunsThreeCasesAtOnce() throws Exception {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.addTerminal("0820000002", "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        merchant.sandbox.addTerminal("0820000003", "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        CountDownLatch allThreeInside = new CountDownLatch(3);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals(READ_TERMINAL)) {
                        allThreeInside.countDown();
                        assertTrue(providerAnswers.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider)
                .commandWait(WaitPolicy.none()).build();
        List<CaseSnapshot> opened = List.of(unbinder.open(deviceOnly(SandboxDemoData.TERMINAL_SERIAL)),
                unbinder.open(deviceOnly("0820000002")), unbinder.open(deviceOnly("0820000003")));

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(3)
                .shutdownDeadline(Duration.ofSeconds(GENEROUS_SECONDS)).build())) {
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return worker.runDueWorkOnce();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, callers);
            // All three cases are inside their provider call at the same moment: three at once.
            assertTrue(allThreeInside.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
            assertEquals(3, worker.running());
            providerAnswers.countDown();
            assertEquals(3, run.get(GENEROUS_SECONDS, TimeUnit.SECONDS));
        }
        for (CaseSnapshot one : opened) {
            CaseSnapshot now = unbinder.find(one.id()).orElseThrow();
            assertEquals(StepStatus.DONE, now.steps(StepKind.TAKE_INVENTORY).get(0).status(), now.toString());
        }
        unbinder.close();
    }

    @Test
    void onTheEmbeddedDatabaseEachCommandIsRecordedAndAWorkerRunsTheCaseOnToItsNextWait(@TempDir Path folder)
            throws Exception {
        MerchantCase merchant = new MerchantCase();
        try (JdbcCaseStore store = JdbcCaseStore.h2File(folder.resolve("cases"))) {
            Unbinder unbinder = merchant.builderOn(store).commandWait(WaitPolicy.none()).build();
            CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
            assertEquals(CaseState.RUNNING, opened.state());
            assertEquals(List.of(opened.id().value()), store.findDue(merchant.clock.instant(), 10), "due for a worker");

            UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(2).build());
            assertEquals(1, worker.runDueWorkOnce());
            CaseSnapshot waiting = unbinder.find(opened.id()).orElseThrow();
            assertTrue(waiting.isWaitingFor(WaitReason.FEE_CONSENT), waiting.toString());

            var quote = waiting.feeQuote().orElseThrow();
            CaseSnapshot consented = unbinder.consentToFees(opened.id(), new FeeConsent(quote.quoteId(), quote.total(),
                    MerchantCase.MERCHANT, merchant.clock.instant()));
            assertEquals(waiting.version() + 1, consented.version(), "the consent is one write");
            assertTrue(consented.isWaitingFor(WaitReason.FEE_CONSENT), "nothing ran yet: " + consented);
            assertEquals(List.of(opened.id().value()), store.findDue(merchant.clock.instant(), 10));

            assertEquals(1, worker.runDueWorkOnce());
            CaseSnapshot applied = unbinder.find(opened.id()).orElseThrow();
            assertTrue(applied.isWaitingFor(WaitReason.INSTITUTION_DECISION), applied.toString());
            assertTrue(store.load(opened.id().value()).orElseThrow().leaseOwner().isEmpty(), "no lease kept");
            unbinder.close();
            assertEquals(0, worker.runDueWorkOnce(), "closing the unbinder closed its worker");
        }
    }

    /**
     * One caller of a service whose commands run inline chooses another wait for its own calls
     * ({@code unbinder.commands(WaitPolicy.none())}, a webhook endpoint that must answer at once): its consent is
     * recorded and returned without running anything, and the next inline command of the service runs as before.
     */
    @Test
    void oneCallerChoosesItsOwnWaitWithoutChangingTheOthers() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> proceed.call());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        CaseSnapshot waiting = unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(waiting.isWaitingFor(WaitReason.FEE_CONSENT), "the default still runs inline: " + waiting);
        var quote = waiting.feeQuote().orElseThrow();
        int callsBefore = provider.calls.size();

        CaseSnapshot recorded = unbinder.commands(WaitPolicy.none()).consentToFees(waiting.id(), new FeeConsent(
                quote.quoteId(), quote.total(), MerchantCase.MERCHANT, merchant.clock.instant()));

        assertEquals(waiting.version() + 1, recorded.version(), "the consent alone was written");
        assertEquals(callsBefore, provider.calls.size(), "no provider call on the caller's thread");
        CaseSnapshot ranInline = unbinder.advance(waiting.id());
        assertTrue(ranInline.isWaitingFor(WaitReason.INSTITUTION_DECISION), "the next inline command ran the case, as"
                + " the builder says: " + ranInline);
        assertTrue(provider.calls.size() > callsBefore);
        unbinder.close();
    }

    /**
     * {@code advance} runs on the caller's thread whatever the commands' wait, as documented: a service whose
     * commands only record can still drive a case itself, and so can one caller's record-only commands.
     */
    @Test
    void advanceRunsOnTheCallersThreadWhateverTheCommandsWait() {
        MerchantCase merchant = new MerchantCase();
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).commandWait(WaitPolicy.none()).build();
        CaseSnapshot recorded = unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertEquals(CaseState.RUNNING, recorded.state(), "the opening only recorded");

        CaseSnapshot advanced = unbinder.commands(WaitPolicy.none()).advance(recorded.id());

        assertTrue(advanced.isWaitingFor(WaitReason.FEE_CONSENT), advanced.toString());
        unbinder.close();
    }

    private static UnbindRequest deviceOnly(String serial) {
        return MerchantCase.request().terminalSerial(serial).scope(BindingKind.DEVICE).documents(allDocuments())
                .build();
    }

    /** Two case ids whose hash falls on the same of 256 stripes, as the engine's old lock striping chose them. */
    private static List<CaseId> idsOnOneStripe() {
        String first = "stripe-case-0";
        int stripe = Math.floorMod(first.hashCode(), 256);
        for (int i = 1; ; i++) {
            String candidate = "stripe-case-" + i;
            if (Math.floorMod(candidate.hashCode(), 256) == stripe) {
                return List.of(CaseId.of(first), CaseId.of(candidate));
            }
        }
    }

    /** Waits until the worker's close has begun, bounded: the close runs on another thread. */
    private static void awaitClosing(UnbindWorker worker) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS);
        while (!worker.closing()) {
            assertTrue(System.nanoTime() < deadline, "the close never began");
            Thread.onSpinWait();
        }
    }
}
