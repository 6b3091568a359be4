package io.posunbind.internal.crypto;

import io.posunbind.CoreErrorCode;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.PosUnbindException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Encrypts short secrets (card, account, identity and phone numbers) into compact text tokens for the
 * case store, and decrypts them:
 * <pre>
 * enc:v1:&lt;keyId&gt;:&lt;base64(nonce | ciphertext | tag)&gt;
 * enc:v1:2025-06:ZJDded7ZoSaCoK5wc+Zo8Pvt0awJi2qjvKE5KvGLGsLcKoKSQyJ65sGQ0M8=   (a 16-digit card)
 * </pre>
 * AES-256-GCM with a fresh random 96-bit nonce per token and a 128-bit tag, so the same number gives a
 * different token every time and equal numbers cannot be spotted in the store. The associated data is
 * the field's kind label and the key id: a token moved into a field of another kind fails to decrypt.
 * The AES key is derived from the {@link DataKeyProvider}'s data key for this purpose alone (see
 * {@link PurposeKeys}); base64 is the standard alphabet with padding.
 *
 * <p>Random nonces allow about 2<sup>32</sup> tokens per data key; every stored document re-encrypts its
 * fields, so rotate the data key (at least yearly, or every few hundred million document writes).
 *
 * <p>Thread-safe. Neither tokens nor clear values appear in exception messages.
 */
public final class FieldCipher {

    /** Every token starts with this. */
    public static final String TOKEN_PREFIX = "enc:";
    private static final String VERSION_1 = "v1";
    private static final String PURPOSE = "posunbind/field";
    private static final String AAD_LABEL = "posunbind/field/v1";
    /** The longest token read; real ones are under 200 characters. Guards against huge stored values. */
    private static final int MAX_TOKEN_LENGTH = 4096;
    /** The longest clear value written; sensitive numbers have at most 64 characters. */
    private static final int MAX_CLEAR_LENGTH = 1024;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9-]{1,40}");

    private final PurposeKeys keys;
    private final SecureRandom random;

    private FieldCipher(DataKeyProvider keys, SecureRandom random) {
        this.keys = new PurposeKeys(Objects.requireNonNull(keys, "keys"), PURPOSE);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A cipher encrypting with the provider's current key, nonces from a new {@link SecureRandom}. */
    public static FieldCipher create(DataKeyProvider keys) {
        return new FieldCipher(keys, new SecureRandom());
    }

    /** A cipher with the given source of nonces (a {@link SecureRandom} is thread-safe). */
    public static FieldCipher create(DataKeyProvider keys, SecureRandom random) {
        return new FieldCipher(keys, random);
    }

    /** Whether the text is (meant to be) a token rather than a clear value. */
    public static boolean isToken(String text) {
        return text != null && text.startsWith(TOKEN_PREFIX);
    }

    /**
     * Encrypts a clear value under the current data key.
     *
     * @param label what kind of field this is, lower case, for example {@code "card-number"}; the same label
     *              must be given to {@link #decrypt}
     */
    public String encrypt(String label, String clear) {
        requireLabel(label);
        Objects.requireNonNull(clear, "clear");
        if (clear.length() > MAX_CLEAR_LENGTH) {
            throw new IllegalArgumentException("A field to encrypt has at most " + MAX_CLEAR_LENGTH + " characters");
        }
        PurposeKeys.Key key = keys.current();
        byte[] nonce = new byte[AesGcm.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plaintext = clear.getBytes(StandardCharsets.UTF_8);
        byte[] sealed = AesGcm.encrypt(key.material(), nonce, associatedData(label, key.id()), plaintext);
        Arrays.fill(plaintext, (byte) 0);
        byte[] packed = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, packed, 0, nonce.length);
        System.arraycopy(sealed, 0, packed, nonce.length, sealed.length);
        return TOKEN_PREFIX + VERSION_1 + ":" + key.id() + ":" + Base64.getEncoder().encodeToString(packed);
    }

    /**
     * Decrypts a token made by {@link #encrypt} with the same label.
     *
     * @throws PosUnbindException {@link CoreErrorCode#DATA_KEY_UNKNOWN} when the token's key is not in the
     *         provider; {@link CoreErrorCode#ENCRYPTED_FIELD_UNREADABLE} when the token is malformed, of an
     *         unknown version, of another field kind, or was changed
     */
    public String decrypt(String label, String token) {
        requireLabel(label);
        Objects.requireNonNull(token, "token");
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw unreadable(label, "is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        String[] parts = token.split(":", -1);
        if (parts.length != 4 || !(parts[0] + ":").equals(TOKEN_PREFIX)) {
            throw unreadable(label, "is not of the form enc:v1:<key id>:<base64>");
        }
        if (!VERSION_1.equals(parts[1])) {
            throw unreadable(label, "has token version '" + (parts[1].length() <= 8 ? parts[1] : "…")
                    + "', unknown to this version of posunbind; upgrade posunbind");
        }
        String keyId = parts[2];
        if (!DataKey.isValidId(keyId)) {
            throw unreadable(label, "names no valid key id");
        }
        byte[] packed;
        try {
            packed = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw unreadable(label, "is not valid base64 after the key id");
        }
        // Several spellings decode to the same bytes (unused low bits, missing padding); accept only the
        // one this class writes, so that any change to a stored token is noticed.
        if (!Base64.getEncoder().encodeToString(packed).equals(parts[3])) {
            throw unreadable(label, "is not canonical base64 after the key id");
        }
        if (packed.length < AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES) {
            throw unreadable(label, "is too short to hold a nonce and a tag");
        }
        PurposeKeys.Key key = keys.byId(keyId, "An encrypted " + label);
        byte[] nonce = Arrays.copyOf(packed, AesGcm.NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(packed, AesGcm.NONCE_BYTES, packed.length);
        Optional<byte[]> plaintext = AesGcm.decrypt(key.material(), nonce, associatedData(label, keyId), sealed);
        if (plaintext.isEmpty()) {
            throw unreadable(label, "fails authentication under key " + keyId
                    + ": it was changed, or belongs to another kind of field");
        }
        byte[] bytes = plaintext.get();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw unreadable(label, "decrypts to bytes that are not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "FieldCipher[AES-256-GCM, token " + TOKEN_PREFIX + VERSION_1 + "]";
    }

    private static byte[] associatedData(String label, String keyId) {
        return AssociatedData.of(AAD_LABEL).text(label).text(keyId).toBytes();
    }

    private static void requireLabel(String label) {
        Objects.requireNonNull(label, "label");
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("A field label has 1 to 40 characters from [a-z0-9-]");
        }
    }

    private static PosUnbindException unreadable(String label, String problem) {
        return new PosUnbindException(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE,
                "An encrypted " + label + " in a stored document " + problem, null, null);
    }
}
