package io.posunbind.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.UsageRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backups of an old terminal: sealed, read back, and every kind of damage reported where it is.
 * The usual backup here has 350 usage records in chunks of 100: chunk 0 holds the settings, chunk 1
 * records 0–99, chunk 2 records 100–199, chunk 3 records 200–299 and chunk 4 records 300–349.
 */
class BackupVaultTest {

    static final String CASE = "case-0001";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2025-06-03T08:15:30.123456789Z");

    private final DataKey key1 = DataKey.generate("2025-01", RANDOM);
    private final BackupVault vault = vault(StaticDataKeyProvider.of(key1));
    private final TerminalDataExport export = export(350);
    private final SealedBackup sealed = vault.seal(CASE, export);

    static TerminalDataExport export(int records) {
        List<UsageRecord> usage = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            usage.add(new UsageRecord("T" + i, NOW.minusSeconds(60L * i), Money.cny(100 + i), i % 7 == 0 ? "REFUND"
                    : "SALE", "SETTLED", "625094******" + String.format("%04d", i)));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("printer", "enabled");
        settings.put("商户名称", "上海测试商户");
        settings.put("receiptFooter", "谢谢惠顾");
        return new TerminalDataExport("0820000001", usage, settings);
    }

    static BackupVault vault(StaticDataKeyProvider keys) {
        return BackupVault.builder().keys(keys).recordsPerChunk(100).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    // --- reading back ---------------------------------------------------------------------------------------

    @Test
    void roundTripThroughJson() {
        SealedBackup stored = SealedBackup.fromJson(sealed.toJson());
        assertEquals(sealed, stored);
        assertEquals(export, vault.open(CASE, stored));
        BackupVerification report = vault.verify(CASE, stored);
        assertTrue(report.intact(), report.summary());
        assertEquals(5, report.authenticChunks());
    }

    @Test
    void layoutIsASettingsChunkThenOneChunkPerHundredRecords() {
        assertEquals(5, sealed.chunkCount());
        assertEquals(List.of("settings", "usage records 0–99", "usage records 100–199", "usage records 200–299",
                "usage records 300–349"), sealed.manifest().chunks().stream().map(ChunkDescriptor::describe).toList());
        assertEquals(350, sealed.manifest().usageRecordCount());
        assertEquals(3, sealed.manifest().settingCount());
        assertEquals(NOW, sealed.sealedAt());
        assertEquals("2025-01", sealed.keyId());
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "1, 2", "100, 2", "101, 3", "1000, 11"})
    void edgeSizesRoundTrip(int records, int chunks) {
        TerminalDataExport small = export(records);
        SealedBackup backup = vault.seal(CASE, small);
        assertEquals(chunks, backup.chunkCount());
        assertEquals(small, vault.open(CASE, SealedBackup.fromJson(backup.toJson())));
    }

    @Test
    void sealAndVerifyProvesTheBackupReadsBack() {
        SealedBackup proven = vault.sealAndVerify(CASE, export);
        assertEquals(export, vault.open(CASE, proven));
    }

    @Test
    void aBackupThatReadsBackWithOtherDataIsNotProvenAndNothingMayBeUnbound() {
        // Authentic (sealed by this vault for this case) but not what the terminal holds: one usage record short.
        String storedWithOtherData = vault.seal(CASE, export(349)).toJson();

        BackupException refused = assertThrows(BackupException.class,
                () -> vault.proveReadBack(CASE, export, storedWithOtherData));

        assertEquals(CoreErrorCode.BACKUP_UNVERIFIED, refused.errorCode());
        assertTrue(refused.getMessage().contains("differs from the terminal's data; nothing was unbound"),
                refused.getMessage());
    }

    @Test
    void aBackupWhoseStoredFormIsDamagedIsNotProvenAndSaysWhy() {
        String damaged = withChunk(sealed, 2, chunk -> flipBit(chunk, "ciphertext", 17)).toJson();

        BackupException refused = assertThrows(BackupException.class, () -> vault.proveReadBack(CASE, export, damaged));

        assertEquals(CoreErrorCode.BACKUP_UNVERIFIED, refused.errorCode());
        assertTrue(refused.getMessage().contains("cannot be read back (" + CoreErrorCode.BACKUP_TAMPERED.code() + ")"),
                refused.getMessage());
        assertKinds(refused.verification().orElseThrow(), BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION);
    }

