package io.posunbind.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.backup.BackupFormat.SettingsPart;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.UsageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the authenticated plaintexts of a backup's chunks back into the terminal's data, checking that each
 * holds as many settings or usage records as its manifest entry says. A problem names the chunk, never what it
 * held. Thread-safe.
 */
final class BackupContentReader {

    private static final TypeReference<List<UsageRecord>> USAGE_RECORDS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    BackupContentReader(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The terminal's data, or null when a chunk cannot be read or counts differ (then added to {@code problems}).
     *
     * @param plaintexts every chunk's authentic plaintext, by index
     */
    TerminalDataExport read(SealedBackup backup, byte[][] plaintexts, List<BackupProblem> problems) {
        List<ChunkDescriptor> entries = backup.manifest().chunks();
        SettingsPart settings = null;
        List<UsageRecord> records = new ArrayList<>(backup.manifest().usageRecordCount());
        for (int index = 0; index < plaintexts.length; index++) {
            ChunkDescriptor entry = entries.get(index);
            String name = "chunk " + index + " (" + entry.describe() + ")";
            try {
                if (index == 0) {
                    settings = json.readValue(plaintexts[0], SettingsPart.class);
                    if (settings.settings().size() != entry.recordCount()) {
                        problems.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, index,
                                name + " holds " + settings.settings().size() + " setting(s)"));
                    }
                } else {
                    List<UsageRecord> part = json.readValue(plaintexts[index], USAGE_RECORDS);
                    if (part.size() != entry.recordCount()) {
                        problems.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, index,
                                name + " holds " + part.size() + " usage record(s)"));
                    }
                    records.addAll(part);
                }
            } catch (IOException | RuntimeException e) {
                // Authentic but unreadable: written by a faulty sealer. Say which chunk, not what it held.
                problems.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, index,
                        name + " is authentic but its content cannot be read (" + e.getClass().getSimpleName() + ")"));
            }
        }
        if (settings == null || !problems.isEmpty()) {
            return null;
        }
        try {
            return new TerminalDataExport(settings.serialNumber(), records, settings.settings());
        } catch (RuntimeException e) {
            problems.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, 0,
                    "chunk 0 (settings) does not make a terminal export (" + e.getClass().getSimpleName() + ")"));
            return null;
        }
    }
}
