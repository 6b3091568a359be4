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
        assertEquals("short1", new IdempotencyKey("short1").compact(8));
    }

    @Test
    void keysThatDifferOnlyInCaseKeepDistinctCompactForms() {
        // Case ids are case-sensitive, so two cases may derive keys that differ only in case; at a
        // provider with a short serial field they must remain two operations, not one.
        for (String[] pair : new String[][] {{"SHORT1", "short1"}, {"Ab12cd34", "aB12CD34"},
                {"CaseA.3.1", "casea.3.1"}, {"k3m9X2q8r7t6v5w4y3z2a1b0c9.12.1", "k3m9x2q8r7t6v5w4y3z2a1b0c9.12.1"}}) {
            for (int length : new int[] {8, 16, 20, 32}) {
                String upper = new IdempotencyKey(pair[0]).compact(length);
                String lower = new IdempotencyKey(pair[1]).compact(length);
                assertNotEquals(upper, lower, pair[0] + " / " + pair[1] + " at " + length);
                assertTrue(upper.length() <= length && upper.matches("[0-9a-z]+"), upper);
                assertEquals(upper, new IdempotencyKey(pair[0]).compact(length), "deterministic");
            }
        }
    }
}
