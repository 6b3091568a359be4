package io.posunbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(2), Duration.ofMinutes(1), 2.0);

    @Test
    void delaysGrowExponentiallyWithinTheJitterBand() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            long full = 2000L << (attempt - 1);
            assertEquals(full / 2, policy.delayAfter(attempt, 0.0).toMillis());
            assertTrue(policy.delayAfter(attempt, 0.999).toMillis() < full);
        }
    }

    @Test
    void delaysAreCapped() {
        assertTrue(policy.delayAfter(30, 0.999).compareTo(Duration.ofMinutes(1)) <= 0);
        assertEquals(Duration.ofSeconds(30), policy.delayAfter(30, 0.0));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(1), 2));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Double.NaN));
    }
}
