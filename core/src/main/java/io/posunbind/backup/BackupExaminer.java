package io.posunbind.backup;

import static io.posunbind.backup.BackupFormat.chunkAad;
import static io.posunbind.backup.BackupFormat.decode;
import static io.posunbind.backup.BackupFormat.manifestAad;

import io.posunbind.backup.BackupFormat.Header;
import io.posunbind.internal.crypto.AesGcm;
import io.posunbind.internal.crypto.PurposeKeys;
import io.posunbind.spi.model.TerminalDataExport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a sealed backup for a {@link BackupVault}, reporting every problem by position: its format, case and
 * key, the manifest's tag and consistency, then each chunk's authentication, order, duplicates and gaps; only
 * a backup intact in every part is read back (by {@link BackupContentReader}). Plaintexts are wiped once read.
 * Thread-safe.
 */
final class BackupExaminer {

    private final PurposeKeys keys;
    private final BackupContentReader content;

    BackupExaminer(PurposeKeys keys, BackupContentReader content) {
        this.keys = keys;
        this.content = content;
    }

    /** Checks every part of a backup and, when all of it is intact, reads the terminal's data out of it. */
    Examination examine(String caseId, SealedBackup backup) {
        Report report = new Report(caseId, backup);

        if (backup.formatVersion() != SealedBackup.FORMAT_VERSION) {
            report.add(BackupProblem.whole(BackupProblem.Kind.UNSUPPORTED_FORMAT, "format version "
                    + backup.formatVersion() + " is not " + SealedBackup.FORMAT_VERSION + "; a newer posunbind may read it"));
            return report.done(null);
        }
        if (!caseId.equals(backup.caseId())) {
            // Still check the rest under the backup's own case id: an intact backup of another case is a mix-up,
            // a damaged one is worse, and the report should tell which.
            report.add(BackupProblem.whole(BackupProblem.Kind.WRONG_CASE, "the backup was sealed for case "
                    + shortened(backup.caseId()) + ", not for case " + caseId));
        }
        if (!keys.knows(backup.keyId())) {
            report.add(BackupProblem.whole(BackupProblem.Kind.UNKNOWN_KEY, "the backup was sealed with data key "
                    + shortened(backup.keyId()) + ", which the key provider does not have; give it that key again"));
            return report.done(null);
        }
        PurposeKeys.Key key = keys.byId(backup.keyId(), "The backup");
        Header header = Header.of(backup);

        checkManifestTag(report, key, header, backup);
        boolean manifestUsable = checkManifestConsistency(report, backup);
        if (!manifestUsable) {
            return report.done(null);
        }
        byte[][] plaintexts = checkChunks(report, key, header, backup);
        if (!report.problems.isEmpty()) {
            wipe(plaintexts);
            return report.done(null);
        }
        TerminalDataExport export = content.read(backup, plaintexts, report.problems);
        wipe(plaintexts);
        return report.done(report.problems.isEmpty() ? export : null);
    }

    private void checkManifestTag(Report report, PurposeKeys.Key key, Header header, SealedBackup backup) {
        Optional<byte[]> nonce = decode(backup.manifestNonce(), AesGcm.NONCE_BYTES);
        Optional<byte[]> tag = decode(backup.manifestTag(), AesGcm.TAG_BYTES);
        if (nonce.isEmpty() || tag.isEmpty()) {
            report.add(BackupProblem.whole(BackupProblem.Kind.MANIFEST_TAMPERED,
                    "the manifest's nonce or tag is not canonical base64 of the right length"));
            return;
        }
        if (AesGcm.decrypt(key.material(), nonce.get(), manifestAad(header, backup.manifest()), tag.get()).isEmpty()) {
            report.add(BackupProblem.whole(BackupProblem.Kind.MANIFEST_TAMPERED, "the manifest or the backup's"
                    + " header (id, case, key, time, chunk count, record counts) fails authentication: it was changed"));
        }
    }