    @Test
    void sealingTwiceGivesFreshNoncesAndIds() {
        SealedBackup again = vault.seal(CASE, export);
        assertNotEquals(sealed.backupId(), again.backupId());
        assertNotEquals(sealed.manifestNonce(), again.manifestNonce());
        Set<String> nonces = new HashSet<>();
        for (SealedBackup backup : List.of(sealed, again)) {
            nonces.add(backup.manifestNonce());
            for (SealedChunk chunk : backup.chunks()) {
                nonces.add(chunk.nonce());
            }
        }
        assertEquals(12, nonces.size(), "every chunk and manifest of both backups has its own nonce");
        for (int i = 0; i < sealed.chunkCount(); i++) {
            assertNotEquals(sealed.chunks().get(i).ciphertext(), again.chunks().get(i).ciphertext());
        }
        assertEquals(export, vault.open(CASE, again));
    }

    @Test
    void oldBackupsOpenAfterKeyRotation() {
        DataKey key2 = DataKey.generate("2025-06", RANDOM);
        BackupVault rotated = vault(StaticDataKeyProvider.of(key2, key1));
        assertEquals(export, rotated.open(CASE, sealed));
        SealedBackup fresh = rotated.seal(CASE, export);
        assertEquals("2025-06", fresh.keyId());
        assertEquals(export, rotated.open(CASE, fresh));
    }

    @Test
    void aDroppedKeyIsReportedByItsId() {
        BackupVault withoutKey1 = vault(StaticDataKeyProvider.of(DataKey.generate("2025-06", RANDOM)));
        BackupVerification report = withoutKey1.verify(CASE, sealed);
        assertKinds(report, BackupProblem.Kind.UNKNOWN_KEY);
        BackupException e = assertThrows(BackupException.class, () -> withoutKey1.open(CASE, sealed));
        assertEquals(CoreErrorCode.DATA_KEY_UNKNOWN, e.errorCode());
        assertTrue(e.getMessage().contains("2025-01"), e.getMessage());
    }

    @Test
    void anotherKeyUnderTheSameIdFailsEverything() {
        BackupVault impostor = vault(StaticDataKeyProvider.of(DataKey.generate("2025-01", RANDOM)));
        BackupVerification report = impostor.verify(CASE, sealed);
        assertEquals(1, report.problems(BackupProblem.Kind.MANIFEST_TAMPERED).size());
        assertEquals(5, report.problems(BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION).size());
    }

    // --- tampering, by position -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} of chunk {1}")
    @CsvSource({"ciphertext, 0", "ciphertext, 1", "ciphertext, 3", "ciphertext, 4",
            "tag, 0", "tag, 2", "tag, 3", "tag, 4",
            "nonce, 0", "nonce, 1", "nonce, 3", "nonce, 4"})
    void aFlippedBitIsReportedAtItsChunk(String field, int index) {
        SealedBackup tampered = withChunk(sealed, index, chunk -> flipBit(chunk, field, RANDOM.nextInt(1 << 20)));
        BackupVerification report = vault.verify(CASE, tampered);
        assertKinds(report, BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION);
        BackupProblem problem = report.problems().get(0);
        assertEquals(OptionalInt.of(index), problem.chunk());
        assertEquals(4, report.authenticChunks());
        if (index == 3) {
            assertTrue(problem.message().startsWith("chunk 3 (usage records 200–299) fails authentication"),
                    problem.message());
        }
        BackupException e = assertThrows(BackupException.class, () -> vault.open(CASE, tampered));
        assertEquals(CoreErrorCode.BACKUP_TAMPERED, e.errorCode());
        assertEquals(report, e.verification().orElseThrow());
    }

