package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.ProviderLimitStats;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provider limits across instances (issue 12, point 3): three instances of the application on one PostgreSQL
 * share an acquirer's declared limit evenly, announcing themselves through the database; together they never
 * call it faster than it allows, a 429 told to one holds back the others, and an instance that stops gives
 * its share back. Time is the merchant's hand-moved clock; calls are counted at the acquirer, per instant of
 * that clock.
 */
class ProviderLimitsAcrossInstancesScenarioTest {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final int LIMIT = 30;

    private final MerchantCase merchant = new MerchantCase();
    /** When each call reached the acquirer (the merchant's clock), from whichever instance. */
    private final List<Instant> calls = Collections.synchronizedList(new ArrayList<>());
    /** The same, per instance. */
    private final Map<String, List<Instant>> callsFrom = new ConcurrentHashMap<>();
    private final DataKeyProvider keys = StaticDataKeyProvider.of(DataKey.generate("cluster", new SecureRandom()));
    private final List<JdbcCaseStore> stores = new ArrayList<>();
    /** Every instance built, closed after the test. */
    private final List<Unbinder> instances = new ArrayList<>();
    /** The instances that run their due work at each tick. */
    private final List<Unbinder> running = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private int turn;
    /** When the acquirer answered 429 to instance a's disable. */
    private volatile Instant refused429At;

