package io.posunbind.crypto;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.Secret;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 128-bit SM4 key (GB/T 32907). Like {@link Secret}, it never shows its value: {@link #toString()} is
 * always {@code "Sm4Key[****]"}, and no exception message quotes it. Read it from a provider's or the
 * host's settings as hex or base64 text wrapped in a {@link Secret}, or generate one.
 *
 * <pre>{@code
 * Sm4Key key = Sm4Key.fromHex(settings.secret("sm4-key"));   // 32 hex digits
 * Sm4FieldCipher cipher = Sm4FieldCipher.gcm(key);
 * }</pre>
 *
 * <p>Immutable and thread-safe; the bytes are copied in and out. Equality is identity.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class Sm4Key {

    /** An SM4 key has 16 bytes. */
    public static final int BYTES = 16;

    private final byte[] material;

    private Sm4Key(byte[] material) {
        this.material = material;
    }

    /**
     * A key from its 16 bytes, which are copied.
     *
     * @throws PosUnbindException {@code UNB-SM4-KEY-INVALID} when there are not 16 bytes
     */
    public static Sm4Key of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != BYTES) {
            throw invalid("has " + key.length + " bytes");
        }
        return new Sm4Key(key.clone());
    }

    /**
     * A key from 32 hex digits (either case), the form most acquirers hand out.
     *
     * @throws PosUnbindException {@code UNB-SM4-KEY-INVALID} when the text is not 32 hex digits
     */
    public static Sm4Key fromHex(Secret hex) {
        String text = Objects.requireNonNull(hex, "hex").reveal().strip();
        if (text.length() != 2 * BYTES) {
            throw invalid("is not 32 hex digits");
        }
        try {
            return new Sm4Key(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw invalid("is not 32 hex digits");
        }
    }

    /**
     * A key from standard base64 of 16 bytes.
     *
     * @throws PosUnbindException {@code UNB-SM4-KEY-INVALID} when the text is not base64 of 16 bytes
     */
    public static Sm4Key fromBase64(Secret base64) {
        String text = Objects.requireNonNull(base64, "base64").reveal().strip();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid("is not base64");
        }
        if (bytes.length != BYTES) {
            throw invalid("is base64 of " + bytes.length + " bytes");
        }
        return new Sm4Key(bytes);
    }

    /** A new random key. */
    public static Sm4Key generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        Objects.requireNonNull(random, "random").nextBytes(bytes);
        return new Sm4Key(bytes);
    }

    /** The key's bytes, a copy: hand them only to the cipher that needs them. */
    public byte[] reveal() {
        return material.clone();
    }

    /** Always {@code "Sm4Key[****]"}. */
    @Override
    public String toString() {
        return "Sm4Key[****]";
    }

    private static PosUnbindException invalid(String problem) {
        return new PosUnbindException(CoreErrorCode.SM4_KEY_INVALID, "The SM4 key " + problem
                + "; an SM4 key has 16 bytes: 32 hex digits or base64 of 16 bytes");
    }
}
