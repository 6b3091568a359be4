package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

    @TempDir
    Path keyDirectory;

    private FileAuditKeyProvider keys;
    private InMemoryAuditStore store;
    private TestClock clock;

    @BeforeEach
    void setUp() {
        keys = FileAuditKeyProvider.generate(keyDirectory, "audit-1");
        store = new InMemoryAuditStore();
        clock = TestClock.at("2025-03-01T08:00:00Z");
    }

    private AuditTrail.Builder trail() {
        return AuditTrail.builder().store(store).keys(keys).clock(clock);
    }

    @Test
    void recordsAreNumberedFromOneAndChained() {
        AuditTrail trail = trail().build();
        AuditRecord first = trail.append(AuditFixtures.entry("case-alpha", 0));
        clock.advance(Duration.ofMillis(1));
        AuditRecord second = trail.append(AuditFixtures.entry("case-bravo", 1));

        assertEquals(1, first.sequence());
        assertEquals(AuditRecord.GENESIS_HASH, first.previousHash());
        assertEquals(Instant.parse("2025-03-01T08:00:00Z"), first.time());
        assertEquals(2, second.sequence());
        assertEquals(first.hash(), second.previousHash());
        assertTrue(first.hashMatches() && second.hashMatches());
        assertEquals(List.of(first, second), store.readRange(1, 2));
        assertEquals(List.of(second), store.readByCase("case-bravo"));
    }

    @Test
    void aCheckpointIsSignedEveryNRecords() {
        AuditTrail trail = trail().checkpointEveryRecords(3).checkpointInterval(Duration.ofDays(1)).build();
        for (int i = 0; i < 10; i++) {
            trail.append(AuditFixtures.entry("case-alpha", i));
        }
        List<Checkpoint> checkpoints = store.readCheckpoints(1, 100);
        assertEquals(List.of(3L, 6L, 9L), checkpoints.stream().map(Checkpoint::sequence).toList());
        for (Checkpoint checkpoint : checkpoints) {
            assertEquals(store.readRange(checkpoint.sequence(), checkpoint.sequence()).get(0).hash(), checkpoint.headHash());
            assertTrue(checkpoint.isSignedBy(keys.publicKey("audit-1").orElseThrow()));
        }
        VerificationReport report = trail.verify();
        assertTrue(report.intact(), report::describe);
        assertEquals(OptionalLong.of(9), report.lastSignedSequence());
        assertEquals(Optional.of(new SequenceRange(10, 10)), report.unsignedTail());
    }

    @Test
    void aCheckpointIsSignedOnceTheOldestUnsignedRecordIsTOld() {
        AuditTrail trail = trail().checkpointEveryRecords(1_000).checkpointInterval(Duration.ofSeconds(30)).build();
        trail.append(AuditFixtures.entry("case-alpha", 0));           // 08:00:00, oldest unsigned
        clock.advance(Duration.ofSeconds(20));
        trail.append(AuditFixtures.entry("case-alpha", 1));           // 08:00:20, 20 s: not yet
        assertTrue(store.latestCheckpoint().isEmpty());
        clock.advance(Duration.ofSeconds(10));
        trail.append(AuditFixtures.entry("case-alpha", 2));           // 08:00:30, 30 s: due

        Checkpoint checkpoint = store.latestCheckpoint().orElseThrow();
        assertEquals(3, checkpoint.sequence());
        assertEquals(Instant.parse("2025-03-01T08:00:30Z"), checkpoint.time());

        // The interval counts from the oldest unsigned record, not from the last checkpoint.
        clock.advance(Duration.ofMinutes(10));
        trail.append(AuditFixtures.entry("case-alpha", 3));
        assertEquals(3, store.latestCheckpoint().orElseThrow().sequence(), "a lone record after a quiet spell waits");
    }

    @Test
    void checkpointIfDueSignsRecordsLeftOverBeforeAQuietSpell() {
        AuditTrail trail = trail().checkpointInterval(Duration.ofSeconds(30)).build();
        trail.append(AuditFixtures.entry("case-alpha", 0));
        assertEquals(Optional.empty(), trail.checkpointIfDue());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(Optional.empty(), trail.checkpointIfDue());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, trail.checkpointIfDue().orElseThrow().sequence());
        clock.advance(Duration.ofHours(1));
        assertEquals(Optional.empty(), trail.checkpointIfDue(), "nothing new to sign");
    }

    @Test
    void whicheverComesFirstWins() {
        AuditTrail trail = trail().checkpointEveryRecords(5).checkpointInterval(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 5; i++) {
            trail.append(AuditFixtures.entry("case-alpha", i));      // five records at once: by count
        }
        trail.append(AuditFixtures.entry("case-alpha", 5));
        clock.advance(Duration.ofSeconds(10));
        trail.append(AuditFixtures.entry("case-alpha", 6));          // two records, ten seconds: by time
        assertEquals(List.of(5L, 7L), store.readCheckpoints(1, 100).stream().map(Checkpoint::sequence).toList());
    }

    @Test
    void checkpointNowSignsTheHeadUnlessItIsSignedAlready() {
        AuditTrail trail = trail().build();
        assertEquals(Optional.empty(), trail.checkpointNow(), "an empty trail has nothing to sign");
        trail.append(AuditFixtures.entry("case-alpha", 0));
        trail.append(AuditFixtures.entry("case-alpha", 1));
        Checkpoint checkpoint = trail.checkpointNow().orElseThrow();
        assertEquals(2, checkpoint.sequence());
        assertEquals("audit-1", checkpoint.keyId());
        assertEquals(Optional.empty(), trail.checkpointNow());
    }

    @Test
    void aNewTrailContinuesTheStoredChain() {
        AuditTrail first = trail().checkpointEveryRecords(4).checkpointInterval(Duration.ofSeconds(30)).build();
        for (int i = 0; i < 6; i++) {
            first.append(AuditFixtures.entry("case-alpha", i));
        }
        // Like a restart: a new trail over the same store picks up the head and the unsigned records' age.
        AuditTrail second = trail().checkpointEveryRecords(4).checkpointInterval(Duration.ofSeconds(30)).build();
        AuditRecord seventh = second.append(AuditFixtures.entry("case-alpha", 6));
        assertEquals(7, seventh.sequence());
        assertEquals(store.readRange(6, 6).get(0).hash(), seventh.previousHash());
        second.append(AuditFixtures.entry("case-alpha", 7));
        assertEquals(8, store.latestCheckpoint().orElseThrow().sequence(), "5 to 8 are four unsigned records");
        clock.advance(Duration.ofSeconds(30));
        AuditTrail third = trail().checkpointInterval(Duration.ofSeconds(30)).build();
        third.append(AuditFixtures.entry("case-alpha", 8));
        assertEquals(8, store.latestCheckpoint().orElseThrow().sequence(), "record 9 is brand new");
        assertTrue(third.verify().intact());
    }

    @Test
    void severalTrailsOnOneStoreKeepOneChain() throws Exception {
        AuditTrail one = trail().checkpointEveryRecords(7).build();
        AuditTrail two = trail().checkpointEveryRecords(7).build();
        for (int i = 0; i < 40; i++) {
            (i % 3 == 0 ? two : one).append(AuditFixtures.entry("case-alpha", i));
        }
        assertEquals(40, store.latestRecord().orElseThrow().sequence());
        VerificationReport report = AuditVerifier.trusting(keys).verifyStore(store);
        assertTrue(report.intact(), report::describe);
    }

    @Test
    void concurrentAppendsGetDistinctSequencesAndOneChain() throws Exception {
        AuditTrail trail = trail().checkpointEveryRecords(50).build();
        int threads = 8;
        int perThread = 250;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> sequences = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        sequences.add(trail.append(AuditFixtures.entry(AuditFixtures.CASES.get(thread % 4), i)).sequence());
                    }
                    return sequences;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(threads * perThread, all.size());
        } finally {
            pool.shutdownNow();
        }
        VerificationReport report = trail.verify();
        assertTrue(report.intact(), report::describe);
        assertEquals(threads * perThread, report.recordsChecked());
        assertEquals(OptionalLong.of(2_000), report.lastSignedSequence());
    }

    @Test
    void aFailingStoreLosesTheAppendButNotTheChain() {
        AtomicBoolean down = new AtomicBoolean();
        AuditStore flaky = new DelegatingStore(store) {
            @Override
            public void appendRecord(AuditRecord record) {
                if (down.get()) {
                    throw new PosUnbindException(CoreErrorCode.AUDIT_STORE_UNAVAILABLE, "database down");
                }
                super.appendRecord(record);
            }
        };
        AuditTrail trail = AuditTrail.builder().store(flaky).keys(keys).clock(clock).build();
        trail.append(AuditFixtures.entry("case-alpha", 0));
        down.set(true);
        PosUnbindException failure = assertThrows(PosUnbindException.class,
                () -> trail.append(AuditFixtures.entry("case-alpha", 1)));
        assertEquals(CoreErrorCode.AUDIT_STORE_UNAVAILABLE, failure.errorCode());
        assertTrue(failure.retryable());
        down.set(false);
        assertEquals(2, trail.append(AuditFixtures.entry("case-alpha", 1)).sequence());
        assertTrue(trail.verify().intact());
    }

    @Test
    void aSigningFailureKeepsTheRecordAndSignsLater() {
        AtomicBoolean keyMissing = new AtomicBoolean(true);
        AuditKeyProvider flakyKeys = new AuditKeyProvider() {
            @Override
            public AuditSigningKey currentSigningKey() {
                if (keyMissing.get()) {
                    throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "HSM offline");
                }
                return keys.currentSigningKey();
            }

            @Override
            public Optional<AuditPublicKey> publicKey(String keyId) {
                return keys.publicKey(keyId);
            }

            @Override
            public List<AuditPublicKey> publicKeys() {
                return keys.publicKeys();
            }
        };
        AuditTrail trail = AuditTrail.builder().store(store).keys(flakyKeys).clock(clock).checkpointEveryRecords(2).build();
        trail.append(AuditFixtures.entry("case-alpha", 0));
        AuditRecord second = trail.append(AuditFixtures.entry("case-alpha", 1));
        assertEquals(2, second.sequence(), "the record is kept although its checkpoint failed");
        assertTrue(store.latestCheckpoint().isEmpty());
        assertEquals(CoreErrorCode.AUDIT_KEY_UNAVAILABLE,
                assertThrows(PosUnbindException.class, trail::checkpointNow).errorCode());
        keyMissing.set(false);
        trail.append(AuditFixtures.entry("case-alpha", 2));
        assertEquals(3, store.latestCheckpoint().orElseThrow().sequence());
    }

    @Test
    void checkpointsArePublishedToTheListener() {
        List<Checkpoint> published = new CopyOnWriteArrayList<>();
        AuditTrail trail = trail().checkpointEveryRecords(2).onCheckpoint(published::add).build();
        for (int i = 0; i < 4; i++) {
            trail.append(AuditFixtures.entry("case-alpha", i));
        }
        assertEquals(store.readCheckpoints(1, 10), published);
        AuditTrail failingListener = trail().checkpointEveryRecords(1).onCheckpoint(checkpoint -> {
            throw new IllegalStateException("publisher down");
        }).build();
        assertEquals(5, failingListener.append(AuditFixtures.entry("case-alpha", 4)).sequence());
        assertEquals(5, store.latestCheckpoint().orElseThrow().sequence());
    }

    @Test
    void theBuilderRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AuditTrail.builder().checkpointEveryRecords(0));
        assertThrows(IllegalArgumentException.class, () -> AuditTrail.builder().checkpointInterval(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> AuditTrail.builder().store(store).build());
        assertFalse(trail().build().toString().isEmpty());
    }

    /** A store that passes every call on, for tests that make one call fail. */
    static class DelegatingStore implements AuditStore {
        private final AuditStore delegate;

        DelegatingStore(AuditStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void appendRecord(AuditRecord record) {
            delegate.appendRecord(record);
        }

        @Override
        public void appendCheckpoint(Checkpoint checkpoint) {
            delegate.appendCheckpoint(checkpoint);
        }

        @Override
        public List<AuditRecord> readRange(long fromSequence, long toSequence) {
            return delegate.readRange(fromSequence, toSequence);
        }

        @Override
        public List<AuditRecord> readAfter(long sequence, int limit) {
            return delegate.readAfter(sequence, limit);
        }

        @Override
        public List<AuditRecord> readByCase(String caseId) {
            return delegate.readByCase(caseId);
        }

        @Override
        public Optional<AuditRecord> latestRecord() {
            return delegate.latestRecord();
        }

        @Override
        public List<Checkpoint> readCheckpoints(long fromSequence, long toSequence) {
            return delegate.readCheckpoints(fromSequence, toSequence);
        }

        @Override
        public Optional<Checkpoint> latestCheckpointBefore(long sequence) {
            return delegate.latestCheckpointBefore(sequence);
        }

        @Override
        public Optional<Checkpoint> firstCheckpointAtOrAfter(long sequence) {
            return delegate.firstCheckpointAtOrAfter(sequence);
        }
    }
}
