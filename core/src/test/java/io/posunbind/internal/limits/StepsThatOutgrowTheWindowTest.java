package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.ElapsedClock;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A step that makes more calls in a row than one window holds (the inventory's reads under a limit of two
 * a second) can never find them together: deferred and restarted, it read again for ever. It waits for its
 * next token instead.
 */
class StepsThatOutgrowTheWindowTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aStepOfThreeReadsUnderALimitOfTwoASecondWaitsForItsThirdAndFinishes() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(2), new ElapsedClock(START));
        long started = System.nanoTime();
        try (StepCalls inventory = StepCalls.open("TAKE_INVENTORY")) {
            for (int read = 0; read < 3; read++) {
                limiter.acquire().close();
            }
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis >= 900 && tookMillis < 3_000, "the third read waited for the first one's token: "
                + tookMillis + " ms");
        assertEquals(0, limiter.stepsWaiting());
    }

    @Test
    void aStepThatFitsTheWindowIsStillDeferredRatherThanHeldAtASlowRate() {
        MovableClock clock = new MovableClock(START);
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(5), clock);
        for (int call = 0; call < 4; call++) {
            limiter.acquire().close();
        }
        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close();
            long before = System.nanoTime();
            assertThrows(CallDeferred.class, limiter::acquire, "two calls fit a window of five: it comes back");
            assertTrue((System.nanoTime() - before) / 1_000_000 < 100, "without waiting");
        }
    }
}
