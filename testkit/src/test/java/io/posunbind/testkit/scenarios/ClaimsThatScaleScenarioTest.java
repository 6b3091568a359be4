package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.ClaimStats;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.UnbindRequest;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitPolicy;
import io.posunbind.WorkerOptions;
import io.posunbind.event.UnbindEvent;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.store.CaseStore;
import io.posunbind.store.ClaimedCase;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Claims that scale (issue 12, point 2): workers claim due cases in batches, each case leased to exactly one
 * instance by the claim itself, so instances never fetch, and never call a provider for, the same case; an
 * instance that died holding cases has them taken over once their leases expire.
 */
class ClaimsThatScaleScenarioTest {

    /** Far above what the test needs: it bounds a hang, it is not a timing assertion. */
    private static final long GENEROUS_SECONDS = 120;

    private static final int CASES = 36;

    @Test
    void threeInstancesOnOnePostgresRunEveryCaseOnceAndNeverCallTheProviderTwiceForOne() throws Exception {
        MerchantCase merchant = new MerchantCase();
        List<String> serials = new ArrayList<>();
        serials.add(SandboxDemoData.TERMINAL_SERIAL);
        for (int i = 1; i < CASES; i++) {
            String serial = String.format("08300%05d", i);
            merchant.sandbox.addTerminal(serial, "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
            serials.add(serial);
        }
        // Counted at the provider: how often each terminal was read, that is how often its case ran its first step.
        Map<String, AtomicInteger> readsPerTerminal = new ConcurrentHashMap<>();
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("DeviceUnbindAdapter.readTerminal")) {
                        readsPerTerminal.computeIfAbsent((String) args[0], serial -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return proceed.call();
                });
        Set<CaseId> settled = ConcurrentHashMap.newKeySet();
        CountDownLatch allSettled = new CountDownLatch(CASES);
        // The instances share the data keys, as instances of one application on one database must.
        DataKeyProvider keys = StaticDataKeyProvider.of(DataKey.generate("cluster", new SecureRandom()));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            List<JdbcCaseStore> stores = new ArrayList<>();
            List<Unbinder> instances = new ArrayList<>();
            List<UnbindWorker> workers = new ArrayList<>();
            try {
                for (String id : List.of("instance-a", "instance-b", "instance-c")) {
                    JdbcCaseStore store = JdbcCaseStore.create(postgres.getPostgresDatabase());
                    stores.add(store);
                    instances.add(merchant.builderOn(store, provider.provider).instanceId(id).dataKeys(keys)
                            .commandWait(WaitPolicy.none()).listener(event -> {
                                boolean reachedAWaitOrTheEnd = event instanceof UnbindEvent.CaseWaiting
                                        || event instanceof UnbindEvent.CaseFinished;
                                if (reachedAWaitOrTheEnd && settled.add(event.caseId())) {
                                    allSettled.countDown();
                                }
                            }).build());
                }
                List<CaseSnapshot> opened = new ArrayList<>();
                for (String serial : serials) {
                    opened.add(instances.get(0).open(deviceOnly(serial)));
                }
                for (Unbinder instance : instances) {
                    workers.add(instance.newWorker(WorkerOptions.builder().threads(4).batchSize(4).build()).start());
                }
                assertTrue(allSettled.await(GENEROUS_SECONDS, TimeUnit.SECONDS), "settled: " + settled.size());
                for (UnbindWorker worker : workers) {
                    worker.close();
                }

                for (String serial : serials) {
                    assertEquals(1, readsPerTerminal.getOrDefault(serial, new AtomicInteger()).get(),
                            "reads of terminal " + serial);
                }
                long claimedInAll = 0;
                for (Unbinder instance : instances) {
                    ClaimStats stats = instance.claimStats();
                    assertEquals(0, stats.takeovers(), stats.toString());
                    claimedInAll += stats.casesClaimed();
                }
                assertEquals(CASES, claimedInAll, "each case claimed by exactly one instance, once");
                for (CaseSnapshot one : opened) {
                    CaseSnapshot now = instances.get(1).find(one.id()).orElseThrow();
                    assertEquals(StepStatus.DONE, now.steps(StepKind.TAKE_INVENTORY).get(0).status(), now.toString());
                }
            } finally {
                workers.forEach(UnbindWorker::close);
                instances.forEach(Unbinder::close);
                stores.forEach(JdbcCaseStore::close);
            }
        }
    }

    @Test
    void aCaseLeftLeasedByADeadInstanceIsTakenOverOnceItsLeaseExpires() {
        MerchantCase merchant = new MerchantCase();
        CaseStore store = new InMemoryCaseStore();
        Unbinder front = merchant.builderOn(store).instanceId("front-end").commandWait(WaitPolicy.none()).build();
        CaseSnapshot opened = front.open(fullReplacement().documents(allDocuments()).build());
        // An instance claimed the case and died before running it: its lease still holds.
        List<ClaimedCase> claimedByTheDead = store.claimDue("dead-instance", merchant.clock.instant(),
                Duration.ofSeconds(30), 10);
        assertEquals(1, claimedByTheDead.size());
        Unbinder survivor = merchant.builderOn(store).instanceId("survivor").leaseDuration(Duration.ofSeconds(30))
                .build();

        assertEquals(0, survivor.runDueWork(), "the lease still holds");
        merchant.clock.advance(Duration.ofSeconds(31));
        assertEquals(1, survivor.runDueWork(), "the lease expired: taken over");

        ClaimStats stats = survivor.claimStats();
        assertEquals(2, stats.claims(), stats.toString());
        assertEquals(1, stats.casesClaimed(), stats.toString());
        assertEquals(1, stats.takeovers(), stats.toString());
        CaseSnapshot advanced = survivor.find(opened.id()).orElseThrow();
        assertEquals(StepStatus.DONE, advanced.steps(StepKind.TAKE_INVENTORY).get(0).status(), advanced.toString());
        assertTrue(store.load(opened.id().value()).orElseThrow().leaseOwner().isEmpty(), "the lease given back");
        survivor.close();
        front.close();
    }

    private static UnbindRequest deviceOnly(String serial) {
        return MerchantCase.request().terminalSerial(serial).scope(BindingKind.DEVICE).documents(allDocuments())
                .build();
    }
}
