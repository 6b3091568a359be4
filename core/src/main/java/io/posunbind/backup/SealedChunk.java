package io.posunbind.backup;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One encrypted chunk of a backup. The byte fields are base64 text (standard alphabet, padded) so that
 * a damaged field is reported at its chunk rather than failing the whole document. Immutable.
 *
 * @param index      the chunk's position as sealed, from 0
 * @param nonce      the 12-byte AES-GCM nonce, fresh for every chunk of every backup
 * @param ciphertext the encrypted JSON of the chunk's content
 * @param tag        the 16-byte AES-GCM authentication tag
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SealedChunk(int index, String nonce, String ciphertext, String tag) {

    /** Checks that every field is given; their content is checked by {@link BackupVault#verify}. */
    public SealedChunk {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(tag, "tag");
    }

    /** The index and sizes only, never the ciphertext. */
    @Override
    public String toString() {
        return "SealedChunk[index=" + index + ", ciphertext=" + ciphertext.length() + " base64 chars]";
    }
}
