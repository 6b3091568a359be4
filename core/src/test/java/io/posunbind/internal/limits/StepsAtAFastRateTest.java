package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At a fast rate a step keeps no tokens for its next calls (they would lie idle through its earlier calls):
 * a step under way whose next token comes back soon waits for it, ahead of new steps. The waits pass on a
 * clock the test moves: nothing here sleeps in real time.
 */
class StepsAtAFastRateTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    private final ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(200), clock);

    @Test
    void aStepUnderWayWaitsAMomentForItsNextTokenInsteadOfStartingOver() {
        List<Long> waits = new ArrayList<>();
        limiter.sleepWith(millis -> {
            waits.add(millis);
            clock.advance(Duration.ofMillis(millis));
        });
        for (int call = 0; call < 199; call++) {
            limiter.acquire().close(); // answered at 0: back at 1000 ms
        }
        clock.advance(Duration.ofMillis(850));

        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close(); // the last free token: the step keeps none for its next call
            limiter.acquire().close(); // waits for the first token to come back
        }

        assertEquals(List.of(151L), waits, "until the first token came back, once");
        assertEquals(0, limiter.stepsWaiting());
    }

    @Test
    void aNewStepLeavesAWaitingStepItsToken() throws Exception {
        CountDownLatch tokenBack = new CountDownLatch(1);
        limiter.sleepWith(millis -> tokenBack.await());
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
            assertFalse(underWay.isDone(), () -> "the step did not wait: " + underWay.join());
            Thread.onSpinWait();
        }
        clock.advance(Duration.ofMillis(300)); // 1000 ms: one token back

        try (StepCalls newStep = StepCalls.open("TAKE_INVENTORY")) {
            assertThrows(CallDeferred.class, limiter::acquire, "the token is the waiting step's");
        }
        tokenBack.countDown();
        underWay.get(30, TimeUnit.SECONDS); // the waiting step got it; bounds a hang, not a timing assertion
        assertEquals(0, limiter.stepsWaiting());
    }

    @Test
    void aStepWhoseNextTokenIsFarOffIsDeferredWithoutWaiting() {
        limiter.sleepWith(millis -> {
            throw new AssertionError("waited " + millis + " ms");
        });
        for (int call = 0; call < 199; call++) {
            limiter.acquire().close(); // back at 1000 ms
        }
        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close();
            CallDeferred deferred = assertThrows(CallDeferred.class, limiter::acquire);
            assertEquals(START.plusMillis(1000), deferred.wakeAt());
        }
    }

    @Test
    void aStepDoesNotWaitForATokenWhileEveryCallAllowedOpenIsOpen() {
        ProviderLimiter oneAtATime = new ProviderLimiter("acme", ProviderLimits.of(200, 1), clock);
        oneAtATime.sleepWith(millis -> {
            throw new AssertionError("waited " + millis + " ms for a token that could not let it through");
        });
        for (int call = 0; call < 198; call++) {
            oneAtATime.acquire().close(); // back at 1000 ms
        }
        clock.advance(Duration.ofMillis(900));
        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            oneAtATime.acquire().close();
            Permit another = oneAtATime.acquire(); // outside the step: another case's call, still open
            assertThrows(CallDeferred.class, oneAtATime::acquire);
            another.close();
        }
    }

    @Test
    void aStepWhoseWaitFailsLeavesTheLineSoNewStepsAreNotHeldBackForEver() {
        limiter.sleepWith(millis -> {
            throw new IllegalStateException("the thread was stopped");
        });
        for (int call = 0; call < 199; call++) {
            limiter.acquire().close();
        }
        clock.advance(Duration.ofMillis(900));
        try (StepCalls step = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close();
            assertThrows(IllegalStateException.class, limiter::acquire);
        }
        assertEquals(0, limiter.stepsWaiting());
        clock.advance(Duration.ofMillis(100)); // 1000 ms: 199 tokens back, none kept for a step that left
        for (int call = 0; call < 199; call++) {
            limiter.acquire().close();
        }
        assertTrue(limiter.stats().callsPermitted() >= 399);
    }
}
