package io.posunbind.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host encrypts a merchant's settlement account for a Chinese acquirer with SM4-GCM and reads back what
 * the acquirer encrypted; the cipher is proven bit for bit against RFC 8998's SM4-GCM example.
 */
class Sm4FieldCipherTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String ACCOUNT = "6222021234567890123";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sm4FieldCipher cipher = Sm4FieldCipher.gcm(Sm4Key.generate(RANDOM));

    // --- RFC 8998, appendix A.1: AEAD_SM4_GCM ------------------------------------------------------------

    private static final Sm4Key RFC_KEY = Sm4Key.fromHex(Secret.of("0123456789ABCDEFFEDCBA9876543210"));
    private static final byte[] RFC_NONCE = HEX.parseHex("00001234567800000000ABCD");
    private static final byte[] RFC_ASSOCIATED_DATA = HEX.parseHex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
    private static final byte[] RFC_PLAINTEXT = HEX.parseHex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB"
            + "CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD" + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFF"
            + "EEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
    private static final String RFC_CIPHERTEXT = "17F399F08C67D5EE19D0DC9969C4BB7D" + "5FD46FD3756489069157B282BB200735"
            + "D82710CA5C22F0CCFA7CBF93D496AC15" + "A56834CBCF98C397B4024A2691233B8D";
    private static final String RFC_TAG = "83DE3541E4C2B58177E065A9BF7B62EC";

    @Test
    void encryptsRfc8998sExampleToItsPublishedCiphertextAndTag() {
        byte[] sealed = Sm4FieldCipher.gcm(RFC_KEY).encrypt(RFC_NONCE, RFC_ASSOCIATED_DATA, RFC_PLAINTEXT);

        assertEquals((RFC_CIPHERTEXT + RFC_TAG).toLowerCase(), HEX.formatHex(sealed));
    }

    @Test
    void decryptsRfc8998sExampleAndRefusesItWithAnyBitChanged() {
        Sm4FieldCipher rfc = Sm4FieldCipher.gcm(RFC_KEY);
        byte[] sealed = HEX.parseHex(RFC_CIPHERTEXT + RFC_TAG);

        assertArrayEquals(RFC_PLAINTEXT, rfc.decrypt(RFC_NONCE, RFC_ASSOCIATED_DATA, sealed));
        for (int bit = 0; bit < sealed.length * 8; bit += 7) {
            byte[] changed = sealed.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(CoreErrorCode.SM4_FIELD_UNREADABLE, assertThrows(PosUnbindException.class,
                    () -> rfc.decrypt(RFC_NONCE, RFC_ASSOCIATED_DATA, changed)).errorCode(), "bit " + bit);
        }
        byte[] otherData = RFC_ASSOCIATED_DATA.clone();
        otherData[0] ^= 1;
        assertThrows(PosUnbindException.class, () -> rfc.decrypt(RFC_NONCE, otherData, sealed));
    }

    // --- fields ------------------------------------------------------------------------------------------

    @Test
    void aSettlementAccountRoundTripsAndIsSealedDifferentlyEachTime() {
        String first = cipher.encryptField("settlement-account", ACCOUNT);
        String second = cipher.encryptField("settlement-account", ACCOUNT);

        assertNotEquals(first, second, "a fresh nonce each time: equal accounts cannot be spotted");
        assertEquals(ACCOUNT, cipher.decryptField("settlement-account", first));
        assertEquals(ACCOUNT, cipher.decryptField("settlement-account", second));
        assertEquals(12 + ACCOUNT.length() + 16, Base64.getDecoder().decode(first).length,
                "nonce || ciphertext || tag");
        String bank = "上海浦东发展银行";
        assertEquals(bank, cipher.decryptField("bank-name", cipher.encryptField("bank-name", bank)));
        assertEquals("", cipher.decryptField("empty", cipher.encryptField("empty", "")));
    }

    @Test
    void theFieldFormatIsNonceCiphertextTagWithTheFieldNameAsAssociatedData() {
        // What the acquirer's side does with any SM4-GCM library, spelled out with the byte-level methods.
        byte[] packed = Base64.getDecoder().decode(cipher.encryptField("settlement-account", ACCOUNT));
        byte[] nonce = Arrays.copyOf(packed, Sm4FieldCipher.NONCE_BYTES);
        byte[] rest = Arrays.copyOfRange(packed, Sm4FieldCipher.NONCE_BYTES, packed.length);

        assertEquals(ACCOUNT, new String(cipher.decrypt(nonce, "settlement-account".getBytes(StandardCharsets.UTF_8),
                rest), StandardCharsets.UTF_8));
    }

    @Test
    void aValueMovedToAnotherFieldOrUnderAnotherKeyIsRefused() {
        String sealed = cipher.encryptField("settlement-account", ACCOUNT);

        assertUnreadable(() -> cipher.decryptField("identity-number", sealed));
        assertUnreadable(() -> Sm4FieldCipher.gcm(Sm4Key.generate(RANDOM)).decryptField("settlement-account", sealed));
    }

    @Test
    void everyChangedCharacterIsRefused() {
        String sealed = cipher.encryptField("settlement-account", ACCOUNT);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < sealed.length(); i++) {
            char replacement = alphabet.charAt((alphabet.indexOf(sealed.charAt(i)) + 1) % alphabet.length());
            String changed = sealed.substring(0, i) + replacement + sealed.substring(i + 1);
            if (!changed.equals(sealed)) {
                assertUnreadable(() -> cipher.decryptField("settlement-account", changed));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "QUJD", "QUJDRA"})
    void malformedSealedValuesAreRefusedWithTheCode(String sealed) {
        assertUnreadable(() -> cipher.decryptField("settlement-account", sealed));
    }

    @Test
    void neitherTheKeyNorTheValuesAppearInTextsOrErrors() {
        Sm4Key key = Sm4Key.fromHex(Secret.of("00112233445566778899aabbccddeeff"));
        Sm4FieldCipher withKey = Sm4FieldCipher.gcm(key);
        String sealed = withKey.encryptField("settlement-account", ACCOUNT);
        PosUnbindException e = assertThrows(PosUnbindException.class,
                () -> withKey.decryptField("identity-number", sealed));

        assertEquals("Sm4Key[****]", key.toString());
        for (String text : List.of(key.toString(), withKey.toString(), e.getMessage())) {
            assertFalse(text.contains("00112233"), text);
            assertFalse(text.contains(ACCOUNT), text);
            assertFalse(text.contains(sealed), text);
        }
    }

    // --- keys --------------------------------------------------------------------------------------------

    @Test
    void keysAreReadFromHexBase64OrBytesAndMustHaveSixteenBytes() {
        byte[] bytes = HEX.parseHex("0123456789abcdeffedcba9876543210");
        String sealed = Sm4FieldCipher.gcm(Sm4Key.of(bytes)).encryptField("f", "x");

        assertEquals("x", Sm4FieldCipher.gcm(RFC_KEY).decryptField("f", sealed), "hex of either case");
        assertEquals("x", Sm4FieldCipher.gcm(Sm4Key.fromBase64(Secret.of(Base64.getEncoder().encodeToString(bytes))))
                .decryptField("f", sealed));
        for (Runnable bad : List.<Runnable>of(
                () -> Sm4Key.of(new byte[15]),
                () -> Sm4Key.of(new byte[32]),
                () -> Sm4Key.fromHex(Secret.of("0123456789abcdeffedcba987654321")),
                () -> Sm4Key.fromHex(Secret.of("0123456789abcdeffedcba987654321g")),
                () -> Sm4Key.fromBase64(Secret.of("not base64!")),
                () -> Sm4Key.fromBase64(Secret.of(Base64.getEncoder().encodeToString(new byte[24]))))) {
            PosUnbindException e = assertThrows(PosUnbindException.class, bad::run);
            assertEquals(CoreErrorCode.SM4_KEY_INVALID, e.errorCode());
            assertFalse(e.getMessage().contains("0123456789"), e.getMessage());
        }
    }

    @Test
    void aKeyHandsOutCopiesOnly() {
        byte[] bytes = new byte[16];
        Sm4Key key = Sm4Key.of(bytes);
        bytes[0] = 1;
        byte[] revealed = key.reveal();
        revealed[1] = 1;

        assertArrayEquals(new byte[16], key.reveal());
    }

    private static void assertUnreadable(Runnable decryption) {
        assertEquals(CoreErrorCode.SM4_FIELD_UNREADABLE, assertThrows(PosUnbindException.class, decryption::run)
                .errorCode());
    }
}
