package io.posunbind.internal.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Writes values in the audit trail's canonical, unambiguous binary form, the input of every hash and
 * signature. Each value has a fixed width or a length prefix, so two different sequences of values never
 * give the same bytes:
 * <ul>
 *   <li>a {@code long} is 8 bytes, big-endian; an {@code int} 4 bytes, big-endian;</li>
 *   <li>an instant is its epoch second (a long) then its nanosecond of second (an int);</li>
 *   <li>a string is a one-byte form tag, a 4-byte length and its bytes: tag {@code 0x01} and UTF-8 when the
 *       string is well-formed UTF-16, tag {@code 0x02} and its raw UTF-16BE code units when it holds an
 *       unpaired surrogate (UTF-8 would turn those into {@code '?'}, so two strings could collide).</li>
 * </ul>
 *
 * <p>Not thread-safe: one encoder per computation.
 */
public final class CanonicalEncoder {

    private static final byte WELL_FORMED = 0x01;
    private static final byte RAW_UTF16 = 0x02;

    // A plain array rather than ByteArrayOutputStream, whose every write is synchronized: this is on the
    // path of every append and every record verified.
    private byte[] bytes = new byte[256];
    private int size;

    /** Starts an encoding with a domain tag, so that a record's bytes can never pass for a checkpoint's. */
    public CanonicalEncoder(String domain) {
        putString(domain);
    }

    /** Appends a long. */
    public CanonicalEncoder putLong(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            write((byte) (value >>> shift));
        }
        return this;
    }

    /** Appends an int. */
    public CanonicalEncoder putInt(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            write((byte) (value >>> shift));
        }
        return this;
    }

    /** Appends an instant at full (nanosecond) precision. */
    public CanonicalEncoder putInstant(Instant instant) {
        return putLong(instant.getEpochSecond()).putInt(instant.getNano());
    }

    /** Appends a string; see the class comment for its form. */
    public CanonicalEncoder putString(String value) {
        if (isWellFormed(value)) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            write(WELL_FORMED);
            putInt(utf8.length);
            ensureRoom(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        } else {
            write(RAW_UTF16);
            putInt(value.length() * 2);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                write((byte) (c >>> 8));
                write((byte) c);
            }
        }
        return this;
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** SHA-256 (BouncyCastle's lightweight digest) of the bytes written so far, as 64 lower-case hex digits. */
    public String sha256Hex() {
        SHA256Digest digest = new SHA256Digest();
        digest.update(bytes, 0, size);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    private void write(byte value) {
        ensureRoom(1);
        bytes[size++] = value;
    }

    private void ensureRoom(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    /** Whether the string has no unpaired surrogate, so that UTF-8 represents it exactly. */
    public static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
