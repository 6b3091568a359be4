package io.posunbind.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void keysHaveAPortableShape() {
        assertThrows(IllegalArgumentException.class, () -> new IdempotencyKey(""));
        assertThrows(IllegalArgumentException.class, () -> new IdempotencyKey("has space"));
        assertThrows(IllegalArgumentException.class, () -> new IdempotencyKey("x".repeat(65)));
        assertEquals("abc.1.1", new IdempotencyKey("abc.1.1").toString());
    }

    @Test
    void compactFormsAreShortStableAndDistinct() {
        IdempotencyKey first = new IdempotencyKey("k3m9x2q8r7t6v5w4y3z2a1b0c9.12.1");
        IdempotencyKey second = new IdempotencyKey("k3m9x2q8r7t6v5w4y3z2a1b0c9.13.1");
        String compact = first.compact(20);
        assertTrue(compact.length() <= 20 && compact.matches("[0-9a-z]+"), compact);
        assertEquals(compact, first.compact(20));
        assertNotEquals(compact, second.compact(20));
        assertEquals("short1", new IdempotencyKey("SHORT1").compact(8));
    }
}
