package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.CallLimit;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The provider counts a call when its request arrives, somewhere between our permit and its answer (the
 * network, a busy CPU or a slow TLS handshake decide where). A token that came back one window after its
 * permit let a late request share a window, as the provider counts, with one sent a window later and
 * delivered at once: 401 calls in one second were seen at a sandbox allowing 400. A token comes back one
 * window after the call's answer, so wherever the request arrived, no window the provider counts holds more.
 */
class LimitsCountedAtTheProviderTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(START);

    @Test
    void aCallKeepsItsTokenUntilOneWindowAfterItsAnswer() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(2), clock);
        Permit slow = limiter.acquire();
        limiter.acquire().close(); // answered at once
        clock.advance(Duration.ofMillis(300));
        slow.close(); // answered 300 ms after its permit: its request may have arrived a moment ago

        clock.advance(Duration.ofMillis(700)); // one second after both permits
        limiter.acquire().close(); // the quick call's token is back
        CallDeferred deferred = assertThrows(CallDeferred.class, limiter::acquire);
        assertEquals(START.plusMillis(1300), deferred.wakeAt(), "one second after the slow call's answer");
        clock.advance(Duration.ofMillis(299));
        assertThrows(CallDeferred.class, limiter::acquire);
        clock.advance(Duration.ofMillis(1));
        limiter.acquire().close();
    }

    @Test
    void aCallNotAnsweredYetHoldsItsTokenHoweverLongItTakes() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(1), clock);
        Permit hanging = limiter.acquire();
        clock.advance(Duration.ofSeconds(5));

        CallDeferred deferred = assertThrows(CallDeferred.class, limiter::acquire);
        assertTrue(deferred.wakeAt().isAfter(clock.instant()), "comes back to look again, later");
        hanging.close();
        clock.advance(Duration.ofMillis(999));
        assertThrows(CallDeferred.class, limiter::acquire);
        clock.advance(Duration.ofMillis(1));
        limiter.acquire().close();
    }

    @Test
    void aCallGivenBackUnsentFreesItsTokenAtOnce() {
        ProviderLimits limits = ProviderLimits.perSecond(100).withOperation(OperationKind.UNBIND_TERMINAL,
                CallLimit.of(1, Duration.ofMinutes(1)));
        ProviderLimiter operation = new ProviderLimiter("acme", OperationKind.UNBIND_TERMINAL, limits, clock,
                "this-instance", Optional.empty());
        operation.acquire().refund();
        operation.acquire().close();
        assertThrows(CallDeferred.class, operation::acquire);
    }

    @Test
    void whereverTheRequestsArriveBetweenPermitAndAnswerNoWindowAtTheProviderHoldsMoreThanTheLimit() {
        int limit = 10;
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(limit), clock);
        Random random = new Random(20261201);
        List<Long> arrivals = new ArrayList<>();
        PriorityQueue<OpenCall> open = new PriorityQueue<>();
        long millis = 0;
        for (; millis < 30_000; millis += 5) {
            while (!open.isEmpty() && open.peek().answeredAt() <= millis) {
                open.poll().permit().close();
            }
            for (int caller = 0; caller < 4; caller++) {
                try {
                    Permit permit = limiter.acquire();
                    long latency = 5 + 5 * random.nextInt(80); // 5 to 400 ms
                    arrivals.add(millis + (long) (random.nextDouble() * latency)); // anywhere on the way
                    open.add(new OpenCall(millis + latency, permit));
                } catch (CallDeferred deferred) {
                    // the caller comes back at the next tick: far more demand than the limit
                }
            }
            clock.advance(Duration.ofMillis(5));
        }

        assertTrue(maxInAnyWindow(arrivals, 1_000) <= limit, "at most " + limit + " arrivals in any second, was "
                + maxInAnyWindow(arrivals, 1_000));
        // Tokens wait for the answers (about 200 ms on average here), not longer: the rate stays near limit / 1.2 s.
        assertTrue(arrivals.size() >= 30 * limit * 3 / 4, arrivals.size() + " calls in 30 s");
    }

    private static int maxInAnyWindow(List<Long> arrivals, long windowMillis) {
        List<Long> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        int max = 0;
        int first = 0;
        for (int last = 0; last < sorted.size(); last++) {
            while (sorted.get(last) - sorted.get(first) >= windowMillis) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    private record OpenCall(long answeredAt, Permit permit) implements Comparable<OpenCall> {
        @Override
        public int compareTo(OpenCall other) {
            return Long.compare(answeredAt, other.answeredAt);
        }
    }
}
