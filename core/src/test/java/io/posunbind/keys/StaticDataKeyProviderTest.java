package io.posunbind.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticDataKeyProviderTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void currentAndRetiredKeysAreFoundById() {
        DataKey current = DataKey.generate("2025-06", random);
        DataKey retired = DataKey.generate("2025-01", random);
        StaticDataKeyProvider keys = StaticDataKeyProvider.of(current, retired);
        assertEquals(current, keys.currentKey());
        assertEquals(Optional.of(current), keys.key("2025-06"));
        assertEquals(Optional.of(retired), keys.key("2025-01"));
        assertEquals(Optional.empty(), keys.key("2024-01"));
    }

    @Test
    void oneIdCannotNameTwoKeys() {
        assertThrows(IllegalArgumentException.class, () -> StaticDataKeyProvider.of(
                DataKey.generate("k", random), List.of(DataKey.generate("k", random))));
    }

    @Test
    void toStringListsIdsOnly() {
        DataKey current = DataKey.generate("b", random);
        StaticDataKeyProvider keys = StaticDataKeyProvider.of(current, DataKey.generate("a", random));
        assertEquals("StaticDataKeyProvider[current=b, keys=[a, b]]", keys.toString());
        assertFalse(keys.toString().contains(current.toBase64()));
    }
}
