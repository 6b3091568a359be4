package io.posunbind.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataKeyTest {

    private static final byte[] BYTES = new byte[32];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) (i * 7 + 1);
        }
    }

    @Test
    void keyBytesAreCopiedInAndOut() {
        byte[] given = BYTES.clone();
        DataKey key = new DataKey("k1", given);
        given[0] ^= 1;
        byte[] out = key.material();
        assertArrayEquals(BYTES, out);
        out[1] ^= 1;
        assertArrayEquals(BYTES, key.material());
    }

    @Test
    void toStringShowsTheIdOnly() {
        DataKey key = new DataKey("2025-06", BYTES);
        assertEquals("DataKey[2025-06]", key.toString());
        assertFalse(key.toString().contains(key.toBase64()));
    }

    @Test
    void equalityComparesIdAndBytes() {
        assertEquals(new DataKey("a", BYTES), new DataKey("a", BYTES.clone()));
        assertNotEquals(new DataKey("a", BYTES), new DataKey("b", BYTES));
        byte[] other = BYTES.clone();
        other[31] ^= 1;
        assertNotEquals(new DataKey("a", BYTES), new DataKey("a", other));
    }

    @Test
    void base64RoundTrip() {
        DataKey key = DataKey.generate("k", new SecureRandom());
        assertEquals(key, DataKey.fromBase64("k", "  " + key.toBase64() + "\n"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 31, 33, 64})
    void refusesKeysThatAreNot256Bits(int length) {
        assertThrows(IllegalArgumentException.class, () -> new DataKey("k", new byte[length]));
        PosUnbindException e = assertThrows(PosUnbindException.class,
                () -> DataKey.fromBase64("k", Base64.getEncoder().encodeToString(new byte[length])));
        assertEquals(CoreErrorCode.DATA_KEY_INVALID, e.errorCode());
    }

    @Test
    void notBase64IsCodedAndNotQuoted() {
        PosUnbindException e = assertThrows(PosUnbindException.class,
                () -> DataKey.fromBase64("k", "secret-value-not-base64!"));
        assertEquals(CoreErrorCode.DATA_KEY_INVALID, e.errorCode());
        assertFalse(e.getMessage().contains("secret-value"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "with space", "ключ",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void refusesBadIds(String id) {
        assertFalse(DataKey.isValidId(id));
        assertThrows(IllegalArgumentException.class, () -> new DataKey(id, BYTES));
    }

    @Test
    void acceptsTypicalIds() {
        assertTrue(DataKey.isValidId("2025-06"));
        assertTrue(DataKey.isValidId("kms.alias_prod-1"));
    }
}
