package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AuditStore} must do. A store's test says how to open a new, empty store for each test. */
abstract class AuditStoreContract {

    static final Instant T0 = Instant.parse("2025-03-01T08:00:00.123456789Z");

    protected AuditStore store;

    protected abstract AuditStore openEmptyStore() throws Exception;

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

    /** Records 1..count, chained, cycling through the fixture cases. */
    static List<AuditRecord> chain(int count) {
        List<AuditRecord> records = new ArrayList<>();
        String previous = AuditRecord.GENESIS_HASH;
        for (int i = 1; i <= count; i++) {
            AuditRecord record = AuditRecord.chain(i, T0.plusNanos(i * 1_000_001L),
                    AuditFixtures.entry(AuditFixtures.CASES.get(i % AuditFixtures.CASES.size()), i), previous);
            records.add(record);
            previous = record.hash();
        }
        return records;
    }

    static Checkpoint checkpoint(AuditRecord head, AuditSigningKey key) {
        return Checkpoint.sign(head.sequence(), head.hash(), head.time(), key);
    }

    @Test
    void recordsReadBackExactlyAsAppended() {
        List<AuditRecord> records = chain(12);
        records.forEach(store::appendRecord);
        assertEquals(records, store.readRange(1, 12));
        assertEquals(records.subList(3, 7), store.readRange(4, 7));
        assertEquals(List.of(), store.readRange(7, 4));
        assertEquals(Optional.of(records.get(11)), store.latestRecord());
        // Instants keep their nanoseconds: the hash covers them.
        assertTrue(store.readRange(1, 12).stream().allMatch(AuditRecord::hashMatches));
    }

    @Test
    void readAfterPagesThroughTheTrail() {
        List<AuditRecord> records = chain(10);
        records.forEach(store::appendRecord);
        assertEquals(records.subList(0, 3), store.readAfter(0, 3));
        assertEquals(records.subList(8, 10), store.readAfter(8, 5));
        assertEquals(List.of(), store.readAfter(10, 5));
        assertThrows(IllegalArgumentException.class, () -> store.readAfter(0, 0));
    }

    @Test
    void aCasesRecordsAreFoundInOrder() {
        List<AuditRecord> records = chain(20);
        records.forEach(store::appendRecord);
        List<AuditRecord> expected = records.stream().filter(record -> record.caseId().equals("case-bravo")).toList();
        assertEquals(expected, store.readByCase("case-bravo"));
        assertEquals(List.of(), store.readByCase("no-such-case"));
    }

    @Test
    void anEmptyStoreHasNothing() {
        assertEquals(Optional.empty(), store.latestRecord());
        assertEquals(Optional.empty(), store.latestCheckpoint());
        assertEquals(List.of(), store.readRange(1, 100));
        assertEquals(Optional.empty(), store.firstCheckpointAtOrAfter(1));
    }

    @Test
    void aTakenSequenceIsRefused() {
        List<AuditRecord> records = chain(2);
        store.appendRecord(records.get(0));
        AuditRecord rival = AuditRecord.chain(1, T0, AuditFixtures.entry("case-alpha", 99), AuditRecord.GENESIS_HASH);
        PosUnbindException failure = assertThrows(PosUnbindException.class, () -> store.appendRecord(rival));
        assertEquals(CoreErrorCode.AUDIT_SEQUENCE_TAKEN, failure.errorCode());
        assertEquals(List.of(records.get(0)), store.readRange(1, 1), "the first writer's record stays");
    }

    @Test
    void checkpointsAreFoundAroundASequence() {
        AuditSigningKey key = AuditSigningKey.generate("k1");
        List<AuditRecord> records = chain(30);
        records.forEach(store::appendRecord);
        Checkpoint ten = checkpoint(records.get(9), key);
        Checkpoint twenty = checkpoint(records.get(19), key);
        store.appendCheckpoint(ten);
        store.appendCheckpoint(twenty);

        assertEquals(List.of(ten, twenty), store.readCheckpoints(1, Long.MAX_VALUE));
        assertEquals(List.of(twenty), store.readCheckpoints(11, 20));
        assertEquals(Optional.of(twenty), store.latestCheckpoint());
        assertEquals(Optional.of(ten), store.latestCheckpointBefore(20));
        assertEquals(Optional.empty(), store.latestCheckpointBefore(10));
        assertEquals(Optional.of(ten), store.firstCheckpointAtOrAfter(10));
        assertEquals(Optional.of(twenty), store.firstCheckpointAtOrAfter(11));
        assertEquals(Optional.empty(), store.firstCheckpointAtOrAfter(21));
        assertTrue(store.latestCheckpoint().orElseThrow().isSignedBy(key.publicKey()));

        PosUnbindException failure = assertThrows(PosUnbindException.class, () -> store.appendCheckpoint(ten));
        assertEquals(CoreErrorCode.AUDIT_SEQUENCE_TAKEN, failure.errorCode());
    }

    @Test
    void aTrailOnTheStoreVerifies() {
        AuditSigningKey key = AuditSigningKey.generate("k1");
        AuditKeyProvider keys = new SingleKeyProvider(key);
        TestClock clock = TestClock.at("2025-03-01T08:00:00Z");
        AuditTrail trail = AuditTrail.builder().store(store).keys(keys).clock(clock).checkpointEveryRecords(25).build();
        for (int i = 0; i < 120; i++) {
            trail.append(AuditFixtures.entry(AuditFixtures.CASES.get(i % 4), i));
            clock.advance(java.time.Duration.ofNanos(1_234_567));
        }
        VerificationReport report = AuditVerifier.trusting(List.of(key.publicKey())).verifyStore(store);
        assertTrue(report.intact(), report::describe);
        assertEquals(120, report.recordsChecked());
        assertEquals(4, report.checkpointsValid());

        EvidenceBundle bundle = trail.exportEvidence("case-charlie");
        assertTrue(AuditVerifier.trusting(List.of(key.publicKey())).verify(bundle).intact());
    }

    @Test
    void concurrentWritersOfOneSequenceHaveOneWinner() throws Exception {
        int writers = 4;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                AuditRecord rival = AuditRecord.chain(1, T0, AuditFixtures.entry("case-alpha", w), AuditRecord.GENESIS_HASH);
                Callable<Boolean> write = () -> {
                    start.await();
                    try {
                        store.appendRecord(rival);
                        return true;
                    } catch (PosUnbindException e) {
                        assertEquals(CoreErrorCode.AUDIT_SEQUENCE_TAKEN, e.errorCode());
                        return false;
                    }
                };
                results.add(pool.submit(write));
            }
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A key provider with one key, for store tests that need no files. */
    record SingleKeyProvider(AuditSigningKey key) implements AuditKeyProvider {
        @Override
        public AuditSigningKey currentSigningKey() {
            return key;
        }

        @Override
        public Optional<AuditPublicKey> publicKey(String keyId) {
            return Optional.of(key.publicKey()).filter(publicKey -> publicKey.keyId().equals(keyId));
        }

        @Override
        public List<AuditPublicKey> publicKeys() {
            return List.of(key.publicKey());
        }
    }
}
