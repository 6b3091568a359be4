package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvidenceBundleTest {

    @TempDir
    Path directory;

    private FileAuditKeyProvider keys;
    private InMemoryAuditStore store;
    private TestClock clock;
    private AuditTrail trail;

    /**
     * 120 records, a checkpoint every 20: case-delta's records are 45 to 95, every fifth record; the
     * others belong to case-alpha and case-bravo.
     */
    @BeforeEach
    void writeTrail() {
        keys = FileAuditKeyProvider.generate(directory.resolve("keys"), "audit-1");
        store = new InMemoryAuditStore();
        clock = TestClock.at("2025-03-01T08:00:00Z");
        trail = AuditTrail.builder().store(store).keys(keys).clock(clock).checkpointEveryRecords(20)
                .checkpointInterval(Duration.ofDays(1)).build();
        for (int i = 1; i <= 120; i++) {
            String caseId = i >= 45 && i <= 95 && i % 5 == 0 ? "case-delta" : i % 2 == 0 ? "case-alpha" : "case-bravo";
            trail.append(AuditFixtures.entry(caseId, i));
            clock.advance(Duration.ofMillis(1_500));
        }
    }

    @Test
    void aBundleRunsFromTheAnchorToTheCoveringCheckpoint() {
        EvidenceBundle bundle = trail.exportEvidence("case-delta");

        assertEquals(EvidenceBundle.FORMAT, bundle.format());
        assertEquals(40, bundle.anchor().orElseThrow().sequence(), "the last checkpoint before record 45");
        assertEquals(100, bundle.coveringCheckpoint().orElseThrow().sequence(), "the first checkpoint at or after 95");
        assertEquals(60, bundle.entries().size(), "records 41 to 100");
        assertEquals(41, bundle.entries().get(0).sequence());
        assertEquals(List.of(60L, 80L, 100L), bundle.checkpoints().stream().map(Checkpoint::sequence).toList());
        assertEquals(List.of(45L, 50L, 55L, 60L, 65L, 70L, 75L, 80L, 85L, 90L, 95L),
                bundle.caseRecords().stream().map(AuditRecord::sequence).toList());
        assertEquals(keys.publicKeys(), bundle.publicKeys());
        assertEquals(clock.instant(), bundle.exportedAt());

        VerificationReport report = AuditVerifier.trusting(keys).verify(bundle);
        assertTrue(report.intact(), report::describe);
        assertEquals(60, report.recordsChecked());
        assertEquals(OptionalLong.of(100), report.lastSignedSequence());
        assertEquals(Optional.empty(), report.unsignedTail());
        assertEquals(4, report.checkpointsValid(), "the anchor and three checkpoints");
    }

    @Test
    void otherCasesRecordsAreRedacted() {
        EvidenceBundle bundle = trail.exportEvidence("case-delta");
        for (EvidenceEntry entry : bundle.entries()) {
            assertEquals(entry.caseId().equals("case-delta"), entry instanceof EvidenceEntry.Full, entry::toString);
        }
        String json = bundle.toJson();
        // Other merchants' identifiers, actors and details stay out of the bundle.
        AuditRecord alpha = store.readByCase("case-alpha").get(0);
        assertFalse(json.contains(alpha.resource().merchantNumber()), "case-alpha's merchant number leaked");
        assertFalse(json.contains(alpha.resource().terminalSerial()), "case-alpha's terminal leaked");
        assertFalse(json.contains("on case-alpha"), "case-alpha's details leaked");
        assertTrue(json.contains("\"kind\" : \"redacted\""));
    }

    @Test
    void aBundleSurvivesJsonExactly() throws Exception {
        EvidenceBundle bundle = trail.exportEvidence("case-delta");
        assertEquals(bundle, EvidenceBundle.fromJson(bundle.toJson()));
        Path file = directory.resolve("case-delta.evidence.json");
        bundle.writeTo(file);
        EvidenceBundle read = EvidenceBundle.readFrom(file);
        assertEquals(bundle, read);
        assertTrue(AuditVerifier.trusting(keys).verify(read).intact());
    }

    @Test
    void aCaseFromTheFirstRecordHasNoAnchor() {
        EvidenceBundle bundle = trail.exportEvidence("case-bravo");
        assertEquals(Optional.empty(), bundle.anchor());
        assertEquals(1, bundle.entries().get(0).sequence());
        assertTrue(AuditVerifier.trusting(keys).verify(bundle).intact());
    }

    @Test
    void aCaseInTheUnsignedTailIsIntactButUnsignedUntilACheckpoint() {
        trail.append(AuditFixtures.entry("case-charlie", 121));
        trail.append(AuditFixtures.entry("case-charlie", 122));
        EvidenceBundle unsigned = trail.exportEvidence("case-charlie");
        assertEquals(120, unsigned.anchor().orElseThrow().sequence());
        assertEquals(Optional.empty(), unsigned.coveringCheckpoint());
        VerificationReport report = AuditVerifier.trusting(keys).verify(unsigned);
        assertTrue(report.intact());
        assertEquals(Optional.of(new SequenceRange(121, 122)), report.unsignedTail());

        trail.checkpointNow();
        VerificationReport signed = AuditVerifier.trusting(keys).verify(trail.exportEvidence("case-charlie"));
        assertTrue(signed.intact());
        assertEquals(Optional.empty(), signed.unsignedTail());
        assertEquals(OptionalLong.of(122), signed.lastSignedSequence());
    }

    @Test
    void theBundlesOwnKeysAreNotTrustedBlindly() {
        EvidenceBundle bundle = trail.exportEvidence("case-delta");
        AuditSigningKey forger = AuditSigningKey.generate("audit-1");
        List<Checkpoint> forged = bundle.checkpoints().stream()
                .map(checkpoint -> Checkpoint.sign(checkpoint.sequence(), checkpoint.headHash(), checkpoint.time(), forger))
                .toList();
        EvidenceBundle tampered = new EvidenceBundle(bundle.format(), bundle.caseId(), bundle.exportedAt(),
                bundle.anchor(), bundle.entries(), forged, List.of(forger.publicKey()));
        // Checked against the keys it carries, a re-signed bundle passes: that proves nothing.
        assertEquals(1, AuditVerifier.trusting(tampered.publicKeys()).verify(tampered)
                .problemsOf(ProblemKind.BAD_SIGNATURE).size(), "only the anchor, signed by the real key, fails");
        // Against the operator's published keys, every forged checkpoint fails.
        assertEquals(3, AuditVerifier.trusting(keys).verify(tampered).problemsOf(ProblemKind.BAD_SIGNATURE).size());
        assertFalse(forger.publicKey().sameKeyAs(keys.publicKeys().get(0)));
    }

    @Test
    void aCaseWithoutRecordsHasNoEvidence() {
        PosUnbindException failure = assertThrows(PosUnbindException.class, () -> trail.exportEvidence("case-zulu"));
        assertEquals(CoreErrorCode.CASE_NOT_FOUND, failure.errorCode());
        assertThrows(PosUnbindException.class, () -> trail.exportEvidence(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "null",
            "[]",
            "{}",
            "{\"format\":\"posunbind-audit-evidence/2\",\"caseId\":\"c\",\"exportedAt\":\"2025-03-01T08:00:00Z\","
                    + "\"anchor\":null,\"entries\":[],\"checkpoints\":[],\"publicKeys\":[]}",
            "{\"format\":\"posunbind-audit-evidence/1\",\"caseId\":\"c\",\"exportedAt\":\"2025-03-01T08:00:00Z\","
                    + "\"anchor\":null,\"entries\":[],\"checkpoints\":[],\"publicKeys\":[],\"extra\":1}",
            "{\"format\":\"posunbind-audit-evidence/1\",\"caseId\":\"c\",\"exportedAt\":\"yesterday\","
                    + "\"anchor\":null,\"entries\":[],\"checkpoints\":[],\"publicKeys\":[]}",
            "{\"format\":\"posunbind-audit-evidence/1\",\"caseId\":\"c\",\"exportedAt\":\"2025-03-01T08:00:00Z\","
                    + "\"anchor\":null,\"entries\":[{\"kind\":\"other\"}],\"checkpoints\":[],\"publicKeys\":[]}",
            "{\"format\":\"posunbind-audit-evidence/1\",\"caseId\":\"c\",\"exportedAt\":\"2025-03-01T08:00:00Z\","
                    + "\"anchor\":null,\"entries\":[],\"checkpoints\":[],\"publicKeys\":[{\"keyId\":\"k\",\"pem\":\"x\"}]}",
            "{\"format\":\"posunbind-audit-evidence/1\",\"caseId\":null,\"exportedAt\":\"2025-03-01T08:00:00Z\","
                    + "\"anchor\":null,\"entries\":[],\"checkpoints\":[],\"publicKeys\":[]}",
            "{\"format\":\"posunbind-audit-evidence/1\",\"caseId\":\"c\",\"exportedAt\":\"2025-03-01T08:00:00Z\","
                    + "\"anchor\":null,\"entries\":[{\"kind\":\"redacted\",\"sequence\":\"one\"}],\"checkpoints\":[],"
                    + "\"publicKeys\":[]}",
            "{\"format\":\"posunbind-audit-evidence/1\"} trailing"})
    void anythingButABundleIsRefusedWithACode(String json) {
        PosUnbindException failure = assertThrows(PosUnbindException.class, () -> EvidenceBundle.fromJson(json));
        assertEquals(CoreErrorCode.AUDIT_EVIDENCE_INVALID, failure.errorCode());
    }

    @Test
    void aTruncatedFileIsRefusedWithACode() {
        String json = trail.exportEvidence("case-delta").toJson();
        for (int cut : new int[] {1, json.length() / 3, json.length() / 2, json.length() - 2}) {
            PosUnbindException failure = assertThrows(PosUnbindException.class,
                    () -> EvidenceBundle.fromJson(json.substring(0, cut)));
            assertEquals(CoreErrorCode.AUDIT_EVIDENCE_INVALID, failure.errorCode());
        }
        assertThrows(UncheckedIOException.class, () -> EvidenceBundle.readFrom(directory.resolve("missing.json")));
    }

    @Test
    void timesKeepTheirNanoseconds() {
        clock.advance(Duration.ofNanos(123_456_789));
        trail.append(AuditFixtures.entry("case-foxtrot", 1));
        EvidenceBundle bundle = EvidenceBundle.fromJson(trail.exportEvidence("case-foxtrot").toJson());
        Instant time = bundle.caseRecords().get(0).time();
        assertEquals(Instant.parse("2025-03-01T08:03:00.123456789Z"), time);
        assertTrue(AuditVerifier.trusting(keys).verify(bundle).intact());
    }
}
