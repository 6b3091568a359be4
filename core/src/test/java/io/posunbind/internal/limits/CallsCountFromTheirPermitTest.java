package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A call counts against the limit from the moment it is let through, which is when it leaves for the
 * provider, not from when its caller asked (and until one second after its answer, see
 * {@link LimitsCountedAtTheProviderTest}): between the asking and the permit lie the instance's heartbeat on
 * the shared limits (a database write) and the wait for the limiter's lock. Counted from the asking, a call's
 * token came back early, and the provider saw more calls in one second than the limit (404 of 400 measured at
 * the fleet benchmark's sandbox). The clock is moved by hand; the first heartbeat moves it as a slow database would.
 */
class CallsCountFromTheirPermitTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration SLOW_HEARTBEAT = Duration.ofMillis(400);

    private final MovableClock clock = new MovableClock(START);
    /** When each call let through reached the provider. */
    private final List<Instant> calls = new ArrayList<>();

    @Test
    void callsLetThroughAfterASlowHeartbeatNeverPutMoreThanTheLimitInOneSecondAtTheProvider() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(2), clock, "a",
                Optional.of(new FleetShare(new SlowBoard(), "acme", "a", clock)));
        for (int tick = 0; tick < 100; tick++) { // every 50 ms for five seconds: more demand than the limit
            try (Permit permit = limiter.acquire()) {
                calls.add(clock.instant());
            } catch (CallDeferred deferred) {
                // comes back later
            }
            clock.advance(Duration.ofMillis(50));
        }
        assertTrue(calls.size() >= 8, "the limit is used: " + calls);
        for (Instant first : calls) {
            long inWindow = calls.stream().filter(at -> !at.isBefore(first) && at.isBefore(first.plusSeconds(1)))
                    .count();
            assertTrue(inWindow <= 2, "at most 2 calls in the second from " + first + ": " + calls);
        }
    }

    /** The shared limits' table on a database whose first heartbeat takes {@link #SLOW_HEARTBEAT}. */
    private final class SlowBoard implements LimitBoard {
        private final InMemoryLimitBoard board = new InMemoryLimitBoard();
        private boolean slow = true;

        @Override
        public List<ShareRow> beat(LimitScope scope, String instanceId, Instant now, Instant forgetBefore) {
            if (slow) {
                clock.advance(SLOW_HEARTBEAT);
                slow = false;
            }
            return board.beat(scope, instanceId, now, forgetBefore);
        }

        @Override
        public void pause(LimitScope scope, String instanceId, Instant until, Instant now) {
            board.pause(scope, instanceId, until, now);
        }

        @Override
        public void leave(String instanceId, Instant heartbeatAt) {
            board.leave(instanceId, heartbeatAt);
        }
    }
}
