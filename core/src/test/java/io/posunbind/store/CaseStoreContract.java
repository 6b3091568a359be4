package io.posunbind.store;

import static io.posunbind.store.CaseRecordBuilder.T0;
import static io.posunbind.store.CaseRecordBuilder.aCase;
import static io.posunbind.store.CaseRecordBuilder.nextVersionOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchState;
import io.posunbind.spi.PosUnbindException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CaseStore} must do. A store's test extends this class and says how to open a new,
 * empty store for each test.
 */
abstract class CaseStoreContract {

    /** The store under test, new and empty for each test. */
    protected CaseStore store;

    /** Opens a new, empty store. */
    protected abstract CaseStore openEmptyStore() throws Exception;

    @BeforeEach
    void openStoreForTest() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStoreAfterTest() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    // --- counting, for gauges and health checks ---

    @Test
    void casesAreCountedByStateAndWaitReasonWithTheOldestDueCaseNobodyClaimed() {
        store.insert(aCase("for-documents").waiting("DOCUMENTS", T0).build());
        store.insert(aCase("for-a-retry").waiting("RETRY", T0).wakeAt(T0.plusSeconds(10)).build());
        store.insert(aCase("due-but-claimed").state("RUNNING").wakeAt(T0).lease("instance-a", T0.plusSeconds(100))
                .build());
        store.insert(aCase("due-unclaimed").state("RUNNING").wakeAt(T0.plusSeconds(5)).build());
        store.insert(aCase("not-due-yet").state("RUNNING").wakeAt(T0.plusSeconds(60)).build());
        store.insert(aCase("dead-lettered").state("FAILED").open(false).build());
        store.insert(aCase("done").state("COMPLETED").open(false).build());

        CaseCounts counts = store.countCases(T0.plusSeconds(20));

        assertAll(
                () -> assertEquals(2, counts.inState(CaseState.WAITING)),
                () -> assertEquals(3, counts.inState(CaseState.RUNNING)),
                () -> assertEquals(1, counts.inState(CaseState.FAILED)),
                () -> assertEquals(1, counts.inState(CaseState.COMPLETED)),
                () -> assertEquals(0, counts.inState(CaseState.CANCELLED)),
                () -> assertEquals(1, counts.waitingFor(WaitReason.DOCUMENTS)),
                () -> assertEquals(1, counts.waitingFor(WaitReason.RETRY)),
                () -> assertEquals(0, counts.waitingFor(WaitReason.FEE_CONSENT)),
                () -> assertEquals(Optional.of(T0.plusSeconds(5)), counts.oldestUnclaimedDueAt(),
                        "the claimed case is due longer, but a worker has it"));
        assertEquals(Optional.empty(), store.countCases(T0.minusSeconds(1)).oldestUnclaimedDueAt(), "nothing due yet");
    }

    // --- insert and load ---

    @Test
    void aCaseLoadsAsItWasInserted() {
        CaseRecord record = aCase("case-1").state("AWAITING_CONSENT").wakeAt(T0.plusSeconds(60))
                .createdAt(T0).updatedAt(T0.plusMillis(5)).document("{\"a\":1}").build();

        store.insert(record);

        assertEquals(Optional.of(record), store.load("case-1"));
    }

    @Test
    void aCaseWithoutWakeTimeLoadsWithoutOne() {
        CaseRecord record = aCase("case-1").noWakeAt().open(false).build();

        store.insert(record);

        assertEquals(Optional.of(record), store.load("case-1"));
    }

    @Test
    void anUnknownCaseLoadsAsEmpty() {
        store.insert(aCase("case-1").build());

        assertEquals(Optional.empty(), store.load("case-2"));
    }

    @Test
    void aDocumentInManyScriptsLoadsUnchanged() {
        String document = "{\"name\":\"张三的小卖部\",\"note\":\"Café Müller — ½ price, 𝄞 🧾✅\","
                + "\"quote\":\"\\\"x\\\" 'y' \\\\ \\n\",\"rtl\":\"مرحبا\",\"ko\":\"가맹점\"}\n\t";
        store.insert(aCase("case-1").document(document).build());

        assertEquals(document, store.load("case-1").orElseThrow().document());
    }

    @Test
    void aOneMegabyteDocumentSurvivesInsertAndUpdate() {
        String large = megabyteDocument('a');
        store.insert(aCase("case-1").document(large).build());
        assertEquals(large, store.load("case-1").orElseThrow().document());

        String larger = megabyteDocument('b') + "终";
        CaseRecord updated = nextVersionOf(store.load("case-1").orElseThrow(), T0.plusSeconds(1))
                .document(larger).build();
        store.update(updated, 1);

        assertEquals(larger, store.load("case-1").orElseThrow().document());
    }

