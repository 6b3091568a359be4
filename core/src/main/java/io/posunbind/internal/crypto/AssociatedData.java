package io.posunbind.internal.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds the associated data that AES-GCM authenticates alongside a ciphertext. Every part is written
 * with its length first, so no two different lists of parts give the same bytes ("ab","c" differs from
 * "a","bc"). Not thread-safe; build one per use.
 */
public final class AssociatedData {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);

    private AssociatedData(String label) {
        text(label);
    }

    /** Starts with a label that names the purpose and format version, for example {@code "posunbind/field/v1"}. */
    public static AssociatedData of(String label) {
        return new AssociatedData(Objects.requireNonNull(label, "label"));
    }

    /** Appends a text part. */
    public AssociatedData text(String part) {
        byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
        number(utf8.length);
        bytes.writeBytes(utf8);
        return this;
    }

    /** Appends a number part (8 bytes, big-endian). */
    public AssociatedData number(long part) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes.write((int) (part >>> shift));
        }
        return this;
    }

    /** The bytes built so far. */
    public byte[] toBytes() {
        return bytes.toByteArray();
    }
}