    @Test
    void randomBitFlipCampaignAlwaysFindsTheChunk() {
        int flips = 1000;
        int detectedAtTheRightChunk = 0;
        String[] fields = {"nonce", "ciphertext", "tag"};
        for (int i = 0; i < flips; i++) {
            int index = RANDOM.nextInt(sealed.chunkCount());
            SealedBackup tampered = withChunk(sealed, index,
                    chunk -> flipBit(chunk, fields[RANDOM.nextInt(3)], RANDOM.nextInt(Integer.MAX_VALUE)));
            BackupVerification report = vault.verify(CASE, tampered);
            if (report.problems().size() == 1
                    && report.problems().get(0).kind() == BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION
                    && report.problems().get(0).chunk().equals(OptionalInt.of(index))) {
                detectedAtTheRightChunk++;
            }
        }
        assertEquals(flips, detectedAtTheRightChunk);
    }

    @Test
    void everyChangedCharacterOfAStoredChunkIsReportedAtItsChunk() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!";
        String[] fields = {"nonce", "ciphertext", "tag"};
        int changes = 600;
        int reportedAtTheRightChunk = 0;
        for (int i = 0; i < changes; i++) {
            int index = RANDOM.nextInt(sealed.chunkCount());
            String field = fields[RANDOM.nextInt(3)];
            // Favour the last characters, where base64 hides unused bits and padding.
            SealedBackup tampered = withChunk(sealed, index, chunk -> {
                String text = field.equals("nonce") ? chunk.nonce() : field.equals("tag") ? chunk.tag()
                        : chunk.ciphertext();
                int at = RANDOM.nextBoolean() ? text.length() - 1 - RANDOM.nextInt(Math.min(3, text.length()))
                        : RANDOM.nextInt(text.length());
                char replacement;
                do {
                    replacement = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
                } while (replacement == text.charAt(at));
                String changed = text.substring(0, at) + replacement + text.substring(at + 1);
                return new SealedChunk(chunk.index(), field.equals("nonce") ? changed : chunk.nonce(),
                        field.equals("ciphertext") ? changed : chunk.ciphertext(),
                        field.equals("tag") ? changed : chunk.tag());
            });
            BackupVerification report = vault.verify(CASE, tampered);
            if (report.problems().size() == 1 && report.problems().get(0).chunk().equals(OptionalInt.of(index))) {
                reportedAtTheRightChunk++;
            }
        }
        assertEquals(changes, reportedAtTheRightChunk);
    }

    @Test
    void aDamagedBase64FieldIsMalformedAtItsChunk() {
        SealedBackup tampered = withChunk(sealed, 2, chunk -> new SealedChunk(chunk.index(), chunk.nonce(),
                "!" + chunk.ciphertext().substring(1), chunk.tag()));
        BackupVerification report = vault.verify(CASE, tampered);
        assertKinds(report, BackupProblem.Kind.CHUNK_MALFORMED);
        assertEquals(OptionalInt.of(2), report.problems().get(0).chunk());
        assertEquals(CoreErrorCode.BACKUP_MALFORMED,
                assertThrows(BackupException.class, () -> vault.open(CASE, tampered)).errorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonce", "tag"})
    void aShortenedNonceOrTagIsMalformedAtItsChunk(String field) {
        SealedBackup tampered = withChunk(sealed, 1, chunk -> new SealedChunk(chunk.index(),
                field.equals("nonce") ? "AAAA" : chunk.nonce(), chunk.ciphertext(),
                field.equals("tag") ? "AAAA" : chunk.tag()));
        BackupVerification report = vault.verify(CASE, tampered);
        assertKinds(report, BackupProblem.Kind.CHUNK_MALFORMED);
        assertTrue(report.problems().get(0).message().contains(field), report.summary());
    }

    @Test
    void swappedChunksAreOutOfOrder() {
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        chunks.set(2, sealed.chunks().get(3));
        chunks.set(3, sealed.chunks().get(2));
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertKinds(report, BackupProblem.Kind.CHUNK_OUT_OF_ORDER);
        BackupProblem problem = report.problems().get(0);
        assertEquals(OptionalInt.of(2), problem.chunk());
        assertEquals(OptionalInt.of(3), problem.position());
        assertEquals(5, report.authenticChunks(), "the chunks themselves are authentic, only misplaced");
        assertEquals(CoreErrorCode.BACKUP_TAMPERED, assertThrows(BackupException.class,
                () -> vault.open(CASE, sealed.withChunks(chunks))).errorCode());
    }

    @Test
    void swappedContentsUnderTheOriginalIndexesFailAuthenticationAtBoth() {
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        SealedChunk two = sealed.chunks().get(2);
        SealedChunk three = sealed.chunks().get(3);
        chunks.set(2, new SealedChunk(2, three.nonce(), three.ciphertext(), three.tag()));
        chunks.set(3, new SealedChunk(3, two.nonce(), two.ciphertext(), two.tag()));
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertEquals(List.of(OptionalInt.of(2), OptionalInt.of(3)),
                report.problems(BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION).stream().map(BackupProblem::chunk).toList());
        assertEquals(2, report.problems().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4})
    void aDroppedChunkIsMissing(int index) {
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        chunks.remove(index);
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertKinds(report, BackupProblem.Kind.CHUNK_MISSING);
        assertEquals(OptionalInt.of(index), report.problems().get(0).chunk());
    }

    @Test
    void allChunksDroppedAreAllMissing() {
        BackupVerification report = vault.verify(CASE, sealed.withChunks(List.of()));
        assertEquals(5, report.problems(BackupProblem.Kind.CHUNK_MISSING).size());
    }

    @Test
    void aDuplicatedChunkIsReportedAtItsSecondPosition() {
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        chunks.add(3, sealed.chunks().get(2));
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertKinds(report, BackupProblem.Kind.CHUNK_DUPLICATED);
        assertEquals(OptionalInt.of(2), report.problems().get(0).chunk());
        assertEquals(OptionalInt.of(3), report.problems().get(0).position());
    }

    @Test
    void anExtraChunkIsUnexpected() {
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        SealedChunk last = sealed.chunks().get(4);
        chunks.add(new SealedChunk(5, last.nonce(), last.ciphertext(), last.tag()));
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertKinds(report, BackupProblem.Kind.CHUNK_UNEXPECTED);
        assertEquals(OptionalInt.of(5), report.problems().get(0).position());
    }

    @Test
    void aChangedChunkIndexIsUnexpectedAndLeavesAGap() {
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        SealedChunk two = sealed.chunks().get(2);
        chunks.set(2, new SealedChunk(9, two.nonce(), two.ciphertext(), two.tag()));
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertKinds(report, BackupProblem.Kind.CHUNK_UNEXPECTED, BackupProblem.Kind.CHUNK_MISSING);
        assertEquals(OptionalInt.of(2), report.problems(BackupProblem.Kind.CHUNK_MISSING).get(0).chunk());
    }

    @Test
    void aChunkFromAnotherBackupOfTheSameCaseFailsAuthentication() {
        SealedBackup other = vault.seal(CASE, export);
        List<SealedChunk> chunks = new ArrayList<>(sealed.chunks());
        chunks.set(2, other.chunks().get(2));
        BackupVerification report = vault.verify(CASE, sealed.withChunks(chunks));
        assertKinds(report, BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION);
        assertEquals(OptionalInt.of(2), report.problems().get(0).chunk());
    }

    @Test
    void aBackupOfAnotherCaseIsReportedAsSuchAndOtherwiseIntact() {
        BackupVerification report = vault.verify("case-0002", sealed);
        assertKinds(report, BackupProblem.Kind.WRONG_CASE);
        assertTrue(report.problems().get(0).message().contains("case-0001"));
        BackupException e = assertThrows(BackupException.class, () -> vault.open("case-0002", sealed));
        assertEquals(CoreErrorCode.BACKUP_WRONG_CASE, e.errorCode());
    }

    @Test
    void relabellingABackupForAnotherCaseFailsEverywhere() {
        SealedBackup relabelled = new SealedBackup(sealed.formatVersion(), sealed.backupId(), "case-0002",
                sealed.keyId(), sealed.sealedAt(), sealed.chunkCount(), sealed.manifest(), sealed.manifestNonce(),
                sealed.manifestTag(), sealed.chunks());
        BackupVerification report = vault.verify("case-0002", relabelled);
        assertEquals(1, report.problems(BackupProblem.Kind.MANIFEST_TAMPERED).size());
        assertEquals(5, report.problems(BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION).size());
        assertEquals(CoreErrorCode.BACKUP_TAMPERED,
                assertThrows(BackupException.class, () -> vault.open("case-0002", relabelled)).errorCode());
    }

    @Test
    void aChangedTimestampIsAHeaderProblemOnly() {
        SealedBackup changed = new SealedBackup(sealed.formatVersion(), sealed.backupId(), sealed.caseId(),
                sealed.keyId(), sealed.sealedAt().plusSeconds(1), sealed.chunkCount(), sealed.manifest(),
                sealed.manifestNonce(), sealed.manifestTag(), sealed.chunks());
        assertKinds(vault.verify(CASE, changed), BackupProblem.Kind.MANIFEST_TAMPERED);
    }

    @Test
    void aFlippedManifestTagIsAHeaderProblemOnly() {
        byte[] tag = Base64.getDecoder().decode(sealed.manifestTag());
        tag[5] ^= 0x10;
        SealedBackup changed = new SealedBackup(sealed.formatVersion(), sealed.backupId(), sealed.caseId(),
                sealed.keyId(), sealed.sealedAt(), sealed.chunkCount(), sealed.manifest(),
                sealed.manifestNonce(), Base64.getEncoder().encodeToString(tag), sealed.chunks());
        assertKinds(vault.verify(CASE, changed), BackupProblem.Kind.MANIFEST_TAMPERED);
    }

    @Test
    void aShiftedManifestEntryFailsItsChunkAndTheManifest() {
        // Make chunk 3 claim records 200-298 and chunk 4 records 299-349: still a consistent manifest.
        List<ChunkDescriptor> entries = new ArrayList<>(sealed.manifest().chunks());
        entries.set(3, new ChunkDescriptor(3, ChunkContent.USAGE_RECORDS, 200, 99));
        entries.set(4, new ChunkDescriptor(4, ChunkContent.USAGE_RECORDS, 299, 51));
        SealedBackup changed = new SealedBackup(sealed.formatVersion(), sealed.backupId(), sealed.caseId(),
                sealed.keyId(), sealed.sealedAt(), sealed.chunkCount(),
                new BackupManifest(350, 3, entries), sealed.manifestNonce(), sealed.manifestTag(), sealed.chunks());
        BackupVerification report = vault.verify(CASE, changed);
        assertEquals(1, report.problems(BackupProblem.Kind.MANIFEST_TAMPERED).size());
        assertEquals(List.of(OptionalInt.of(3), OptionalInt.of(4)),
                report.problems(BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION).stream().map(BackupProblem::chunk).toList());
    }

    @Test
    void anInconsistentManifestIsInvalid() {
        SealedBackup fewerChunks = new SealedBackup(sealed.formatVersion(), sealed.backupId(), sealed.caseId(),
                sealed.keyId(), sealed.sealedAt(), 4, sealed.manifest(), sealed.manifestNonce(), sealed.manifestTag(),
                sealed.chunks().subList(0, 4));
        BackupVerification report = vault.verify(CASE, fewerChunks);
        assertEquals(1, report.problems(BackupProblem.Kind.MANIFEST_INVALID).size(), report.summary());

        SealedBackup moreRecords = new SealedBackup(sealed.formatVersion(), sealed.backupId(), sealed.caseId(),
                sealed.keyId(), sealed.sealedAt(), sealed.chunkCount(), new BackupManifest(351, 3,
                sealed.manifest().chunks()), sealed.manifestNonce(), sealed.manifestTag(), sealed.chunks());
        assertTrue(vault.verify(CASE, moreRecords).problems().stream()
                .anyMatch(p -> p.kind() == BackupProblem.Kind.MANIFEST_INVALID));

        SealedBackup hugeCount = new SealedBackup(sealed.formatVersion(), sealed.backupId(), sealed.caseId(),
                sealed.keyId(), sealed.sealedAt(), Integer.MAX_VALUE, sealed.manifest(), sealed.manifestNonce(),
                sealed.manifestTag(), sealed.chunks());
        assertTrue(vault.verify(CASE, hugeCount).problems().stream()
                .anyMatch(p -> p.kind() == BackupProblem.Kind.MANIFEST_INVALID));
    }

    @Test
    void anUnknownFormatVersionIsUnsupported() {
        SealedBackup future = new SealedBackup(2, sealed.backupId(), sealed.caseId(), sealed.keyId(),
                sealed.sealedAt(), sealed.chunkCount(), sealed.manifest(), sealed.manifestNonce(),
                sealed.manifestTag(), sealed.chunks());
        assertKinds(vault.verify(CASE, future), BackupProblem.Kind.UNSUPPORTED_FORMAT);
        assertEquals(CoreErrorCode.BACKUP_MALFORMED,
                assertThrows(BackupException.class, () -> vault.open(CASE, future)).errorCode());
    }

    // --- storage form ---------------------------------------------------------------------------------------

    @Test
    void jsonHasTheDocumentedShape() {
        String json = sealed.toJson();
        assertTrue(json.startsWith("{\"formatVersion\":1,\"backupId\":\"" + sealed.backupId() + "\",\"caseId\":\""
                + CASE + "\",\"keyId\":\"2025-01\",\"sealedAt\":\"2025-06-03T08:15:30.123456789Z\",\"chunkCount\":5,"
                + "\"manifest\":{\"usageRecordCount\":350,\"settingCount\":3,\"chunks\":[{\"index\":0,"
                + "\"content\":\"SETTINGS\",\"firstRecord\":0,\"recordCount\":3},"), json.substring(0, 400));
        assertTrue(json.contains("\"manifestNonce\":\""));
        assertTrue(json.contains("\"chunks\":[{\"index\":0,\"nonce\":\""));
        assertTrue(sealed.backupId().matches("[0-9a-f]{32}"));
        for (String clear : List.of("0820000001", "上海测试商户", "printer", "SETTLED", "625094")) {
            assertFalse(json.contains(clear), clear);
        }
    }

    @Test
    void everyTruncationOfTheJsonIsMalformedWithItsPlace() {
        String json = vault.seal(CASE, export(3)).toJson();
        int refused = 0;
        for (int length = 0; length < json.length(); length++) {
            String truncated = json.substring(0, length);
            BackupException e = assertThrows(BackupException.class, () -> SealedBackup.fromJson(truncated),
                    "length " + length);
            assertEquals(CoreErrorCode.BACKUP_MALFORMED, e.errorCode());
            assertTrue(length == 0 || e.getMessage().contains("character "), e.getMessage());
            assertTrue(length == 0 || e.getMessage().contains("truncated"), e.getMessage());
            refused++;
        }
        assertEquals(json.length(), refused);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "null", "[]", "\"text\"", "{}", "{\"formatVersion\":1}",
            "{\"formatVersion\":\"1\",\"backupId\":\"a\",\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"2025-01-01T00:00:00Z\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":[]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[]}",
            "{\"formatVersion\":1,\"backupId\":null,\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"2025-01-01T00:00:00Z\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":[]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[]}",
            "{\"formatVersion\":1,\"backupId\":\"a\",\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"2025-01-01T00:00:00Z\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":[]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[null]}",
            "{\"formatVersion\":1,\"backupId\":\"a\",\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"yesterday\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":[]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[]}",
            "{\"formatVersion\":1.5,\"backupId\":\"a\",\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"2025-01-01T00:00:00Z\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":[]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[]}",
            "{\"formatVersion\":1,\"backupId\":\"a\",\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"2025-01-01T00:00:00Z\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":"
                    + "[{\"index\":0,\"content\":\"PHOTOS\",\"firstRecord\":0,\"recordCount\":0}]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[]}",
            "{\"formatVersion\":1} {\"trailing\":true}",
            "{\"formatVersion\":1,\"backupId\":\"a\",\"caseId\":\"c\",\"keyId\":\"k\",\"sealedAt\":\"2025-01-01T00:00:00Z\","
                    + "\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,\"settingCount\":0,\"chunks\":[]},"
                    + "\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[{\"index\":0,\"nonce\":\"AAAA\","
                    + "\"ciphertext\":\"\",\"tag\":7}]}"})
    void malformedJsonIsRefusedWithACode(String json) {
        assertEquals(CoreErrorCode.BACKUP_MALFORMED,
                assertThrows(BackupException.class, () -> SealedBackup.fromJson(json)).errorCode());
    }

    @Test
    void malformedJsonIsReportedWithItsPath() {
        String json = sealed.toJson();
        String broken = json.replaceFirst("\"tag\":\"[^\"]*\"", "\"tag\":true");
        BackupException e = assertThrows(BackupException.class, () -> SealedBackup.fromJson(broken));
        assertTrue(e.getMessage().contains("at chunks[0].tag"), e.getMessage());
        String truncated = json.substring(0, json.indexOf("{\"index\":2,\"nonce\"") + 60);
        e = assertThrows(BackupException.class, () -> SealedBackup.fromJson(truncated));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("at chunks[2]"), e.getMessage());
    }

    @Test
    void wellFormedButEmptyFieldsAreReportedNotThrown() {
        String json = "{\"formatVersion\":1,\"backupId\":\"a\",\"caseId\":\"" + CASE + "\",\"keyId\":\"2025-01\","
                + "\"sealedAt\":\"2025-01-01T00:00:00Z\",\"chunkCount\":1,\"manifest\":{\"usageRecordCount\":0,"
                + "\"settingCount\":0,\"chunks\":[{\"index\":0,\"content\":\"SETTINGS\",\"firstRecord\":0,"
                + "\"recordCount\":0}]},\"manifestNonce\":\"\",\"manifestTag\":\"\",\"chunks\":[{\"index\":0,"
                + "\"nonce\":\"\",\"ciphertext\":\"\",\"tag\":\"\"}]}";
        BackupVerification report = vault.verify(CASE, SealedBackup.fromJson(json));
        assertKinds(report, BackupProblem.Kind.MANIFEST_TAMPERED, BackupProblem.Kind.CHUNK_MALFORMED);
    }

    @Test
    void toStringShowsNoCiphertext() {
        String text = sealed.toString() + sealed.chunks() + vault;
        for (SealedChunk chunk : sealed.chunks()) {
            assertFalse(text.contains(chunk.ciphertext().substring(0, 16)));
            assertFalse(text.contains(chunk.tag()));
            assertFalse(text.contains(chunk.nonce()));
        }
        assertFalse(text.contains(key1.toBase64()));
        assertTrue(sealed.toString().contains("chunks=5/5"));
    }

    @Test
    void concurrentSealingAndOpening() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String caseId = "case-" + t;
                TerminalDataExport data = export(50 + t * 30);
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        if (!data.equals(vault.open(caseId, SealedBackup.fromJson(vault.seal(caseId, data).toJson())))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void builderChecksItsSettings() {
        assertThrows(IllegalStateException.class, () -> BackupVault.builder().build());
        assertThrows(IllegalArgumentException.class, () -> BackupVault.builder().recordsPerChunk(0));
        assertThrows(IllegalArgumentException.class,
                () -> BackupVault.builder().recordsPerChunk(BackupVault.MAX_RECORDS_PER_CHUNK + 1));
        assertThrows(IllegalArgumentException.class, () -> vault.seal(" ", export));
        assertThrows(NullPointerException.class, () -> vault.seal(CASE, null));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    static SealedBackup withChunk(SealedBackup backup, int index, UnaryOperator<SealedChunk> change) {
        List<SealedChunk> chunks = new ArrayList<>(backup.chunks());
        chunks.set(index, change.apply(chunks.get(index)));
        return backup.withChunks(chunks);
    }

    /** Flips one bit of the decoded field, chosen by {@code seed}, and encodes it again as valid base64. */
    static SealedChunk flipBit(SealedChunk chunk, String field, int seed) {
        String base64 = switch (field) {
            case "nonce" -> chunk.nonce();
            case "tag" -> chunk.tag();
            default -> chunk.ciphertext();
        };
        byte[] bytes = Base64.getDecoder().decode(base64);
        int bit = Math.floorMod(seed, bytes.length * 8);
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        String flipped = Base64.getEncoder().encodeToString(bytes);
        return switch (field) {
            case "nonce" -> new SealedChunk(chunk.index(), flipped, chunk.ciphertext(), chunk.tag());
            case "tag" -> new SealedChunk(chunk.index(), chunk.nonce(), chunk.ciphertext(), flipped);
            default -> new SealedChunk(chunk.index(), chunk.nonce(), flipped, chunk.tag());
        };
    }

    static void assertKinds(BackupVerification report, BackupProblem.Kind... kinds) {
        assertEquals(List.of(kinds), report.problems().stream().map(BackupProblem::kind).toList(), report.summary());
        assertFalse(report.intact());
    }
}
