package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRotationTest {

    @TempDir
    Path keyDirectory;

    @Test
    void checkpointsSignedBeforeARotationStillVerify() throws Exception {
        FileAuditKeyProvider keys = FileAuditKeyProvider.generate(keyDirectory, "audit-2025-01");
        InMemoryAuditStore store = new InMemoryAuditStore();
        TestClock clock = TestClock.at("2025-01-31T23:00:00Z");
        AuditTrail trail = AuditTrail.builder().store(store).keys(keys).clock(clock).checkpointEveryRecords(10).build();
        for (int i = 0; i < 25; i++) {
            trail.append(AuditFixtures.entry("case-alpha", i));
        }
        keys.rotate("audit-2025-02");
        for (int i = 25; i < 50; i++) {
            trail.append(AuditFixtures.entry("case-alpha", i));
        }

        List<Checkpoint> checkpoints = store.readCheckpoints(1, Long.MAX_VALUE);
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), checkpoints.stream().map(Checkpoint::sequence).toList());
        assertEquals(List.of("audit-2025-01", "audit-2025-01", "audit-2025-02", "audit-2025-02", "audit-2025-02"),
                checkpoints.stream().map(Checkpoint::keyId).toList());

        // A verifier started later, from the published public keys alone, accepts both generations.
        FileAuditKeyProvider reopened = FileAuditKeyProvider.open(keyDirectory);
        assertEquals("audit-2025-02", reopened.currentSigningKey().keyId());
        VerificationReport report = AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(keyDirectory))
                .verifyStore(store);
        assertTrue(report.intact(), report::describe);
        assertEquals(5, report.checkpointsValid());
        assertEquals(OptionalLong.of(50), report.lastSignedSequence());
        assertEquals(List.of("audit-2025-01", "audit-2025-02"), report.keyIds());

        // Retiring the old private key does not matter to verification; dropping its public key does.
        Files.delete(keyDirectory.resolve("audit-2025-01.key.pem"));
        assertTrue(AuditVerifier.trusting(FileAuditKeyProvider.open(keyDirectory)).verifyStore(store).intact());
        Files.delete(keyDirectory.resolve("audit-2025-01.pub.pem"));
        VerificationReport withoutOldKey = AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(keyDirectory))
                .verifyStore(store);
        assertFalse(withoutOldKey.intact());
        assertEquals(List.of(10L, 20L), withoutOldKey.problemsOf(ProblemKind.UNKNOWN_KEY).stream()
                .map(problem -> problem.position().first()).toList());
    }

    @Test
    void aRotatedKeyIsUsedForTheNextCheckpointAtOnce() {
        FileAuditKeyProvider keys = FileAuditKeyProvider.generate(keyDirectory, "k1");
        AuditTrail trail = AuditTrail.builder().store(new InMemoryAuditStore()).keys(keys).build();
        trail.append(AuditFixtures.entry("case-alpha", 1));
        assertEquals("k1", trail.checkpointNow().orElseThrow().keyId());
        AuditSigningKey k2 = keys.rotate("k2");
        trail.append(AuditFixtures.entry("case-alpha", 2));
        Checkpoint second = trail.checkpointNow().orElseThrow();
        assertEquals("k2", second.keyId());
        assertTrue(second.isSignedBy(k2.publicKey()));
        assertEquals(2, keys.publicKeys().size());
    }
}
