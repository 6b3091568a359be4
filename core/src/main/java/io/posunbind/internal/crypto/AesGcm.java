package io.posunbind.internal.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag, through BouncyCastle's lightweight API.
 * Stateless and thread-safe: every call builds its own cipher, because a GCM cipher object is neither
 * thread-safe nor meant to be reused with the same key and nonce.
 */
public final class AesGcm {

    /** Key length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    /** Nonce length in bytes: the 96 bits GCM is designed for. */
    public static final int NONCE_BYTES = 12;
    /** Tag length in bytes: the full 128 bits. */
    public static final int TAG_BYTES = 16;

    private AesGcm() {
    }

    /** Encrypts and authenticates; returns the ciphertext followed by the tag. */
    public static byte[] encrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
        GCMModeCipher cipher = cipher(true, key, nonce, associatedData);
        byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
        int length = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            length += cipher.doFinal(out, length);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption cannot fail authentication", e);
        }
        return length == out.length ? out : Arrays.copyOf(out, length);
    }

    /**
     * Checks and decrypts the ciphertext followed by its tag.
     *
     * @return the plaintext, or empty when the tag does not match: wrong key, nonce, associated data,
     *         or any changed bit
     */
    public static Optional<byte[]> decrypt(byte[] key, byte[] nonce, byte[] associatedData,
            byte[] ciphertextAndTag) {
        if (ciphertextAndTag.length < TAG_BYTES) {
            return Optional.empty();
        }
        GCMModeCipher cipher = cipher(false, key, nonce, associatedData);
        byte[] out = new byte[cipher.getOutputSize(ciphertextAndTag.length)];
        int length = cipher.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        try {
            length += cipher.doFinal(out, length);
        } catch (InvalidCipherTextException e) {
            // BouncyCastle withholds the plaintext until the tag is checked, so nothing unverified leaks.
            Arrays.fill(out, (byte) 0);
            return Optional.empty();
        }
        return Optional.of(length == out.length ? out : Arrays.copyOf(out, length));
    }

    private static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] nonce, byte[] associatedData) {
        Objects.requireNonNull(associatedData, "associatedData");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("AES-GCM here uses 12-byte nonces");
        }
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, associatedData));
        return cipher;
    }
}
