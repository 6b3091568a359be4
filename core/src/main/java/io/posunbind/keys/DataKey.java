package io.posunbind.keys;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A 256-bit data key and the id under which it is stored next to everything it encrypts.
 *
 * <p>The id is written in clear into backups and encrypted fields, so that the right key is found again
 * after rotation: 1 to 64 characters from {@code [A-Za-z0-9._-]}, for example {@code "2025-06"}. An id
 * must always name the same key material; give a new key a new id.
 *
 * <p>Immutable and thread-safe. The key bytes are copied in and out and never appear in
 * {@link #toString()}, {@code equals} compares them in constant time.
 *
 * <pre>{@code
 * DataKey key = DataKey.fromBase64("2025-06", System.getenv("POSUNBIND_DATA_KEY"));
 * }</pre>
 *
 * @param id       the key's id
 * @param material the 32 key bytes; the accessor returns a copy
 */
@API(status = API.Status.STABLE, since = "0.1")
public record DataKey(String id, byte[] material) {

    /** Key length in bytes: AES-256. */
    public static final int LENGTH = 32;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checks the id and the key length, and copies the key bytes. */
    public DataKey {
        requireValidId(id);
        Objects.requireNonNull(material, "material");
        if (material.length != LENGTH) {
            throw new IllegalArgumentException("Data key " + id + " must be " + LENGTH + " bytes (256 bits), not "
                    + material.length);
        }
        material = material.clone();
    }

    /**
     * A key from its base64 text (standard alphabet, padding optional; surrounding white space ignored).
     *
     * @throws PosUnbindException {@link CoreErrorCode#DATA_KEY_INVALID} when the text is not base64 of 32 bytes;
     *         the message never quotes the text
     */
    public static DataKey fromBase64(String id, String base64) {
        requireValidId(id);
        Objects.requireNonNull(base64, "base64");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID,
                    "Data key " + id + " is not valid base64; give 32 random bytes in base64 (44 characters)");
        }
        try {
            if (bytes.length != LENGTH) {
                throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID, "Data key " + id + " has "
                        + bytes.length + " bytes; a data key has " + LENGTH + " random bytes (256 bits)");
            }
            return new DataKey(id, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A new random key, for example to write into a key directory. */
    public static DataKey generate(String id, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        try {
            return new DataKey(id, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Whether the text is a well-formed key id. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** A copy of the key bytes. Wipe it when done. */
    @Override
    public byte[] material() {
        return material.clone();
    }

    /** The key bytes in base64, to write a key file; handle the result as the secret it is. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(material);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataKey key && key.id.equals(id)
                && org.bouncycastle.util.Arrays.constantTimeAreEqual(key.material, material);
    }

    @Override
    public int hashCode() {
        // The id only: a hash of the key bytes would be a (weak) fingerprint of the secret.
        return id.hashCode();
    }

    /** The id only, never the key bytes. */
    @Override
    public String toString() {
        return "DataKey[" + id + "]";
    }

    private static void requireValidId(String id) {
        Objects.requireNonNull(id, "id");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("A data key id has 1 to 64 characters from [A-Za-z0-9._-]");
        }
    }
}