    @BeforeEach
    void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        instances.forEach(Unbinder::close);
        stores.forEach(JdbcCaseStore::close);
        postgres.close();
    }

    @Test
    void threeInstancesOnOnePostgresTogetherNeverCallAnAcquirerAllowingThirtyASecondMoreOftenInAnySecond() {
        Unbinder a = instance("instance-a", false);
        Unbinder b = instance("instance-b", false);
        Unbinder c = instance("instance-c", false);
        List<CaseId> cases = openDeviceCases(a, 60);

        for (int tick = 0; tick < 400 && !allTookInventory(a, cases); tick++) {
            tick(TICK);
        }

        assertTrue(allTookInventory(a, cases), "every case took its inventory in the end");
        assertTrue(maxInAnyWindow(Duration.ofSeconds(1)) <= LIMIT, "never above the declared " + LIMIT + " in any"
                + " one-second window: " + maxInAnyWindow(Duration.ofSeconds(1)));
        long permitted = 0;
        for (Unbinder instance : List.of(a, b, c)) {
            ProviderLimitStats stats = instance.providerLimitStats(SandboxProvider.ID);
            assertEquals(3, stats.liveInstances(), stats.toString());
            assertTrue(stats.callsPermitted() > 0, "each instance called the acquirer: " + stats);
            permitted += stats.callsPermitted();
        }
        assertEquals(calls.size(), permitted, "every call that reached the acquirer had a permit of one instance");
        // Alone, each instance would have allowed itself 30 a second: the three together 90.
        assertTrue(maxInAnyWindow(Duration.ofSeconds(1)) >= LIMIT * 2 / 3, "the limit is used, not only kept");
    }

    @Test
    void aRetryAfterToldToOneInstanceHoldsBackACaseOpenedAtAnotherUntilItPasses() {
        Unbinder a = instance("instance-a", true);
        Unbinder b = instance("instance-b", false); // b is never told
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate()); // approval at once: on to the disable
        tick(Duration.ofSeconds(6)); // both announced themselves; b waited out its joining
        merchant.unbinder = a;
        CaseSnapshot opened = a.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);
        for (int tick = 0; tick < 100 && refused429At == null; tick++) {
            tick(TICK); // a's share of 15 a second runs the case on to its disable: 429, Retry-After 30 s
        }
        Instant pausedAt = refused429At;
        assertTrue(a.find(opened.id()).orElseThrow().isWaitingFor(WaitReason.RETRY));
        int callsBefore = calls.size();

        tick(Duration.ofSeconds(1)); // b's next heartbeat reads the pause a recorded
        merchant.sandbox.addTerminal("0840000001", "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        CaseSnapshot atB = b.open(deviceOnly("0840000001"));
        assertEquals(StepStatus.WAITING, atB.steps(StepKind.TAKE_INVENTORY).get(0).status(), atB.toString());
        assertEquals(callsBefore, calls.size(), "no call from either instance while the acquirer is paused");
        ProviderLimitStats atBStats = b.providerLimitStats(SandboxProvider.ID);
        assertEquals(pausedAt.plusSeconds(30), atBStats.pausedUntil().orElseThrow(), atBStats.toString());
        assertEquals(0, atBStats.pausesFromRetryAfter(), "b was not told itself");
        assertTrue(atBStats.deferredByPause() >= 1, atBStats.toString());

        tick(Duration.between(merchant.clock.instant(), pausedAt.plusSeconds(30)).minus(TICK));
        assertEquals(callsBefore, calls.size(), "still paused before the Retry-After has passed");
        tick(Duration.ofSeconds(3));
        assertEquals(StepStatus.DONE, b.find(atB.id()).orElseThrow().steps(StepKind.TAKE_INVENTORY).get(0).status());
        assertTrue(calls.stream().skip(callsBefore).allMatch(at -> !at.isBefore(pausedAt.plusSeconds(30))));
    }

    @Test
    void anInstanceThatStopsHeartbeatingGivesItsShareBackToTheOthersOnceItsHeartbeatExpired() {
        Unbinder a = instance("instance-a", false);
        Unbinder b = instance("instance-b", false);
        Unbinder c = instance("instance-c", false);
        tick(Duration.ofSeconds(6)); // all three announced, the joining waits over
        List<CaseId> cases = openDeviceCases(a, 150);
        tick(Duration.ofSeconds(3));
        Instant cStops = merchant.clock.instant();
        for (String id : List.of("instance-a", "instance-b", "instance-c")) {
            int lastSecond = callsBetween(callsFrom.get(id), cStops.minusSeconds(1), cStops);
            assertTrue(lastSecond > 0 && lastSecond <= LIMIT / 3, id + " keeps to its share of 10: " + lastSecond);
        }

        running.remove(c); // c hangs: no heartbeat, no call; it is still open, not closed
        tick(Duration.ofSeconds(2));
        assertTrue(callsBetween(callsFrom.get("instance-a"), cStops.plusSeconds(1), cStops.plusSeconds(2)) <= LIMIT / 3,
                "a keeps its share of 10 while c's heartbeat is fresh");
        tick(Duration.ofSeconds(6));
        assertEquals(List.of(2, 2), List.of(a.providerLimitStats(SandboxProvider.ID).liveInstances(),
                b.providerLimitStats(SandboxProvider.ID).liveInstances()));
        Instant now = merchant.clock.instant();
        for (String id : List.of("instance-a", "instance-b")) {
            int lastSecond = callsBetween(callsFrom.get(id), now.minusSeconds(1), now);
            assertTrue(lastSecond > LIMIT / 3 && lastSecond <= LIMIT / 2, id + " took half of c's share: " + lastSecond);
        }
        assertTrue(maxInAnyWindow(Duration.ofSeconds(1)) <= LIMIT);
        assertFalse(allTookInventory(a, cases), "demand stayed above the limit throughout");
    }

    /** Every instance runs its due work, tick by tick, for {@code duration} of the merchant's clock. */
    private void tick(Duration duration) {
        for (long elapsed = 0; elapsed < duration.toMillis(); elapsed += TICK.toMillis()) {
            // Each instance's worker takes a small batch a tick, each in turn first, so none is starved of due cases.
            for (int i = 0; i < running.size(); i++) {
                running.get((turn + i) % running.size()).runDueWork(2);
            }
            turn++;
            merchant.clock.advance(TICK);
        }
    }

    /** An instance on the one database, with its own view of the acquirer (refusing its first disable, maybe). */
    private Unbinder instance(String id, boolean refuseFirstDisable) {
        JdbcCaseStore store = JdbcCaseStore.create(postgres.getPostgresDatabase());
        stores.add(store);
        Unbinder instance = merchant.builderOn(store, countingAcquirer(id, refuseFirstDisable)).instanceId(id)
                .dataKeys(keys).build();
        instances.add(instance);
        running.add(instance);
        return instance;
    }

    /** The sandbox declaring 30 calls a second, counting per instance; answers 429 to the first disable if told. */
    private PaymentProvider countingAcquirer(String instanceId, boolean refuseFirstDisable) {
        List<Instant> mine = callsFrom.computeIfAbsent(instanceId, key -> Collections.synchronizedList(new ArrayList<>()));
        return new InterceptedProvider(new SandboxProvider(merchant.sandbox), (name, args, proceed) -> {
            if (name.equals("PaymentProvider.callLimits")) {
                return ProviderLimits.perSecond(LIMIT);
            }
            if (name.startsWith("PaymentProvider.") || name.startsWith("CallbackParser.")) {
                return proceed.call();
            }
            if (name.equals("DeviceUnbindAdapter.disableTerminal") && refuseFirstDisable && refused429At == null) {
                refused429At = merchant.clock.instant(); // nothing done: "429 Too Many Requests, Retry-After: 30"
                return OperationOutcome.rateLimited("429", "too many requests", Duration.ofSeconds(30));
            }
            calls.add(merchant.clock.instant());
            mine.add(merchant.clock.instant());
            return proceed.call();
        }).provider;
    }

    private List<CaseId> openDeviceCases(Unbinder unbinder, int count) {
        List<CaseId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String serial = String.format("08400%05d", i + 100);
            merchant.sandbox.addTerminal(serial, "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
            ids.add(unbinder.open(deviceOnly(serial), WaitPolicy.none()).id());
        }
        return ids;
    }

    private static boolean allTookInventory(Unbinder unbinder, List<CaseId> cases) {
        return cases.stream().allMatch(id -> unbinder.find(id).orElseThrow()
                .steps(StepKind.TAKE_INVENTORY).get(0).status() == StepStatus.DONE);
    }

    private int callsBetween(Instant from, Instant to) {
        return callsBetween(calls, from, to);
    }

    private static int callsBetween(List<Instant> counted, Instant from, Instant to) {
        synchronized (counted) {
            return (int) counted.stream().filter(at -> !at.isBefore(from) && at.isBefore(to)).count();
        }
    }

    /** The most calls any one window of this length held, wherever it starts. */
    private int maxInAnyWindow(Duration window) {
        List<Instant> sorted;
        synchronized (calls) {
            sorted = calls.stream().sorted().toList();
        }
        int max = 0;
        int first = 0;
        for (int last = 0; last < sorted.size(); last++) {
            while (!sorted.get(first).plus(window).isAfter(sorted.get(last))) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    private static UnbindRequest deviceOnly(String serial) {
        return MerchantCase.request().terminalSerial(serial).scope(BindingKind.DEVICE).documents(allDocuments())
                .build();
    }
}
