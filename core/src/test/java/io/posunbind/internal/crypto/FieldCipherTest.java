package io.posunbind.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.PosUnbindException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldCipherTest {

    private static final String CARD = "6250946000000016";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataKey key1 = DataKey.generate("2025-01", RANDOM);
    private final FieldCipher cipher = FieldCipher.create(StaticDataKeyProvider.of(key1));

    @Test
    void roundTripWithTheDocumentedTokenForm() {
        String token = cipher.encrypt("card-number", CARD);
        // 12-byte nonce + 16 clear bytes + 16-byte tag = 44 bytes = 60 base64 characters.
        assertTrue(token.matches("enc:v1:2025-01:[A-Za-z0-9+/]{59}="), token);
        assertFalse(token.contains(CARD));
        assertEquals(CARD, cipher.decrypt("card-number", token));
    }

    @Test
    void everyTokenHasAFreshNonce() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(cipher.encrypt("card-number", CARD));
        }
        assertEquals(1000, tokens.size());
    }

    @Test
    void aTokenMovedToAnotherKindOfFieldDoesNotDecrypt() {
        String token = cipher.encrypt("card-number", CARD);
        assertCode(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE, () -> cipher.decrypt("account-number", token));
    }

    @Test
    void oldTokensStayReadableAfterRotation() {
        String old = cipher.encrypt("phone-number", "13812345678");
        DataKey key2 = DataKey.generate("2025-06", RANDOM);
        FieldCipher rotated = FieldCipher.create(StaticDataKeyProvider.of(key2, key1));
        assertEquals("13812345678", rotated.decrypt("phone-number", old));
        assertTrue(rotated.encrypt("phone-number", "13812345678").startsWith("enc:v1:2025-06:"));
    }

    @Test
    void aRetiredKeyThatWasDroppedIsReportedByItsId() {
        String old = cipher.encrypt("phone-number", "13812345678");
        FieldCipher withoutOldKey = FieldCipher.create(StaticDataKeyProvider.of(DataKey.generate("2025-06", RANDOM)));
        PosUnbindException e = assertCode(CoreErrorCode.DATA_KEY_UNKNOWN,
                () -> withoutOldKey.decrypt("phone-number", old));
        assertTrue(e.getMessage().contains("2025-01"));
    }

    @Test
    void anotherKeyUnderTheSameIdFailsAuthentication() {
        String token = cipher.encrypt("card-number", CARD);
        FieldCipher impostor = FieldCipher.create(StaticDataKeyProvider.of(DataKey.generate("2025-01", RANDOM)));
        assertCode(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE, () -> impostor.decrypt("card-number", token));
    }

    @Test
    void everyChangedCharacterIsRefusedWithACode() {
        String token = cipher.encrypt("identity-number", "11010519491231002X");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=:-.v";
        int refused = 0;
        for (int i = 0; i < token.length(); i++) {
            for (char c : new char[] {alphabet.charAt(RANDOM.nextInt(alphabet.length())), '#'}) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String changed = token.substring(0, i) + c + token.substring(i + 1);
                PosUnbindException e = assertThrows(PosUnbindException.class,
                        () -> cipher.decrypt("identity-number", changed), changed);
                assertTrue(e.errorCode() == CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE
                        || e.errorCode() == CoreErrorCode.DATA_KEY_UNKNOWN, e.getMessage());
                assertFalse(e.getMessage().contains("11010519491231002X"));
                refused++;
            }
        }
        assertTrue(refused > token.length());
    }

    @Test
    void aChangeThatDecodesToTheSameBytesIsStillRefused() {
        String token = cipher.encrypt("card-number", CARD);
        // 44 bytes end in "X=" where X carries 4 bits and 2 unused ones: X+1 decodes to the same bytes.
        int last = token.length() - 2;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char sibling = alphabet.charAt(alphabet.indexOf(token.charAt(last)) ^ 1);
        String sameBytes = token.substring(0, last) + sibling + "=";
        assertEquals(java.util.Arrays.toString(java.util.Base64.getDecoder().decode(token.substring(15))),
                java.util.Arrays.toString(java.util.Base64.getDecoder().decode(sameBytes.substring(15))));
        assertCode(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE, () -> cipher.decrypt("card-number", sameBytes));
        assertCode(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE,
                () -> cipher.decrypt("card-number", token.substring(0, token.length() - 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"enc:", "enc:v1", "enc:v1:k", "enc:v1:2025-01:", "enc:v1:2025-01:AAAA",
            "enc:v2:2025-01:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "enc:v1:bad key:AAAA",
            "enc:v1:2025-01:not base64!", "enc:v1:2025-01:AAAA:extra", "plain", ""})
    void malformedTokensAreRefusedWithACode(String token) {
        assertCode(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE, () -> cipher.decrypt("card-number", token));
    }

    @Test
    void hugeTokensAreRefusedBeforeDecoding() {
        assertCode(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE,
                () -> cipher.decrypt("card-number", "enc:v1:2025-01:" + "A".repeat(1_000_000)));
    }

    @Test
    void unicodeValuesRoundTrip() {
        assertEquals("张三-账户-001", cipher.decrypt("account-number", cipher.encrypt("account-number", "张三-账户-001")));
    }

    @Test
    void concurrentUseIsSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String value = "62509460000000" + (10 + t);
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (!value.equals(cipher.decrypt("card-number", cipher.encrypt("card-number", value)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysArePerPurpose() {
        // The same data key must not give the same AES key to backups and fields.
        StaticDataKeyProvider keys = StaticDataKeyProvider.of(key1);
        assertNotEquals(java.util.HexFormat.of().formatHex(new PurposeKeys(keys, "posunbind/field").current().material()),
                java.util.HexFormat.of().formatHex(new PurposeKeys(keys, "posunbind/backup").current().material()));
    }

    @Test
    void toStringHasNoKeyMaterial() {
        assertFalse(cipher.toString().contains(key1.toBase64()));
    }

    private static PosUnbindException assertCode(CoreErrorCode code, org.junit.jupiter.api.function.Executable call) {
        PosUnbindException e = assertThrows(PosUnbindException.class, call);
        assertEquals(code, e.errorCode(), e.getMessage());
        return e;
    }
}
