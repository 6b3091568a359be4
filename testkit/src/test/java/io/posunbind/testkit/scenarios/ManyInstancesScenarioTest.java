package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several engine instances share one store: leases keep them from working on one case at once. */
class ManyInstancesScenarioTest {

    private static Unbinder instance(MerchantCase merchant, CaseStore store, String id, PaymentProvider provider,
            List<UnbindEvent> events) {
        return Unbinder.builder().store(store).clock(merchant.clock).provider(provider).withoutDiscovery()
                .pollInterval(MerchantCase.POLL).instanceId(id).leaseDuration(Duration.ofSeconds(30))
                .listener(events::add).build();
    }

    @Test
    void aStaleWriterAfterALostLeaseChangesNothing() throws Exception {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.setFees(io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER, List.of());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PaymentProvider slow = new SlowDisableProvider(new SandboxProvider(merchant.sandbox), entered, release);
        CaseStore store = new InMemoryCaseStore();
        List<UnbindEvent> eventsOfA = Collections.synchronizedList(new ArrayList<>());
        List<UnbindEvent> eventsOfB = Collections.synchronizedList(new ArrayList<>());
        Unbinder a = instance(merchant, store, "instance-a", slow, eventsOfA);
        Unbinder b = instance(merchant, store, "instance-b", new SandboxProvider(merchant.sandbox), eventsOfB);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CaseId id = CaseId.of("stale-writer");
            Future<CaseSnapshot> first = thread.submit(
                    () -> a.open(id, fullReplacement().documents(allDocuments()).build()));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "instance A reaches the slow provider call");

            // A hangs inside the provider call past its lease: B takes the case over and finishes it.
            merchant.clock.advance(Duration.ofSeconds(31));
            assertEquals(1, b.runDueWork());
            CaseSnapshot done = b.find(id).orElseThrow();
            assertEquals(CaseState.COMPLETED, done.state(), done.toString());

