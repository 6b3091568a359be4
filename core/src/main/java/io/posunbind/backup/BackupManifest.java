package io.posunbind.backup;

import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;

/**
 * What a sealed backup holds, in clear but authenticated: how many usage records and settings, and
 * what each chunk holds. It lets a verifier report tampering by position without decrypting anything,
 * and lets an operator see what a backup covers without a key. It holds no record content.
 * Immutable.
 *
 * @param usageRecordCount how many usage records the backup holds
 * @param settingCount     how many settings the backup holds
 * @param chunks           one entry per chunk, in order
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record BackupManifest(int usageRecordCount, int settingCount, List<ChunkDescriptor> chunks) {

    /** Checks and copies the fields. */
    public BackupManifest {
        chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
    }
}
