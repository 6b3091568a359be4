package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifier's exact findings for one tampering at a time, on a trail of 30 records signed every 10. */
class AuditVerifierTest {

    private final AuditSigningKey key = AuditSigningKey.generate("audit-1");
    private List<AuditRecord> log;
    private List<Checkpoint> checkpoints;
    private AuditVerifier verifier;

    @BeforeEach
    void writeTrail() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        TestClock clock = TestClock.at("2025-03-01T08:00:00Z");
        AuditTrail trail = AuditTrail.builder().store(store).keys(new AuditStoreContract.SingleKeyProvider(key))
                .clock(clock).checkpointEveryRecords(10).checkpointInterval(Duration.ofDays(1)).build();
        for (int i = 1; i <= 30; i++) {
            trail.append(AuditFixtures.entry(AuditFixtures.CASES.get(i % 4), i));
            clock.advance(Duration.ofSeconds(1));
        }
        log = store.readRange(1, 30);
        checkpoints = store.readCheckpoints(1, 30);
        verifier = AuditVerifier.trusting(List.of(key.publicKey()));
    }

    private List<String> findings(List<AuditRecord> records, List<Checkpoint> checkpointList) {
        return verifier.verifyLog(records, checkpointList).problems().stream()
                .map(problem -> problem.kind() + " " + problem.position()).toList();
    }

    @Test
    void anUntouchedTrailIsIntactAndFullySigned() {
        VerificationReport report = verifier.verifyLog(log, checkpoints);
        assertTrue(report.intact());
        assertEquals(30, report.recordsChecked());
        assertEquals(Optional.of(new SequenceRange(1, 30)), report.checkedRange());
        assertEquals(3, report.checkpointsValid());
        assertEquals(OptionalLong.of(30), report.lastSignedSequence());
        assertEquals(Optional.empty(), report.unsignedTail());
        assertTrue(report.describe().startsWith("INTACT"));
    }

    @Test
    void anEmptyTrailIsIntact() {
        VerificationReport report = verifier.verifyLog(List.of(), List.of());
        assertTrue(report.intact());
        assertEquals(Optional.empty(), report.checkedRange());
    }

    @Test
    void anEditIsPlacedOnTheRecord() {
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(14, TamperingCampaignTest.RecordField.OUTCOME.change(log.get(14), null));
        assertEquals(List.of("EDITED 15"), findings(records, checkpoints));
    }

    @Test
    void anEditWithARecomputedHashIsPlacedOnTheRecordAndItsSuccessor() {
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(14, TamperingCampaignTest.rehash(TamperingCampaignTest.RecordField.DETAIL.change(log.get(14), null)));
        assertEquals(List.of("EDITED 15..16"), findings(records, checkpoints));
        records.set(19, TamperingCampaignTest.rehash(TamperingCampaignTest.RecordField.DETAIL.change(log.get(19), null)));
        assertEquals(List.of("CHECKPOINT_MISMATCH 11..20", "EDITED 15..16", "EDITED 20..21"),
                findings(records, checkpoints));
    }

    @Test
    void deletionsInsertionsAndMovesArePlaced() {
        List<AuditRecord> deleted = new ArrayList<>(log);
        deleted.subList(4, 7).clear();
        assertEquals(List.of("DELETED 5..7"), findings(deleted, checkpoints));

        List<AuditRecord> inserted = new ArrayList<>(log);
        inserted.add(8, AuditRecord.chain(9, log.get(8).time(), AuditFixtures.entry("case-alpha", 99), log.get(7).hash()));
        assertEquals(List.of("INSERTED 9"), findings(inserted, checkpoints));

        List<AuditRecord> moved = new ArrayList<>(log);
        moved.add(2, moved.remove(25));
        assertEquals(List.of("REORDERED 26"), findings(moved, checkpoints));
    }

    @Test
    void truncationIsPlacedFromTheCutToTheLastSignature() {
        assertEquals(List.of("TRUNCATED 24..30"), findings(log.subList(0, 23), checkpoints));
        // Cut together with its checkpoints, only a witness kept elsewhere can tell.
        assertEquals(List.of(), findings(log.subList(0, 23), checkpoints.subList(0, 2)));
        VerificationReport witnessed = verifier.withWitness(checkpoints.get(2))
                .verifyLog(log.subList(0, 23), checkpoints.subList(0, 2));
        assertEquals(List.of("TRUNCATED 24..30"), witnessed.problems().stream()
                .map(problem -> problem.kind() + " " + problem.position()).toList());
    }

    @Test
    void checkpointsAreCheckedWithTheTrustedKeysOnly() {
        List<Checkpoint> forged = new ArrayList<>(checkpoints);
        forged.set(1, Checkpoint.sign(20, checkpoints.get(1).headHash(), checkpoints.get(1).time(),
                AuditSigningKey.generate("audit-1")));
        forged.set(2, Checkpoint.sign(30, checkpoints.get(2).headHash(), checkpoints.get(2).time(),
                AuditSigningKey.generate("audit-9")));
        VerificationReport report = verifier.verifyLog(log, forged);
        assertEquals(List.of("BAD_SIGNATURE 20", "UNKNOWN_KEY 30"), report.problems().stream()
                .map(problem -> problem.kind() + " " + problem.position()).toList());
        assertEquals(OptionalLong.of(10), report.lastSignedSequence());
        assertEquals(Optional.of(new SequenceRange(11, 30)), report.unsignedTail());
    }

    @Test
    void aStoreAndTheSameLogAsListsGiveTheSameReport() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        log.forEach(store::appendRecord);
        checkpoints.forEach(store::appendCheckpoint);
        assertEquals(verifier.verifyLog(log, checkpoints), verifier.verifyStore(store));
    }

    @Test
    void aProblemSaysWhatAndWhere() {
        VerificationProblem problem = VerificationProblem.over(ProblemKind.DELETED, 5, 7, "3 record(s) missing");
        assertEquals("DELETED at 5..7: 3 record(s) missing", problem.toString());
        assertTrue(problem.concerns(6));
        assertThrows(IllegalArgumentException.class, () -> new SequenceRange(7, 5));
    }
}
