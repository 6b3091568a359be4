package io.posunbind.backup;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * The manifest's entry for one chunk: which part of the terminal's data it holds. Authenticated with
 * the chunk, so a report can say which usage records a failing chunk held. Immutable.
 *
 * @param index       the chunk's position, from 0
 * @param content     settings or usage records
 * @param firstRecord for usage records, the index of the first record (from 0); 0 for settings
 * @param recordCount how many usage records, or how many settings, the chunk holds
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ChunkDescriptor(int index, ChunkContent content, int firstRecord, int recordCount) {

    /** Checks that the content is given; the numbers are checked by {@link BackupVault#verify}. */
    public ChunkDescriptor {
        Objects.requireNonNull(content, "content");
    }

    /** For people: {@code "settings"} or {@code "usage records 200–299"}. */
    public String describe() {
        if (content == ChunkContent.SETTINGS) {
            return "settings";
        }
        if (recordCount == 1) {
            return "usage record " + firstRecord;
        }
        return "usage records " + firstRecord + "–" + ((long) firstRecord + recordCount - 1);
    }
}
