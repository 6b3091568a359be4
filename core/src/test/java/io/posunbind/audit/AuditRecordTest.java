package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.internal.audit.AuditHashing;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRecordTest {

    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00.123456789Z");

    private static AuditEntry entry(String actorId, String detail) {
        return new AuditEntry(actorId, "operator", "COMMAND", AuditOutcome.SUCCESS, "api",
                AffectedResource.of("case-1", "0820000001", "898310058120001"), detail);
    }

    /**
     * Pins the canonical encoding: a verifier written elsewhere from the encoding documented on
     * {@link AuditRecord} must get this hash (it was cross-checked with a separate Python implementation
     * of that description). Changing it breaks every stored trail, so never "fix" this test by updating
     * the value.
     */
    @Test
    void theHashOfAKnownRecordNeverChanges() {
        AuditRecord record = AuditRecord.chain(1, T0, entry("operator:li.na", "documents submitted"),
                AuditRecord.GENESIS_HASH);
        assertEquals(KNOWN_HASH, record.hash());
        assertTrue(record.hashMatches());
    }

    static final String KNOWN_HASH = "f36a824483856dee10d1c909f7d111b9c8954a39394dc8d218a1940e654b1ad8";

    @Test
    void everyFieldIsCoveredByTheHash() {
        AuditRecord record = AuditRecord.chain(7, T0, entry("operator:li.na", "documents submitted"),
                AuditRecord.GENESIS_HASH);
        AffectedResource resource = record.resource();
        AuditRecord[] edits = {
                new AuditRecord(8, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time().plusNanos(1), record.actorId(), record.actorRole(), record.eventType(),
                        record.outcome(), record.origin(), resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), "operator:li.nb", record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), "merchant", record.eventType(), record.outcome(),
                        record.origin(), resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), "CASE_OPENED", record.outcome(),
                        record.origin(), resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(),
                        AuditOutcome.FAILURE, record.origin(), resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        "engine", resource, record.detail(), record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), AffectedResource.of("case-2", "0820000001", "898310058120001"), record.detail(),
                        record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), AffectedResource.of("case-1", "0820000002", "898310058120001"), record.detail(),
                        record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), AffectedResource.of("case-1", "0820000001", "898310058120002"), record.detail(),
                        record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), resource, record.detail() + ".", record.previousHash(), record.hash()),
                new AuditRecord(7, record.time(), record.actorId(), record.actorRole(), record.eventType(), record.outcome(),
                        record.origin(), resource, record.detail(), "1".repeat(64), record.hash())};
        for (AuditRecord edited : edits) {
            assertFalse(edited.hashMatches(), () -> "an edit went unnoticed: " + edited);
        }
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // "ab" + "c" and "a" + "bc" must not hash alike: every string is length-prefixed.
        String one = AuditHashing.contentDigest(T0, "ab", "c", "X", "SUCCESS", "o", "", "", "", "");
        String two = AuditHashing.contentDigest(T0, "a", "bc", "X", "SUCCESS", "o", "", "", "", "");
        assertNotEquals(one, two);
    }

    @Test
    void aLoneSurrogateDoesNotHashLikeAQuestionMark() {
        String questionMark = AuditHashing.contentDigest(T0, "a", "b", "X", "SUCCESS", "o", "", "", "", "?");
        String surrogate = AuditHashing.contentDigest(T0, "a", "b", "X", "SUCCESS", "o", "", "", "", "\uD800");
        assertNotEquals(questionMark, surrogate);
    }

    @Test
    void recordsChain() {
        AuditRecord first = AuditRecord.chain(1, T0, entry("a", "one"), AuditRecord.GENESIS_HASH);
        AuditRecord second = AuditRecord.chain(2, T0, entry("a", "two"), first.hash());
        assertEquals(first.hash(), second.previousHash());
        assertTrue(AuditHashing.isSha256Hex(second.hash()));
    }
}
