package io.posunbind.backup;

import static io.posunbind.backup.BackupFormat.base64;
import static io.posunbind.backup.BackupFormat.chunkAad;
import static io.posunbind.backup.BackupFormat.manifestAad;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.backup.BackupFormat.Header;
import io.posunbind.backup.BackupFormat.SettingsPart;
import io.posunbind.internal.crypto.AesGcm;
import io.posunbind.internal.crypto.PurposeKeys;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.UsageRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Seals a terminal's data for a {@link BackupVault}: chunk 0 holds the settings, each further chunk up to
 * {@code recordsPerChunk} usage records, each encrypted under a fresh nonce and bound to the header and its
 * manifest entry; the manifest carries its own tag. Thread-safe as its random source is.
 */
final class BackupSealer {

    private final PurposeKeys keys;
    private final int recordsPerChunk;
    private final SecureRandom random;
    private final Clock clock;
    private final ObjectMapper json;

    BackupSealer(PurposeKeys keys, int recordsPerChunk, SecureRandom random, Clock clock, ObjectMapper json) {
        this.keys = keys;
        this.recordsPerChunk = recordsPerChunk;
        this.random = random;
        this.clock = clock;
        this.json = json;
    }

    /** Encrypts the terminal's data under the current data key, for this case. */
    SealedBackup seal(String caseId, TerminalDataExport export) {
        PurposeKeys.Key key = keys.current();
        List<UsageRecord> records = export.usageRecords();

        List<ChunkDescriptor> descriptors = new ArrayList<>();
        List<byte[]> plaintexts = new ArrayList<>();
        descriptors.add(new ChunkDescriptor(0, ChunkContent.SETTINGS, 0, export.settings().size()));
        plaintexts.add(write(new SettingsPart(export.serialNumber(), export.settings())));
        for (int first = 0; first < records.size(); first += recordsPerChunk) {
            List<UsageRecord> part = records.subList(first, Math.min(records.size(), first + recordsPerChunk));
            descriptors.add(new ChunkDescriptor(descriptors.size(), ChunkContent.USAGE_RECORDS, first, part.size()));
            plaintexts.add(write(part));
        }
        BackupManifest manifest = new BackupManifest(records.size(), export.settings().size(), descriptors);

        byte[] id = new byte[16];
        random.nextBytes(id);
        Instant sealedAt = clock.instant();
        Header header = new Header(SealedBackup.FORMAT_VERSION, HexFormat.of().formatHex(id), caseId, key.id(),
                sealedAt.getEpochSecond(), sealedAt.getNano(), descriptors.size());

        List<SealedChunk> chunks = new ArrayList<>(descriptors.size());
        for (int i = 0; i < descriptors.size(); i++) {
            byte[] nonce = nonce();
            byte[] sealed = AesGcm.encrypt(key.material(), nonce, chunkAad(header, descriptors.get(i)),
                    plaintexts.get(i));
            Arrays.fill(plaintexts.get(i), (byte) 0);
            int split = sealed.length - AesGcm.TAG_BYTES;
            chunks.add(new SealedChunk(i, base64(nonce), base64(Arrays.copyOf(sealed, split)),
                    base64(Arrays.copyOfRange(sealed, split, sealed.length))));
        }
        byte[] manifestNonce = nonce();
        byte[] manifestTag = AesGcm.encrypt(key.material(), manifestNonce, manifestAad(header, manifest), new byte[0]);
        return new SealedBackup(header.formatVersion(), header.backupId(), caseId, key.id(), sealedAt,
                descriptors.size(), manifest, base64(manifestNonce), base64(manifestTag), chunks);
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new PosUnbindException(CoreErrorCode.BACKUP_UNVERIFIED, "The terminal's data cannot be written as"
                    + " JSON (" + e.getClass().getSimpleName() + "); nothing was unbound", null, null);
        }
    }

    private byte[] nonce() {
        byte[] nonce = new byte[AesGcm.NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }
}