    @Test
    void instantsAreKeptToTheMillisecond() {
        Instant precise = Instant.parse("2026-03-01T09:00:00.123456789Z");
        Instant milliseconds = Instant.parse("2026-03-01T09:00:00.123Z");
        store.insert(aCase("case-1").wakeAt(precise).createdAt(precise).updatedAt(precise).build());

        CaseRecord loaded = store.load("case-1").orElseThrow();

        assertAll(() -> assertEquals(Optional.of(milliseconds), loaded.wakeAt()),
                () -> assertEquals(milliseconds, loaded.createdAt()),
                () -> assertEquals(milliseconds, loaded.updatedAt()));
    }

    @Test
    void insertingAnExistingIdFailsWithDuplicateCaseAndKeepsTheStoredCase() {
        CaseRecord first = aCase("case-1").document("{\"first\":true}").build();
        store.insert(first);

        PosUnbindException failure = assertThrows(PosUnbindException.class,
                () -> store.insert(aCase("case-1").document("{\"second\":true}").build()));

        assertAll(() -> assertEquals(CoreErrorCode.DUPLICATE_CASE, failure.errorCode()),
                () -> assertFalse(failure.retryable()),
                () -> assertEquals(Optional.of(first), store.load("case-1")));
    }

    @Test
    void aNewCaseMustHaveVersionOne() {
        assertThrows(IllegalArgumentException.class, () -> store.insert(aCase("case-1").version(2).build()));
        assertEquals(Optional.empty(), store.load("case-1"));
    }

    @Test
    void keysLongerThanTheStoreKeepsAreRejectedBeforeStoring() {
        String tooLong = "x".repeat(CaseStoreRules.MAX_KEY_LENGTH + 1);
        String longest = "x".repeat(CaseStoreRules.MAX_KEY_LENGTH);

        assertThrows(IllegalArgumentException.class, () -> store.insert(aCase(tooLong).build()));
        assertThrows(IllegalArgumentException.class, () -> store.insert(aCase("case-1").state(tooLong).build()));
        assertThrows(IllegalArgumentException.class,
                () -> store.insert(aCase("case-1").terminalSerial(tooLong).build()));
        store.insert(aCase(longest).merchantNumber(longest).build());
        assertTrue(store.load(longest).isPresent());
    }

    @Test
    void nullArgumentsAreRejected() {
        assertAll(() -> assertThrows(NullPointerException.class, () -> store.insert(null)),
                () -> assertThrows(NullPointerException.class, () -> store.load(null)),
                () -> assertThrows(NullPointerException.class, () -> store.update(null, 1)),
                () -> assertThrows(NullPointerException.class, () -> store.findDue(null, 10)),
                () -> assertThrows(NullPointerException.class, () -> store.findOpenCaseIds(null, "SN-0001")),
                () -> assertThrows(NullPointerException.class, () -> store.findOpenCaseIds("sandbox", null)),
                () -> assertThrows(NullPointerException.class, () -> store.findByState(null, 10)));
    }

    // --- update ---

    @Test
    void eachUpdateRaisesTheVersionByOneAndReplacesTheCase() {
        CaseRecord current = aCase("case-1").build();
        store.insert(current);

        for (int step = 1; step <= 5; step++) {
            CaseRecord next = nextVersionOf(current, T0.plusSeconds(step)).state("STEP_" + step)
                    .wakeAt(T0.plusSeconds(100 + step)).open(step < 5).document("{\"step\":" + step + "}").build();
            store.update(next, current.version());
            assertEquals(Optional.of(next), store.load("case-1"));
            current = next;
        }
        assertEquals(6, store.load("case-1").orElseThrow().version());
    }

    @Test
    void anUpdateFromAnOldVersionFailsAsStaleAndChangesNothing() {
        CaseRecord v1 = aCase("case-1").build();
        store.insert(v1);
        CaseRecord v2 = nextVersionOf(v1, T0.plusSeconds(1)).state("SECOND").build();
        store.update(v2, 1);

        CaseRecord competing = nextVersionOf(v1, T0.plusSeconds(2)).state("COMPETING").build();
        StaleCaseVersionException failure = assertThrows(StaleCaseVersionException.class,
                () -> store.update(competing, 1));

        assertAll(() -> assertEquals(CoreErrorCode.STALE_CASE_VERSION, failure.errorCode()),
                () -> assertTrue(failure.retryable()),
                () -> assertEquals(Optional.of(v2), store.load("case-1")));
    }