    /** Whether the manifest can be trusted to describe the chunks: one entry per chunk, ranges without gaps. */
    private static boolean checkManifestConsistency(Report report, SealedBackup backup) {
        BackupManifest manifest = backup.manifest();
        List<ChunkDescriptor> entries = manifest.chunks();
        List<String> faults = new ArrayList<>();
        if (backup.chunkCount() < 1 || backup.chunkCount() > BackupVault.MAX_CHUNKS) {
            faults.add("chunk count " + backup.chunkCount() + " is not between 1 and " + BackupVault.MAX_CHUNKS);
        } else if (entries.size() != backup.chunkCount()) {
            faults.add("it lists " + entries.size() + " chunk(s) but the backup says " + backup.chunkCount());
        }
        long nextRecord = 0;
        for (int i = 0; i < entries.size() && faults.size() < 5; i++) {
            ChunkDescriptor entry = entries.get(i);
            boolean settings = i == 0;
            if (entry.index() != i) {
                faults.add("entry " + i + " has index " + entry.index());
            } else if (settings != (entry.content() == ChunkContent.SETTINGS)) {
                faults.add("entry " + i + (settings ? " is not the settings" : " claims settings"));
            } else if (settings && (entry.firstRecord() != 0 || entry.recordCount() != manifest.settingCount())) {
                faults.add("the settings entry does not count " + manifest.settingCount() + " setting(s)");
            } else if (!settings && (entry.firstRecord() != nextRecord || entry.recordCount() < 1)) {
                faults.add("entry " + i + " (" + entry.describe() + ") does not follow on from record " + nextRecord);
            }
            if (!settings) {
                nextRecord += entry.recordCount();
            }
        }
        if (faults.isEmpty() && nextRecord != manifest.usageRecordCount()) {
            faults.add("its chunks hold " + nextRecord + " usage record(s) but it says "
                    + manifest.usageRecordCount());
        }
        if (manifest.settingCount() < 0 || manifest.usageRecordCount() < 0) {
            faults.add("it has negative counts");
        }
        if (!faults.isEmpty()) {
            report.add(BackupProblem.whole(BackupProblem.Kind.MANIFEST_INVALID,
                    "the manifest is inconsistent: " + String.join("; ", faults)));
            return false;
        }
        return true;
    }

    /** Authenticates every stored chunk and reports order, duplicates and gaps; returns plaintexts by index. */
    private static byte[][] checkChunks(Report report, PurposeKeys.Key key, Header header, SealedBackup backup) {
        List<ChunkDescriptor> entries = backup.manifest().chunks();
        int count = entries.size();
        byte[][] plaintexts = new byte[count][];
        Map<Integer, Integer> firstPosition = new HashMap<>();
        int highestSoFar = -1;
        List<SealedChunk> chunks = backup.chunks();
        for (int position = 0; position < chunks.size(); position++) {
            SealedChunk chunk = chunks.get(position);
            int index = chunk.index();
            if (index < 0 || index >= count) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_UNEXPECTED, index, position,
                        "the chunk at position " + position + " has index " + index + ", but the manifest lists chunks"
                                + " 0 to " + (count - 1)));
                continue;
            }
            String name = "chunk " + index + " (" + entries.get(index).describe() + ")";
            Integer earlier = firstPosition.putIfAbsent(index, position);
            if (earlier != null) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_DUPLICATED, index, position,
                        name + " appears again at position " + position + " (first at position " + earlier + ")"));
            } else if (index < highestSoFar) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_OUT_OF_ORDER, index, position,
                        name + " is at position " + position + ", after chunk " + highestSoFar));
            }
            highestSoFar = Math.max(highestSoFar, index);

            Optional<byte[]> nonce = decode(chunk.nonce(), AesGcm.NONCE_BYTES);
            Optional<byte[]> tag = decode(chunk.tag(), AesGcm.TAG_BYTES);
            Optional<byte[]> ciphertext = decode(chunk.ciphertext(), -1);
            if (nonce.isEmpty() || tag.isEmpty() || ciphertext.isEmpty()) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_MALFORMED, index, position, name + ": its "
                        + (nonce.isEmpty() ? "nonce is not canonical base64 of 12 bytes"
                        : tag.isEmpty() ? "tag is not canonical base64 of 16 bytes"
                        : "ciphertext is not canonical base64")));
                continue;
            }
            byte[] sealed = concat(ciphertext.get(), tag.get());
            Optional<byte[]> plaintext = AesGcm.decrypt(key.material(), nonce.get(),
                    chunkAad(header, entries.get(index)), sealed);
            if (plaintext.isEmpty()) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION, index, position,
                        name + " fails authentication: its ciphertext, nonce, tag or manifest entry was changed,"
                                + " or it comes from another backup"));
                continue;
            }
            report.authentic++;
            if (plaintexts[index] == null) {
                plaintexts[index] = plaintext.get();
            }
        }
        for (int index = 0; index < count; index++) {
            if (!firstPosition.containsKey(index)) {
                report.add(BackupProblem.atChunk(BackupProblem.Kind.CHUNK_MISSING, index,
                        "chunk " + index + " (" + entries.get(index).describe() + ") is missing"));
            }
        }
        return plaintexts;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static void wipe(byte[][] plaintexts) {
        for (byte[] plaintext : plaintexts) {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private static String shortened(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /** Collects problems while a backup is examined. */
    private static final class Report {
        final String caseId;
        final SealedBackup backup;
        final List<BackupProblem> problems = new ArrayList<>();
        int authentic;

        Report(String caseId, SealedBackup backup) {
            this.caseId = caseId;
            this.backup = backup;
        }

        void add(BackupProblem problem) {
            problems.add(problem);
        }

        Examination done(TerminalDataExport export) {
            return new Examination(new BackupVerification(caseId, backup.backupId(), backup.chunkCount(), authentic,
                    problems), export);
        }
    }

    /** The verification of a backup and, when it is intact, the terminal's data it holds (else null). */
    record Examination(BackupVerification verification, TerminalDataExport export) {
    }
}
