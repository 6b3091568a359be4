package io.posunbind.backup;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One problem found in a sealed backup, with where it is. Immutable.
 *
 * @param kind     what is wrong
 * @param chunk    the chunk concerned, by its index in the manifest, when the problem is about one chunk
 * @param position the position in the stored chunk list where it was found, when that differs in meaning
 *                 from the index (reordered, duplicated, unexpected chunks) or is all there is
 * @param message  the problem for people, for example
 *                 {@code "chunk 3 (usage records 200–299) fails authentication: ..."}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record BackupProblem(Kind kind, OptionalInt chunk, OptionalInt position, String message) {

    /** Checks the fields. */
    public BackupProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(message, "message");
    }

    /** What can be wrong with a sealed backup, each with the error code {@link BackupVault#open} throws. */
    public enum Kind {
        /** The backup's format version is not one this version of posunbind reads. */
        UNSUPPORTED_FORMAT(CoreErrorCode.BACKUP_MALFORMED),
        /** The key provider has no key with the backup's key id. */
        UNKNOWN_KEY(CoreErrorCode.DATA_KEY_UNKNOWN),
        /** The backup was sealed for another case. */
        WRONG_CASE(CoreErrorCode.BACKUP_WRONG_CASE),
        /** The manifest contradicts itself or the chunk count (an entry missing, ranges with gaps). */
        MANIFEST_INVALID(CoreErrorCode.BACKUP_TAMPERED),
        /** The manifest or the backup's header fails authentication: something in clear was changed. */
        MANIFEST_TAMPERED(CoreErrorCode.BACKUP_TAMPERED),
        /** A chunk's fields are not base64 or have the wrong length. */
        CHUNK_MALFORMED(CoreErrorCode.BACKUP_MALFORMED),
        /** A chunk fails authentication: its ciphertext, nonce, tag or manifest entry was changed, or it came
         *  from another backup. */
        CHUNK_FAILS_AUTHENTICATION(CoreErrorCode.BACKUP_TAMPERED),
        /** A chunk listed in the manifest is not there. */
        CHUNK_MISSING(CoreErrorCode.BACKUP_TAMPERED),
        /** A chunk appears more than once. */
        CHUNK_DUPLICATED(CoreErrorCode.BACKUP_TAMPERED),
        /** A chunk has an index the manifest does not list. */
        CHUNK_UNEXPECTED(CoreErrorCode.BACKUP_TAMPERED),
        /** A chunk comes before a chunk with a lower index. */
        CHUNK_OUT_OF_ORDER(CoreErrorCode.BACKUP_TAMPERED),
        /** An authentic chunk holds content that does not match its manifest entry (a faulty writer). */
        CONTENT_INVALID(CoreErrorCode.BACKUP_MALFORMED);

        private final CoreErrorCode errorCode;

        Kind(CoreErrorCode errorCode) {
            this.errorCode = errorCode;
        }

        /** The code {@link BackupVault#open} reports for this problem. */
        public CoreErrorCode errorCode() {
            return errorCode;
        }
    }

    static BackupProblem whole(Kind kind, String message) {
        return new BackupProblem(kind, OptionalInt.empty(), OptionalInt.empty(), message);
    }

    static BackupProblem atChunk(Kind kind, int chunk, String message) {
        return new BackupProblem(kind, OptionalInt.of(chunk), OptionalInt.empty(), message);
    }

    static BackupProblem atPosition(Kind kind, int chunk, int position, String message) {
        return new BackupProblem(kind, OptionalInt.of(chunk), OptionalInt.of(position), message);
    }
}
