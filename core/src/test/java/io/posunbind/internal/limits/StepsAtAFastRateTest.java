package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.ElapsedClock;
import io.posunbind.testing.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At a fast rate a step keeps no tokens for its next calls (they would lie idle through its earlier calls):
 * a step under way whose next token comes back soon waits for it, ahead of new steps.
 */
class StepsAtAFastRateTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aStepUnderWayWaitsAMomentForItsNextTokenInsteadOfStartingOver() {
        Clock clock = new ElapsedClock(START); // the test waits in real time
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(200), clock);
        for (int call = 0; call < 199; call++) {
            limiter.acquire().close();
        }
        sleep(850); // the first tokens come back some 150 ms from now

        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close(); // the last free token: the step keeps none for its next call
            long before = System.nanoTime();
            limiter.acquire().close(); // waits for the first token to come back
            long waitedMillis = (System.nanoTime() - before) / 1_000_000;
            assertTrue(waitedMillis >= 50 && waitedMillis <= ProviderLimiter.STEP_WAIT.toMillis() + 200,
                    "waited " + waitedMillis + " ms");
        }
        assertEquals(0, limiter.stepsWaiting());
    }

    @Test
    void aNewStepLeavesAWaitingStepItsToken() throws Exception {
        MovableClock clock = new MovableClock(START);
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(200), clock);
        limiter.acquire().close(); // answered at 0: back at 1000 ms
        clock.advance(Duration.ofMillis(700));
        for (int call = 0; call < 198; call++) {
            limiter.acquire().close();
        }
        CompletableFuture<Void> underWay = CompletableFuture.runAsync(() -> {
            try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
                limiter.acquire().close(); // the last free token
                limiter.acquire().close(); // waits for the one back at 1000 ms
            }
        });
        while (limiter.stepsWaiting() == 0) {
            assertTrue(!underWay.isDone(), () -> "the step did not wait: " + underWay.join());
            sleep(1);
        }
        clock.advance(Duration.ofMillis(300)); // 1000 ms: one token back

        try (StepCalls newStep = StepCalls.open("TAKE_INVENTORY")) {
            assertThrows(CallDeferred.class, limiter::acquire, "the token is the waiting step's");
        }
        underWay.get(5, TimeUnit.SECONDS); // the waiting step got it
        assertEquals(0, limiter.stepsWaiting());
    }

    @Test
    void aStepWhoseNextTokenIsFarOffIsDeferredAtOnce() {
        MovableClock clock = new MovableClock(START);
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(200), clock);
        for (int call = 0; call < 199; call++) {
            limiter.acquire().close(); // back at 1000 ms
        }
        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close();
            long before = System.nanoTime();
            CallDeferred deferred = assertThrows(CallDeferred.class, limiter::acquire);
            assertTrue((System.nanoTime() - before) / 1_000_000 < ProviderLimiter.STEP_WAIT.toMillis(),
                    "did not wait");
            assertEquals(START.plusMillis(1000), deferred.wakeAt());
        }
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