    @Test
    void anUpdateOfAMissingCaseFailsAsStale() {
        CaseRecord v2 = aCase("nobody").version(2).build();

        assertThrows(StaleCaseVersionException.class, () -> store.update(v2, 1));
        assertEquals(Optional.empty(), store.load("nobody"));
    }

    @Test
    void anUpdateMustCarryTheNextVersion() {
        CaseRecord v1 = aCase("case-1").build();
        store.insert(v1);

        assertThrows(IllegalArgumentException.class, () -> store.update(from(v1).version(3).build(), 1));
        assertThrows(IllegalArgumentException.class, () -> store.update(from(v1).version(1).build(), 1));
        assertEquals(Optional.of(v1), store.load("case-1"));
    }

    // --- queries ---

    @Test
    void dueCasesAreOpenCasesWhoseWakeTimeHasComeOldestFirst() {
        Instant now = T0.plusSeconds(3600);
        store.insert(aCase("c-late").wakeAt(now).build());
        store.insert(aCase("c-early").wakeAt(now.minusSeconds(60)).build());
        store.insert(aCase("b-tie").wakeAt(now.minusSeconds(30)).build());
        store.insert(aCase("a-tie").wakeAt(now.minusSeconds(30)).build());
        store.insert(aCase("closed").wakeAt(now.minusSeconds(90)).open(false).build());
        store.insert(aCase("future").wakeAt(now.plusMillis(1)).build());
        store.insert(aCase("sleeping").noWakeAt().build());

        assertEquals(List.of("c-early", "a-tie", "b-tie", "c-late"), store.findDue(now, 10));
        assertEquals(List.of("c-early", "a-tie"), store.findDue(now, 2));
        assertEquals(List.of(), store.findDue(now.minusSeconds(61), 10));
    }

    @Test
    void aCaseIsNoLongerDueOnceClosedOrPutToSleep() {
        Instant now = T0.plusSeconds(3600);
        CaseRecord a = aCase("a").wakeAt(now.minusSeconds(1)).build();
        CaseRecord b = aCase("b").wakeAt(now.minusSeconds(1)).build();
        store.insert(a);
        store.insert(b);

        store.update(nextVersionOf(a, now).open(false).build(), 1);
        store.update(nextVersionOf(b, now).wakeAt(now.plusSeconds(60)).build(), 1);

        assertEquals(List.of(), store.findDue(now, 10));
        assertEquals(List.of("b"), store.findDue(now.plusSeconds(60), 10));
    }

    @Test
    void openCasesOfATerminalLeaveOutClosedCasesAndOtherTerminals() {
        store.insert(aCase("case-1").providerId("acme").terminalSerial("SN-1").build());
        store.insert(aCase("closed").providerId("acme").terminalSerial("SN-1").open(false).build());
        store.insert(aCase("other-terminal").providerId("acme").terminalSerial("SN-2").build());
        store.insert(aCase("other-provider").providerId("globex").terminalSerial("SN-1").build());

        assertEquals(List.of("case-1"), store.findOpenCaseIds("acme", "SN-1"));
        assertEquals(List.of("other-provider"), store.findOpenCaseIds("globex", "SN-1"));
        assertEquals(List.of(), store.findOpenCaseIds("globex", "SN-2"));
    }

