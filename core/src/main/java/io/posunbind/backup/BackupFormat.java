package io.posunbind.backup;

import io.posunbind.internal.crypto.AssociatedData;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * What sealing and reading a backup agree on: the fields in clear that every tag covers, the associated data of
 * a chunk and of the manifest, the plaintext of chunk 0, and the one base64 spelling the vault writes.
 * Stateless.
 */
final class BackupFormat {

    private static final String CHUNK_AAD = "posunbind/backup/v1/chunk";
    private static final String MANIFEST_AAD = "posunbind/backup/v1/manifest";

    private BackupFormat() {
    }

    /** The serial number and settings, as chunk 0 holds them. */
    record SettingsPart(String serialNumber, Map<String, String> settings) {
    }

    /** The fields in clear that every tag covers. */
    record Header(int formatVersion, String backupId, String caseId, String keyId, long epochSecond, int nano,
            int chunkCount) {

        static Header of(SealedBackup backup) {
            return new Header(backup.formatVersion(), backup.backupId(), backup.caseId(), backup.keyId(),
                    backup.sealedAt().getEpochSecond(), backup.sealedAt().getNano(), backup.chunkCount());
        }

        AssociatedData start(String label) {
            return AssociatedData.of(label).number(formatVersion).text(backupId).text(caseId).text(keyId)
                    .number(chunkCount);
        }
    }

    /** What a chunk's tag covers besides its ciphertext: the header and its manifest entry. */
    static byte[] chunkAad(Header header, ChunkDescriptor entry) {
        return header.start(CHUNK_AAD)
                .number(entry.index()).text(entry.content().name()).number(entry.firstRecord())
                .number(entry.recordCount()).toBytes();
    }

    /** What the manifest's tag covers: the header, the time sealed, the counts and every entry. */
    static byte[] manifestAad(Header header, BackupManifest manifest) {
        AssociatedData aad = header.start(MANIFEST_AAD)
                .number(header.epochSecond()).number(header.nano())
                .number(manifest.usageRecordCount()).number(manifest.settingCount())
                .number(manifest.chunks().size());
        for (ChunkDescriptor entry : manifest.chunks()) {
            aad.number(entry.index()).text(entry.content().name()).number(entry.firstRecord())
                    .number(entry.recordCount());
        }
        return aad.toBytes();
    }

    /**
     * Decodes canonical base64 of the given length (any length when negative); empty when it is not.
     * Only the spelling the vault writes is accepted, so a changed character that would decode to the same
     * bytes (unused low bits, dropped padding) is still reported.
     */
    static Optional<byte[]> decode(String base64, int length) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (!Base64.getEncoder().encodeToString(bytes).equals(base64)) {
                return Optional.empty();
            }
            return length < 0 || bytes.length == length ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
