package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step that makes more calls in a row than one window holds (the inventory's reads under a limit of two
 * a second) can never find them together: deferred and restarted, it read again for ever. It waits for its
 * next token instead, on a clock the test moves.
 */
class StepsThatOutgrowTheWindowTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    private final List<Long> waits = new ArrayList<>();

    private ProviderLimiter limiter(double callsPerSecond) {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(callsPerSecond), clock);
        limiter.sleepWith(millis -> {
            waits.add(millis);
            clock.advance(Duration.ofMillis(millis));
        });
        return limiter;
    }

    @Test
    void aStepOfThreeReadsUnderALimitOfTwoASecondWaitsForItsThirdAndFinishes() {
        ProviderLimiter limiter = limiter(2);
        try (StepCalls inventory = StepCalls.open("TAKE_INVENTORY")) {
            for (int read = 0; read < 3; read++) {
                limiter.acquire().close();
                clock.advance(Duration.ofMillis(100)); // each read takes 100 ms
            }
        }
        assertEquals(List.of(801L), waits, "the third read waited for the first one's token, a second after it");
        assertEquals(0, limiter.stepsWaiting());
    }

    @Test
    void aStepWhoseNextTokenIsFurtherOffThanTheLongestWaitIsDeferred() {
        ProviderLimiter limiter = limiter(0.1); // one call in any ten seconds
        try (StepCalls inventory = StepCalls.open("TAKE_INVENTORY")) {
            limiter.acquire().close();
            CallDeferred deferred = assertThrows(CallDeferred.class, limiter::acquire);
            assertEquals(START.plusSeconds(10), deferred.wakeAt());
        }
        assertEquals(List.of(), waits, "no thread held for ten seconds");
    }

    @Test
    void aStepThatFitsTheWindowIsStillDeferredRatherThanHeldAtASlowRate() {
        ProviderLimiter limiter = limiter(5);
        for (int call = 0; call < 4; call++) {
            limiter.acquire().close();
        }
        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close();
            assertThrows(CallDeferred.class, limiter::acquire, "two calls fit a window of five: it comes back");
        }
        assertEquals(List.of(), waits);
    }
}