    @Test
    void aSecondOpenCaseForATerminalIsRefusedAtomically() {
        store.insert(aCase("case-1").providerId("acme").terminalSerial("SN-1").build());
        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> store.insert(aCase("case-2").providerId("acme").terminalSerial("SN-1").build()));
        assertEquals(CoreErrorCode.DUPLICATE_CASE, refused.errorCode());
        assertTrue(store.load("case-2").isEmpty());
    }

    @Test
    void closingACaseFreesItsTerminal() {
        CaseRecord v1 = aCase("case-1").providerId("acme").terminalSerial("SN-1").build();
        store.insert(v1);

        store.update(nextVersionOf(v1, T0.plusSeconds(1)).state("COMPLETED").open(false).build(), 1);

        assertEquals(List.of(), store.findOpenCaseIds("acme", "SN-1"));
    }

    @Test
    void casesInAStateComeLeastRecentlyUpdatedFirst() {
        store.insert(aCase("newest").state("STUCK").updatedAt(T0.plusSeconds(30)).build());
        store.insert(aCase("oldest").state("STUCK").updatedAt(T0.plusSeconds(10)).build());
        store.insert(aCase("b-tie").state("STUCK").updatedAt(T0.plusSeconds(20)).build());
        store.insert(aCase("a-tie").state("STUCK").updatedAt(T0.plusSeconds(20)).build());
        store.insert(aCase("other").state("FINE").updatedAt(T0).build());

        assertEquals(List.of("oldest", "a-tie", "b-tie", "newest"), ids(store.findByState("STUCK", 10)));
        assertEquals(List.of("oldest", "a-tie"), ids(store.findByState("STUCK", 2)));
        assertEquals(List.of("other"), ids(store.findByState("FINE", 10)));
        assertEquals(store.load("oldest").orElseThrow(), store.findByState("STUCK", 1).get(0));
    }

    @Test
    void anUpdatedCaseMovesToTheEndOfItsState() {
        CaseRecord first = aCase("first").state("STUCK").updatedAt(T0).build();
        store.insert(first);
        store.insert(aCase("second").state("STUCK").updatedAt(T0.plusSeconds(1)).build());

        store.update(nextVersionOf(first, T0.plusSeconds(2)).build(), 1);

        assertEquals(List.of("second", "first"), ids(store.findByState("STUCK", 10)));
    }

    @Test
    void queriesRejectALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> store.findDue(T0, 0));
        assertThrows(IllegalArgumentException.class, () -> store.findByState("STUCK", 0));
    }

    // --- concurrency ---

    @Test
    void ofConcurrentUpdatesOfOneVersionExactlyOneWins() throws Exception {
        int writers = 4;
        int rounds = 40;
        store.insert(aCase("contested").build());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CyclicBarrier start = new CyclicBarrier(writers);
            for (int round = 1; round <= rounds; round++) {
                CaseRecord current = store.load("contested").orElseThrow();
                AtomicInteger winners = new AtomicInteger();
                AtomicInteger stale = new AtomicInteger();
                List<Future<String>> attempts = new ArrayList<>();
                for (int writer = 0; writer < writers; writer++) {
                    CaseRecord candidate = nextVersionOf(current, T0.plusSeconds(round))
                            .document("{\"writer\":" + writer + "}").build();
                    attempts.add(pool.submit(attempt(start, candidate, current.version(), winners, stale)));
                }
                String winningDocument = null;
                for (Future<String> attempt : attempts) {
                    String document = attempt.get(30, TimeUnit.SECONDS);
                    if (document != null) {
                        winningDocument = document;
                    }
                }
                assertEquals(1, winners.get(), "winners of round " + round);
                assertEquals(writers - 1, stale.get(), "stale writers of round " + round);
                CaseRecord stored = store.load("contested").orElseThrow();
                assertEquals(current.version() + 1, stored.version());
                assertEquals(winningDocument, stored.document());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(rounds + 1, store.load("contested").orElseThrow().version());
    }

    @Test
    void ofConcurrentInsertsOfOneIdExactlyOneWins() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                CaseRecord candidate = aCase("contested").document("{\"writer\":" + writer + "}").build();
                attempts.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        store.insert(candidate);
                        return true;
                    } catch (PosUnbindException e) {
                        assertEquals(CoreErrorCode.DUPLICATE_CASE, e.errorCode());
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> attempt : attempts) {
                winners += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<String> attempt(CyclicBarrier start, CaseRecord candidate, long expectedVersion,
            AtomicInteger winners, AtomicInteger stale) {
        return () -> {
            start.await(10, TimeUnit.SECONDS);
            try {
                store.update(candidate, expectedVersion);
                winners.incrementAndGet();
                return candidate.document();
            } catch (StaleCaseVersionException e) {
                stale.incrementAndGet();
                return null;
            }
        };
    }

    // --- helpers ---

    private static CaseRecordBuilder from(CaseRecord record) {
        return CaseRecordBuilder.from(record);
    }

    static List<String> ids(List<CaseRecord> records) {
        return records.stream().map(CaseRecord::caseId).toList();
    }

    /** A JSON-like document of 1 MiB characters, not one repeated character, so no store can cheat. */
    static String megabyteDocument(char seed) {
        StringBuilder document = new StringBuilder(1 << 20).append("{\"log\":\"");
        int line = 0;
        while (document.length() < (1 << 20) - 2) {
            document.append(seed).append(line++).append(" ünïcødé ");
        }
        document.setLength((1 << 20) - 2);
        return document.append("\"}").toString();
    }

    @Test
    void leasesAndEventsSurviveARoundTrip() {
        CaseRecord record = aCase("case-1").lease("instance-a", T0.plusSeconds(30)).eventsPending(true).build();
        store.insert(record);
        assertEquals(Optional.of(record), store.load("case-1"));
    }

    @Test
    void dueCasesLeasedToSomeoneAreLeftOutUntilTheLeaseExpires() {
        store.insert(aCase("free").wakeAt(T0).build());
        store.insert(aCase("leased").wakeAt(T0).lease("instance-a", T0.plusSeconds(30)).build());
        assertEquals(List.of("free"), store.findDue(T0.plusSeconds(1), 10));
        assertEquals(List.of("free", "leased"), store.findDue(T0.plusSeconds(30), 10));
    }

    @Test
    void casesWithUndeliveredEventsAreDueEvenWhenClosed() {
        store.insert(aCase("due").wakeAt(T0).build());
        store.insert(aCase("closed-with-events").noWakeAt().open(false).eventsPending(true).build());
        store.insert(aCase("closed").noWakeAt().open(false).build());
        assertEquals(List.of("due", "closed-with-events"), store.findDue(T0, 10));
        assertEquals(List.of("due"), store.findDue(T0, 1));
    }

    // --- claims ---

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void aClaimLeasesTheEarliestDueCasesUpToItsLimitAndRaisesTheirVersions() {
        Instant now = T0.plusSeconds(60);
        store.insert(aCase("late").wakeAt(T0.plusSeconds(50)).build());
        store.insert(aCase("early").wakeAt(T0.plusSeconds(10)).build());
        store.insert(aCase("middle").wakeAt(T0.plusSeconds(20)).build());
        store.insert(aCase("not-yet").wakeAt(T0.plusSeconds(120)).build());
        store.insert(aCase("closed").wakeAt(T0).open(false).build());

        List<ClaimedCase> claimed = store.claimDue("instance-a", now, LEASE, 2);

        assertEquals(List.of("early", "middle"), claimed.stream().map(claim -> claim.record().caseId()).toList());
        for (ClaimedCase claim : claimed) {
            CaseRecord stored = store.load(claim.record().caseId()).orElseThrow();
            assertAll(claim.record().caseId(),
                    () -> assertEquals(2, stored.version()),
                    () -> assertEquals(Optional.of("instance-a"), stored.leaseOwner()),
                    () -> assertEquals(Optional.of(now.plus(LEASE)), stored.leaseUntil()),
                    () -> assertEquals(stored.document(), claim.record().document()),
                    () -> assertEquals(stored.version(), claim.record().version()),
                    () -> assertEquals(Optional.empty(), claim.takenOverFrom()));
        }
        assertEquals(List.of("late"), store.claimDue("instance-b", now, LEASE, 10).stream()
                .map(claim -> claim.record().caseId()).toList());
        assertEquals(List.of(), store.claimDue("instance-c", now, LEASE, 10));
    }

    @Test
    void aLeasedCaseIsNotClaimedUntilItsLeaseExpiresThenItIsTakenOver() {
        store.insert(aCase("held").wakeAt(T0).lease("instance-a", T0.plusSeconds(30)).build());

        assertEquals(List.of(), store.claimDue("instance-b", T0.plusSeconds(29), LEASE, 10));

        List<ClaimedCase> takeover = store.claimDue("instance-b", T0.plusSeconds(31), LEASE, 10);
        assertEquals(1, takeover.size());
        assertEquals(Optional.of("instance-a"), takeover.get(0).takenOverFrom());
        assertEquals(Optional.of("instance-b"), store.load("held").orElseThrow().leaseOwner());
        // The dead owner's writes are fenced: its version is gone, and its heartbeat no longer renews.
        assertThrows(StaleCaseVersionException.class, () -> store.update(
                nextVersionOf(aCase("held").wakeAt(T0).build(), T0.plusSeconds(32)).build(), 1));
        assertFalse(store.renewLease("held", "instance-a", T0.plusSeconds(90)));
    }

    @Test
    void casesWithUndeliveredEventsAreClaimedAfterTheDueOnes() {
        store.insert(aCase("closed-with-events").noWakeAt().open(false).eventsPending(true).build());
        store.insert(aCase("due").wakeAt(T0).build());

        assertEquals(List.of("due", "closed-with-events"), store.claimDue("instance-a", T0, LEASE, 10).stream()
                .map(claim -> claim.record().caseId()).toList());
    }

    @Test
    void concurrentClaimersGetDisjointBatchesThatTogetherHoldEveryDueCaseOnce() throws Exception {
        int cases = 200;
        int claimers = 4;
        for (int i = 0; i < cases; i++) {
            store.insert(aCase(String.format("case-%03d", i)).wakeAt(T0.plusMillis(i)).build());
        }
        Instant now = T0.plusSeconds(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            CyclicBarrier start = new CyclicBarrier(claimers);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int claimer = 0; claimer < claimers; claimer++) {
                String owner = "instance-" + claimer;
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<String> mine = new ArrayList<>();
                    List<ClaimedCase> batch;
                    do {
                        batch = store.claimDue(owner, now, LEASE, 7);
                        for (ClaimedCase claim : batch) {
                            assertEquals(Optional.of(owner), claim.record().leaseOwner());
                            mine.add(claim.record().caseId());
                        }
                    } while (!batch.isEmpty() || !store.findDue(now, 1).isEmpty());
                    return mine;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(cases, all.size(), "claims in all");
            assertEquals(cases, all.stream().distinct().count(), "distinct cases claimed");
            for (String caseId : all) {
                assertEquals(2, store.load(caseId).orElseThrow().version(), caseId);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheOwnerRenewsALeaseAndTheVersionStays() {
        store.insert(aCase("case-1").lease("instance-a", T0.plusSeconds(30)).build());
        assertFalse(store.renewLease("case-1", "instance-b", T0.plusSeconds(90)));
        assertTrue(store.renewLease("case-1", "instance-a", T0.plusSeconds(60)));
        CaseRecord renewed = store.load("case-1").orElseThrow();
        assertEquals(Optional.of(T0.plusSeconds(60)), renewed.leaseUntil());
        assertEquals(1, renewed.version());
        assertFalse(store.renewLease("missing", "instance-a", T0));
    }

    @Test
    void operatorsFilterByStateProviderAndAge() {
        store.insert(aCase("old-failed").state("FAILED").providerId("p1").updatedAt(T0).build());
        store.insert(aCase("new-failed").state("FAILED").providerId("p1").updatedAt(T0.plusSeconds(100)).build());
        store.insert(aCase("other-provider").state("FAILED").providerId("p2").updatedAt(T0).build());
        store.insert(aCase("waiting").state("WAITING").providerId("p1").updatedAt(T0).build());

        assertEquals(List.of("old-failed"), ids(store.findCases(new CaseFilter(Optional.of("FAILED"),
                Optional.of("p1"), Optional.of(T0.plusSeconds(50)), 10))));
        assertEquals(List.of("old-failed", "other-provider", "waiting"), ids(store.findCases(new CaseFilter(
                Optional.empty(), Optional.empty(), Optional.of(T0.plusSeconds(1)), 10))));
        assertEquals(4, store.findCases(new CaseFilter(Optional.empty(), Optional.empty(), Optional.empty(), 10))
                .size());
    }

    // --- finding stuck cases (issue 9) ---

    @Test
    void aWaitAndItsStartSurviveARoundTrip() {
        CaseRecord record = aCase("case-1").waiting("INSTITUTION_DECISION", T0.plusMillis(7)).build();
        store.insert(record);
        assertEquals(Optional.of(record), store.load("case-1"));
    }

    @Test
    void operatorsFindCasesByWaitWaitingSinceProviderMerchantAndTerminal() {
        Instant now = T0.plus(Duration.ofDays(10));
        store.insert(aCase("bank-8d").waiting("INSTITUTION_DECISION", now.minus(Duration.ofDays(8)))
                .merchantNumber("M-1").updatedAt(now.minus(Duration.ofDays(8))).build());
        store.insert(aCase("bank-2d").waiting("INSTITUTION_DECISION", now.minus(Duration.ofDays(2)))
                .merchantNumber("M-2").updatedAt(now.minus(Duration.ofDays(2))).build());
        store.insert(aCase("docs-9d").waiting("DOCUMENTS", now.minus(Duration.ofDays(9)))
                .merchantNumber("M-1").updatedAt(now.minus(Duration.ofDays(9))).build());
        store.insert(aCase("failed").state("FAILED").open(false).providerId("other").merchantNumber("M-1")
                .terminalSerial("SN-FAILED").updatedAt(now.minus(Duration.ofDays(20))).build());

        Instant weekAgo = now.minus(Duration.ofDays(7));
        assertAll(
                () -> assertEquals(List.of("bank-8d"), ids(store.findCases(CaseFilter.builder()
                        .waitingFor(WaitReason.INSTITUTION_DECISION).waitingSinceBefore(weekAgo).build()))),
                () -> assertEquals(List.of("bank-2d"), ids(store.findCases(CaseFilter.builder()
                        .waitingFor(WaitReason.INSTITUTION_DECISION).waitingSinceAfter(weekAgo).build()))),
                () -> assertEquals(List.of("docs-9d", "bank-8d"), ids(store.findCases(CaseFilter.builder()
                        .state(CaseState.WAITING).waitingSinceBefore(weekAgo).build()))),
                () -> assertEquals(List.of("failed", "docs-9d", "bank-8d"), ids(store.findCases(CaseFilter.builder()
                        .merchantNumber("M-1").build()))),
                () -> assertEquals(List.of("failed"), ids(store.findCases(CaseFilter.builder().provider("other")
                        .terminalSerial("SN-FAILED").build()))),
                () -> assertEquals(List.of(), ids(store.findCases(CaseFilter.builder().provider("sandbox")
                        .terminalSerial("SN-FAILED").build()))),
                () -> assertEquals(List.of(), ids(store.findCases(CaseFilter.builder().state(CaseState.FAILED)
                        .waitingSinceBefore(now).build())), "a case that does not wait has no waiting time"));
    }

    @Test
    void pagingThroughManyCasesReturnsEachExactlyOnceInAStableOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // Several cases share each update time, so the order must fall back on the case id.
            Instant updatedAt = T0.plusSeconds(i / 3);
            String caseId = "case-" + (char) ('z' - i);
            store.insert(aCase(caseId).waiting("SETTLEMENT", updatedAt).updatedAt(updatedAt).build());
        }
        store.insert(aCase("not-waiting").updatedAt(T0).build());
        for (int second = 0; second <= 22 / 3; second++) {
            int at = second;
            expected.addAll(IntStream.range(0, 23).filter(i -> i / 3 == at)
                    .mapToObj(i -> "case-" + (char) ('z' - i)).sorted().toList());
        }

        CaseFilter filter = CaseFilter.builder().waitingFor(WaitReason.SETTLEMENT).limit(4).build();
        List<String> seen = new ArrayList<>();
        List<CaseRecord> page = store.findCases(filter);
        int pages = 0;
        while (!page.isEmpty()) {
            pages++;
            assertTrue(page.size() <= 4);
            seen.addAll(ids(page));
            page = store.findCases(filter.after(page.get(page.size() - 1)));
        }

        assertEquals(expected, seen);
        assertEquals(6, pages);
        assertEquals(seen, ids(store.findCases(CaseFilter.builder().waitingFor(WaitReason.SETTLEMENT).limit(50)
                .build())), "one page or many: the same order");
    }

    @Test
    void reschedulingChangesOnlyTheWakeTimeTheLeaseAndTheVersion() {
        CaseRecord v1 = aCase("case-1").waiting("INSTITUTION_DECISION", T0).wakeAt(T0.plusSeconds(60))
                .document("{\"kept\":true}").build();
        store.insert(v1);

        store.reschedule("case-1", 1, Optional.of(T0.plusSeconds(60)), Optional.of("instance-a"),
                Optional.of(T0.plusSeconds(90)));
        store.reschedule("case-1", 2, Optional.of(T0.plusSeconds(3600)), Optional.empty(), Optional.empty());

        CaseRecord v3 = store.load("case-1").orElseThrow();
        assertEquals(from(v1).version(3).wakeAt(T0.plusSeconds(3600)).build(), v3);
        assertThrows(StaleCaseVersionException.class, () -> store.reschedule("case-1", 2, Optional.empty(),
                Optional.empty(), Optional.empty()));
        assertThrows(StaleCaseVersionException.class, () -> store.reschedule("missing", 1, Optional.empty(),
                Optional.empty(), Optional.empty()));
        assertEquals(v3, store.load("case-1").orElseThrow());
    }

    // --- cases found by a provider's reference (schema V7) ---

    @Test
    void aProvidersNotificationFindsItsCaseByAReferenceOnceAWriteCarriedIt() {
        CaseRecord v1 = aCase("case-1").build();
        store.insert(v1);
        assertEquals(List.of(), store.findByProviderReference("sandbox", "SBX-APP-000001"));

        CaseRecord v2 = nextVersionOf(v1, T0.plusSeconds(1)).providerReferences("SBX-APP-000001", "SBX-ACC-000007")
                .build();
        store.update(v2, 1);
        // A later write that no longer carries a reference (a superseded application) keeps it findable.
        store.update(nextVersionOf(v2, T0.plusSeconds(2)).providerReferences("SBX-ACC-000007").build(), 2);

        assertAll(() -> assertEquals(List.of("case-1"), store.findByProviderReference("sandbox", "SBX-APP-000001")),
                () -> assertEquals(List.of("case-1"), store.findByProviderReference("sandbox", "SBX-ACC-000007")),
                () -> assertEquals(List.of(), store.findByProviderReference("sandbox", "SBX-APP-000002")),
                () -> assertEquals(3, store.load("case-1").orElseThrow().version()));
    }

    @Test
    void aReferenceIsFoundOnlyAmongTheCasesOfItsOwnProvider() {
        store.insert(aCase("case-a").providerId("sandbox").providerReferences("REF-1").build());
        store.insert(aCase("case-b").providerId("acme").providerReferences("REF-1").build());
        store.insert(aCase("case-c").providerId("acme").providerReferences("REF-1", "REF-2").build());

        assertAll(() -> assertEquals(List.of("case-a"), store.findByProviderReference("sandbox", "REF-1")),
                () -> assertEquals(List.of("case-b", "case-c"), store.findByProviderReference("acme", "REF-1")),
                () -> assertEquals(List.of(), store.findByProviderReference("sandbox", "REF-2")),
                () -> assertEquals(List.of(), store.findByProviderReference("other", "REF-1")));
    }

    @Test
    void aStaleWriteIndexesNoReferenceAndLoadedRecordsCarryNone() {
        CaseRecord v1 = aCase("case-1").providerReferences("REF-1").build();
        store.insert(v1);
        store.update(nextVersionOf(v1, T0.plusSeconds(1)).build(), 1);

        assertThrows(StaleCaseVersionException.class,
                () -> store.update(nextVersionOf(v1, T0.plusSeconds(2)).providerReferences("REF-LOST").build(), 1));

        assertAll(() -> assertEquals(List.of(), store.findByProviderReference("sandbox", "REF-LOST")),
                () -> assertEquals(List.of("case-1"), store.findByProviderReference("sandbox", "REF-1")),
                () -> assertEquals(java.util.Set.of(), store.load("case-1").orElseThrow().providerReferences()));
    }

    /**
     * Of instances starting a batch's rows, one at a time holds the right to (schema V12 on the JDBC stores): it may
     * renew it, others are refused until it gives it back or it expires, so together they never pass the batch's
     * cap on cases in flight.
     */
    @Test
    void oneInstanceAtATimeHoldsTheRightToStartABatchsRows() {
        Optional<BatchStore> found = store.batches();
        if (found.isEmpty()) {
            return; // a store that keeps no batches has nothing to start
        }
        BatchStore batches = found.get();
        batches.insert(new BatchRecord("fleet-1", BatchState.RUNNING, BatchOptions.defaults(), Actor.operator("ops-1"),
                0, T0, Optional.empty(), Optional.empty()), List.of());
        Instant until = T0.plusSeconds(30);

        assertTrue(batches.leaseStarting("fleet-1", "instance-a", T0, until));
        assertFalse(batches.leaseStarting("fleet-1", "instance-b", T0.plusSeconds(1), T0.plusSeconds(31)),
                "held by another");
        assertTrue(batches.leaseStarting("fleet-1", "instance-a", T0.plusSeconds(2), T0.plusSeconds(32)), "renewed");
        assertFalse(batches.leaseStarting("fleet-1", "instance-b", T0.plusSeconds(31), T0.plusSeconds(61)),
                "the renewal still holds");
        assertTrue(batches.leaseStarting("fleet-1", "instance-b", T0.plusSeconds(32), T0.plusSeconds(62)),
                "taken once expired (its holder died)");

        batches.releaseStarting("fleet-1", "instance-a");
        assertFalse(batches.leaseStarting("fleet-1", "instance-a", T0.plusSeconds(33), T0.plusSeconds(63)),
                "a former holder gives back nothing it no longer holds");
        batches.releaseStarting("fleet-1", "instance-b");
        assertTrue(batches.leaseStarting("fleet-1", "instance-a", T0.plusSeconds(34), T0.plusSeconds(64)),
                "free at once when given back");
        assertFalse(batches.leaseStarting("no-such-batch", "instance-a", T0, until), "an unknown batch");
    }
}
