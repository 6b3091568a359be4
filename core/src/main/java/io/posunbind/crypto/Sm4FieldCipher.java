package io.posunbind.crypto;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encrypts and decrypts single fields with SM4-GCM: the SM4 block cipher (GB/T 32907) in Galois/Counter
 * mode with a 96-bit nonce and a 128-bit tag, as RFC 8998 defines {@code AEAD_SM4_GCM}. Authenticated: a
 * changed bit, another key or another field name is refused, never decrypted to garbage.
 *
 * <p><b>Field format.</b> {@link #encryptField} returns standard base64 (RFC 4648 section 4, with padding)
 * of {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}; the plaintext is the value's UTF-8 and the
 * associated data is the field's name in UTF-8, so a value moved to another field does not decrypt. The
 * counterpart reads it with any SM4-GCM implementation, for example GmSSL or OpenSSL 3 with SM4 enabled.
 * {@link #encrypt} and {@link #decrypt} take the nonce and associated data explicitly, for an acquirer
 * whose message format fixes them.
 *
 * <pre>{@code
 * Sm4FieldCipher cipher = Sm4FieldCipher.gcm(Sm4Key.fromHex(settings.secret("sm4-key")));
 * String sealed = cipher.encryptField("settlement-account", "6222021234567890123");
 * String clear = cipher.decryptField("settlement-account", sealed);
 * }</pre>
 *
 * <p>Only GCM is offered. SM4-CBC and SM4-ECB carry no integrity check (a changed ciphertext decrypts to
 * altered data, and CBC padding errors make a padding oracle); they are left out until an acquirer's
 * published format is shown to need them, and an adapter for such an acquirer should use them knowingly,
 * under a signature over the whole message.
 *
 * <p>Nonces are random, so a key may seal about 2<sup>32</sup> fields before its nonces risk repeating: rotate
 * the key well before. Immutable and thread-safe: every call builds its own cipher. Neither clear values,
 * sealed values nor the key appear in exception messages or {@link #toString()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class Sm4FieldCipher {

    /** The nonce length in bytes: the 96 bits GCM is designed for. */
    public static final int NONCE_BYTES = 12;
    /** The tag length in bytes: the full 128 bits. */
    public static final int TAG_BYTES = 16;
    /** The longest clear value {@link #encryptField} takes, in UTF-8 bytes: fields are short. */
    public static final int MAX_FIELD_BYTES = 4096;
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final byte[] key;
    private final SecureRandom random;

    private Sm4FieldCipher(Sm4Key key, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key").reveal();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** An SM4-GCM cipher under this key, with nonces from a new {@link SecureRandom}. */
    public static Sm4FieldCipher gcm(Sm4Key key) {
        return new Sm4FieldCipher(key, new SecureRandom());
    }

    /** An SM4-GCM cipher under this key, with nonces from the given source (a {@link SecureRandom} is thread-safe). */
    public static Sm4FieldCipher gcm(Sm4Key key, SecureRandom random) {
        return new Sm4FieldCipher(key, random);
    }

    /**
     * Encrypts a field's value under a fresh random nonce.
     *
     * @param fieldName what the field is, 1 to 64 characters from {@code [A-Za-z0-9._-]}; the same name must be
     *                  given to {@link #decryptField}
     * @param clear     the value, at most {@value #MAX_FIELD_BYTES} bytes of UTF-8
     * @return base64 of nonce || ciphertext || tag
     */
    public String encryptField(String fieldName, String clear) {
        requireFieldName(fieldName);
        Objects.requireNonNull(clear, "clear");
        byte[] plaintext = clear.getBytes(StandardCharsets.UTF_8);
        try {
            if (plaintext.length > MAX_FIELD_BYTES) {
                throw new IllegalArgumentException("A field to encrypt has at most " + MAX_FIELD_BYTES + " bytes");
            }
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            byte[] sealed = encrypt(nonce, fieldName.getBytes(StandardCharsets.UTF_8), plaintext);
            byte[] packed = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, packed, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, packed, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(packed);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Decrypts a value made by {@link #encryptField} for the same field under the same key.
     *
     * @throws PosUnbindException {@code UNB-SM4-FIELD-UNREADABLE} when it is not base64 of a nonce, a
     *         ciphertext and a tag, fails authentication (another key, another field, a changed bit), or is
     *         not UTF-8 text
     */
    public String decryptField(String fieldName, String sealed) {
        requireFieldName(fieldName);
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length() > 2 * MAX_FIELD_BYTES) {
            throw unreadable("field " + fieldName, "is longer than a sealed field can be");
        }
        byte[] packed;
        try {
            packed = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw unreadable("field " + fieldName, "is not base64");
        }
        // Several spellings decode to the same bytes; accept only the one written, so any change is noticed.
        if (!Base64.getEncoder().encodeToString(packed).equals(sealed)) {
            throw unreadable("field " + fieldName, "is not canonical base64");
        }
        if (packed.length < NONCE_BYTES + TAG_BYTES) {
            throw unreadable("field " + fieldName, "is too short to hold a nonce and a tag");
        }
        byte[] plaintext = open(Arrays.copyOf(packed, NONCE_BYTES), fieldName.getBytes(StandardCharsets.UTF_8),
                Arrays.copyOfRange(packed, NONCE_BYTES, packed.length));
        if (plaintext == null) {
            throw unreadable("field " + fieldName, "fails authentication: it was sealed under another key or for"
                    + " another field, or changed");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext)).toString();
        } catch (CharacterCodingException e) {
            throw unreadable("field " + fieldName, "decrypts to bytes that are not UTF-8");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Encrypts and authenticates bytes under a nonce the caller chose: never use one nonce twice under a key.
     *
     * @param nonce          12 bytes
     * @param associatedData authenticated, not encrypted; may be empty
     * @return the ciphertext followed by the 16-byte tag
     */
    public byte[] encrypt(byte[] nonce, byte[] associatedData, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        GCMModeCipher cipher = cipher(true, nonce, associatedData);
        byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
        int length = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            length += cipher.doFinal(out, length);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("SM4-GCM encryption cannot fail authentication", e);
        }
        return length == out.length ? out : Arrays.copyOf(out, length);
    }

    /**
     * Checks and decrypts a ciphertext followed by its tag.
     *
     * @throws PosUnbindException {@code UNB-SM4-FIELD-UNREADABLE} when the tag does not match: another key,
     *         nonce or associated data, or any changed bit. Nothing unauthenticated is returned.
     */
    public byte[] decrypt(byte[] nonce, byte[] associatedData, byte[] ciphertextAndTag) {
        Objects.requireNonNull(ciphertextAndTag, "ciphertextAndTag");
        byte[] plaintext = open(nonce, associatedData, ciphertextAndTag);
        if (plaintext == null) {
            throw unreadable("ciphertext", "fails authentication: another key, nonce or associated data, or it was"
                    + " changed");
        }
        return plaintext;
    }

    /** The plaintext, or {@code null} when the tag does not match. */
    private byte[] open(byte[] nonce, byte[] associatedData, byte[] ciphertextAndTag) {
        GCMModeCipher cipher = cipher(false, nonce, associatedData);
        if (ciphertextAndTag.length < TAG_BYTES) {
            return null;
        }
        byte[] out = new byte[cipher.getOutputSize(ciphertextAndTag.length)];
        int length = cipher.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        try {
            length += cipher.doFinal(out, length);
        } catch (InvalidCipherTextException e) {
            // BouncyCastle withholds the plaintext until the tag is checked, so nothing unverified leaks.
            Arrays.fill(out, (byte) 0);
            return null;
        }
        return length == out.length ? out : Arrays.copyOf(out, length);
    }

    /** The algorithm, never the key. */
    @Override
    public String toString() {
        return "Sm4FieldCipher[SM4-GCM, 96-bit nonce, 128-bit tag]";
    }

    private GCMModeCipher cipher(boolean encrypt, byte[] nonce, byte[] associatedData) {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(associatedData, "associatedData");
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("SM4-GCM here takes 12-byte nonces");
        }
        GCMModeCipher cipher = GCMBlockCipher.newInstance(new SM4Engine());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, associatedData));
        return cipher;
    }

    private static void requireFieldName(String fieldName) {
        Objects.requireNonNull(fieldName, "fieldName");
        if (!FIELD_NAME.matcher(fieldName).matches()) {
            throw new IllegalArgumentException("A field name has 1 to 64 characters from [A-Za-z0-9._-]");
        }
    }

    private static PosUnbindException unreadable(String what, String problem) {
        return new PosUnbindException(CoreErrorCode.SM4_FIELD_UNREADABLE, "The SM4-GCM " + what + " " + problem
                + "; it cannot be decrypted");
    }
}
