package io.posunbind.backup;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An encrypted backup of one terminal's data, as kept in storage. Made by {@link BackupVault#seal},
 * read back by {@link BackupVault#open} and checked by {@link BackupVault#verify}.
 *
 * <p>Stored as JSON ({@link #toJson()}, {@link #fromJson(String)}):
 * <pre>{@code
 * {
 *   "formatVersion": 1,
 *   "backupId": "3f0c9a6e1b2d4c5f8e7a6b5c4d3e2f10",
 *   "caseId": "case-0001",
 *   "keyId": "2025-06",
 *   "sealedAt": "2025-06-03T08:15:30Z",
 *   "chunkCount": 4,
 *   "manifest": {
 *     "usageRecordCount": 250, "settingCount": 3,
 *     "chunks": [
 *       {"index": 0, "content": "SETTINGS",      "firstRecord": 0,   "recordCount": 3},
 *       {"index": 1, "content": "USAGE_RECORDS", "firstRecord": 0,   "recordCount": 100},
 *       {"index": 2, "content": "USAGE_RECORDS", "firstRecord": 100, "recordCount": 100},
 *       {"index": 3, "content": "USAGE_RECORDS", "firstRecord": 200, "recordCount": 50}]
 *   },
 *   "manifestNonce": "<base64, 12 bytes>",
 *   "manifestTag": "<base64, 16 bytes>",
 *   "chunks": [
 *     {"index": 0, "nonce": "<base64, 12 bytes>", "ciphertext": "<base64>", "tag": "<base64, 16 bytes>"},
 *     ...]
 * }
 * }</pre>
 * Everything outside the ciphertexts is in clear but authenticated: the manifest by its own AES-GCM tag,
 * each chunk by associated data that binds it to the backup id, case, key, chunk count, its index and
 * its manifest entry, so chunks cannot be changed, reordered, dropped, duplicated, or moved to another
 * backup or case without {@link BackupVault#verify} saying where.
 *
 * <p>The record accepts inconsistent content (a chunk count that does not match the chunks, a nonce of
 * the wrong length) on purpose, so that a damaged backup can be represented and reported; only missing
 * fields are refused. Immutable and thread-safe; {@link #toString()} never shows ciphertext.
 *
 * @param formatVersion  the format, {@value #FORMAT_VERSION} for this version of posunbind
 * @param backupId       a random id for this backup (32 hex digits)
 * @param caseId         the case the backup was sealed for
 * @param keyId          the id of the data key it was sealed with
 * @param sealedAt       when it was sealed
 * @param chunkCount     how many chunks it has
 * @param manifest       what each chunk holds
 * @param manifestNonce  base64 nonce of the manifest's tag
 * @param manifestTag    base64 AES-GCM tag over the manifest and the fields above
 * @param chunks         the encrypted chunks, in order
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SealedBackup(int formatVersion, String backupId, String caseId, String keyId, Instant sealedAt,
        int chunkCount, BackupManifest manifest, String manifestNonce, String manifestTag, List<SealedChunk> chunks) {

    /** The format written by this version of posunbind. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Newer writers may add fields; the format version says whether we can read the rest.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Base64 fields, ids and names are strings in JSON, never numbers or booleans made into text.
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** Checks that every field is given and copies the chunks. */
    public SealedBackup {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(sealedAt, "sealedAt");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(manifestNonce, "manifestNonce");
        Objects.requireNonNull(manifestTag, "manifestTag");
        chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
    }

    /** The same backup with other chunks: for tests and tools that examine damaged backups. */
    public SealedBackup withChunks(List<SealedChunk> otherChunks) {
        return new SealedBackup(formatVersion, backupId, caseId, keyId, sealedAt, chunkCount, manifest, manifestNonce,
                manifestTag, otherChunks);
    }

    /** The backup as JSON, for storage. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A sealed backup is always writable as JSON", e);
        }
    }

    /**
     * Reads a backup from its JSON. Only the shape is checked here; {@link BackupVault#verify} checks the rest.
     *
     * @throws BackupException {@link CoreErrorCode#BACKUP_MALFORMED} when the text is not a sealed backup
     *         (truncated, missing or null fields, wrong types), saying where it broke
     */
    public static SealedBackup fromJson(String json) {
        Objects.requireNonNull(json, "json");
        try {
            SealedBackup backup = JSON.readValue(json, SealedBackup.class);
            if (backup == null) {
                throw new BackupException(CoreErrorCode.BACKUP_MALFORMED,
                        "The stored backup is the JSON literal null, not a sealed backup", null);
            }
            return backup;
        } catch (JsonProcessingException e) {
            // The parser's own message may quote the input; say only where and what kind of problem.
            throw new BackupException(CoreErrorCode.BACKUP_MALFORMED, "The stored backup is not a sealed backup: "
                    + what(e, json.length()) + where(e), null);
        }
    }

    /** Ids, counts and time only; never nonces, tags or ciphertext. */
    @Override
    public String toString() {
        return "SealedBackup[format=" + formatVersion + ", backupId=" + backupId + ", caseId=" + caseId + ", keyId="
                + keyId + ", sealedAt=" + sealedAt + ", chunks=" + chunks.size() + "/" + chunkCount + ", usageRecords="
                + manifest.usageRecordCount() + ", settings=" + manifest.settingCount() + "]";
    }

    private static String what(JsonProcessingException e, int length) {
        boolean atEnd = e.getLocation() != null && e.getLocation().getCharOffset() >= length - 1;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonEOFException || (atEnd && cause instanceof JsonParseException)) {
                return "the JSON ends early (truncated)";
            }
        }
        if (e instanceof JsonParseException) {
            return "the text is not valid JSON";
        }
        if (e instanceof InvalidFormatException) {
            return "a field has a value of the wrong form";
        }
        if (e instanceof MismatchedInputException) {
            return "a field is missing, null or of the wrong type";
        }
        return "it does not have the shape of a sealed backup";
    }

    private static String where(JsonProcessingException e) {
        StringBuilder at = new StringBuilder();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            at.append(" at ").append(path);
        }
        if (e.getLocation() != null) {
            at.append(" (line ").append(e.getLocation().getLineNr()).append(", column ")
                    .append(e.getLocation().getColumnNr()).append(", character ")
                    .append(e.getLocation().getCharOffset()).append(')');
        }
        return at.toString();
    }
}