            // A's call finally returns (the provider replays B's answer for the same key); A's write is refused.
            release.countDown();
            var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> first.get(10, TimeUnit.SECONDS));
            assertEquals(CoreErrorCode.STALE_CASE_VERSION, ((PosUnbindException) failure.getCause()).errorCode());
            assertEquals(CaseState.COMPLETED, b.find(id).orElseThrow().state());
            assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
            assertTrue(merchant.sandbox.requests().effects().stream().collect(java.util.stream.Collectors.groupingBy(
                    effect -> effect.idempotencyKey(), java.util.stream.Collectors.counting())).values().stream()
                    .allMatch(count -> count == 1));
        } finally {
            release.countDown();
            thread.shutdownNow();
            a.close();
            b.close();
        }
    }

    @Test
    void twoInstancesRacingOnOneCaseDoNotBothAdvanceIt() throws Exception {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        CaseStore store = new InMemoryCaseStore();
        List<UnbindEvent> events = Collections.synchronizedList(new ArrayList<>());
        Unbinder a = instance(merchant, store, "instance-a", new SandboxProvider(merchant.sandbox), events);
        Unbinder b = instance(merchant, store, "instance-b", new SandboxProvider(merchant.sandbox), events);
        CaseSnapshot opened = a.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT));
        var quote = opened.feeQuote().orElseThrow();
        FeeConsent consent = new FeeConsent(quote.quoteId(), quote.total(), MerchantCase.MERCHANT,
                merchant.clock.instant());

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            for (Unbinder instance : List.of(a, b)) {
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return instance.consentToFees(opened.id(), consent).state().name();
                    } catch (PosUnbindException e) {
                        return e.errorCode().code();
                    } catch (Exception e) {
                        return e.toString();
                    }
                }, threads));
            }
            List<String> results = outcomes.stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(1, results.stream().filter("COMPLETED"::equals).count(), results.toString());
            assertTrue(results.stream().allMatch(r -> r.equals("COMPLETED") || r.equals("UNB-CASE-BUSY")
                    || r.equals("UNB-STALE-VERSION") || r.equals("UNB-COMMAND-NOT-EXPECTED")), results.toString());
            assertTrue(merchant.sandbox.requests().effects().stream().collect(java.util.stream.Collectors.groupingBy(
                    effect -> effect.idempotencyKey(), java.util.stream.Collectors.counting())).values().stream()
                    .allMatch(count -> count == 1));
            // Every step finished exactly once, whichever instance ran it.
            long finishedSteps = events.stream().filter(UnbindEvent.StepFinished.class::isInstance).count();
            assertEquals(a.find(opened.id()).orElseThrow().steps().size(), finishedSteps);
        } finally {
            threads.shutdownNow();
            a.close();
            b.close();
        }
    }

    @Test
    void eventsStoredByAnInstanceThatDiedAreDeliveredByAnother() {
        MerchantCase merchant = new MerchantCase();
        InMemoryCaseStore memory = new InMemoryCaseStore();
        // Dies right after the write that stores the case waiting for fee consent, before delivering.
        CaseStore dying = new DyingStore(memory);
        List<UnbindEvent> eventsOfA = Collections.synchronizedList(new ArrayList<>());
        List<UnbindEvent> eventsOfB = Collections.synchronizedList(new ArrayList<>());
        Unbinder a = instance(merchant, dying, "instance-a", new SandboxProvider(merchant.sandbox), eventsOfA);
        Unbinder b = instance(merchant, memory, "instance-b", new SandboxProvider(merchant.sandbox), eventsOfB);
        CaseId id = CaseId.of("dies-after-commit");

        org.junit.jupiter.api.Assertions.assertThrows(ProcessDied.class,
                () -> a.open(id, fullReplacement().documents(allDocuments()).build()));
        assertTrue(eventsOfA.stream().noneMatch(UnbindEvent.CaseWaiting.class::isInstance));
        CaseRecord stored = memory.load(id.value()).orElseThrow();
        assertTrue(stored.eventsPending());

        merchant.clock.advance(Duration.ofSeconds(31));
        b.runDueWork();

        UnbindEvent.CaseWaiting redelivered = eventsOfB.stream().filter(UnbindEvent.CaseWaiting.class::isInstance)
                .map(UnbindEvent.CaseWaiting.class::cast).findFirst().orElseThrow();
        assertEquals(WaitReason.FEE_CONSENT, redelivered.reason());
        long lastSeenByA = eventsOfA.stream().mapToLong(UnbindEvent::sequence).max().orElse(0);
        assertTrue(redelivered.sequence() > lastSeenByA);
        assertTrue(!memory.load(id.value()).orElseThrow().eventsPending());
        a.close();
        b.close();
    }

    /**
     * The process dying, as kill -9 would: an {@link Error}, so that nothing in posunbind takes it for a
     * failure of its own or of the store and acts on it; nothing after it runs.
     */
    private static final class ProcessDied extends Error {
        private static final long serialVersionUID = 1L;

        ProcessDied() {
            super("the process died after this commit");
        }
    }

    /** A store whose process "dies" right after a write that leaves the case waiting for consent. */
    private static final class DyingStore implements CaseStore {
        private final CaseStore delegate;

        DyingStore(CaseStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void insert(CaseRecord record) {
            delegate.insert(record);
        }

        @Override
        public Optional<CaseRecord> load(String caseId) {
            return delegate.load(caseId);
        }

        @Override
        public void update(CaseRecord record, long expectedVersion) {
            delegate.update(record, expectedVersion);
            if (record.state().equals("WAITING") && record.eventsPending()) {
                throw new ProcessDied();
            }
        }

        @Override
        public List<String> findDue(java.time.Instant now, int limit) {
            return delegate.findDue(now, limit);
        }

        @Override
        public boolean renewLease(String caseId, String owner, java.time.Instant until) {
            return delegate.renewLease(caseId, owner, until);
        }

        @Override
        public List<CaseRecord> findCases(io.posunbind.store.CaseFilter filter) {
            return delegate.findCases(filter);
        }

        @Override
        public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
            return delegate.findOpenCaseIds(providerId, terminalSerial);
        }

        @Override
        public List<String> findByProviderReference(String providerId, String reference) {
            return delegate.findByProviderReference(providerId, reference);
        }

        @Override
        public Optional<io.posunbind.keys.DataKeyProvider> defaultDataKeys() {
            return delegate.defaultDataKeys();
        }
    }

    /** The sandbox, except that disabling a terminal hangs until the test lets it go on. */
    private static final class SlowDisableProvider implements PaymentProvider {
        private final SandboxProvider sandbox;
        private final CountDownLatch entered;
        private final CountDownLatch release;

        SlowDisableProvider(SandboxProvider sandbox, CountDownLatch entered, CountDownLatch release) {
            this.sandbox = sandbox;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public String id() {
            return sandbox.id();
        }

        @Override
        public String displayName() {
            return "slow " + sandbox.displayName();
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public Optional<DeviceUnbindAdapter> deviceAdapter() {
            DeviceUnbindAdapter device = sandbox.deviceAdapter().orElseThrow();
            return Optional.of(new DeviceUnbindAdapter() {
                @Override
                public Terminal readTerminal(String serialNumber) {
                    return device.readTerminal(serialNumber);
                }

                @Override
                public TerminalDataExport exportTerminalData(String serialNumber) {
                    return device.exportTerminalData(serialNumber);
                }

                @Override
                public OperationOutcome unbindPeripheral(OperationContext context, String serial, Peripheral p) {
                    return device.unbindPeripheral(context, serial, p);
                }

                @Override
                public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
                    entered.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return device.disableTerminal(context, serialNumber);
                }

                @Override
                public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
                    return device.unbindTerminal(context, serialNumber);
                }

                @Override
                public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
                    return device.decommissionTerminal(context, serialNumber);
                }

                @Override
                public Optional<OperationOutcome> lookup(SentOperation reference) {
                    return device.lookup(reference);
                }
            });
        }

        @Override
        public Optional<io.posunbind.spi.AccountUnbindAdapter> accountAdapter() {
            return sandbox.accountAdapter();
        }

        @Override
        public Optional<io.posunbind.spi.MerchantInfoAdapter> merchantInfoAdapter() {
            return sandbox.merchantInfoAdapter();
        }

        @Override
        public Optional<io.posunbind.spi.InstitutionApplicationAdapter> applicationAdapter() {
            return sandbox.applicationAdapter();
        }

        @Override
        public Optional<io.posunbind.spi.FeeQuoteAdapter> feeQuoteAdapter() {
            return sandbox.feeQuoteAdapter();
        }

        @Override
        public Optional<io.posunbind.spi.TerminalSetupAdapter> terminalSetupAdapter() {
            return sandbox.terminalSetupAdapter();
        }
    }
}
