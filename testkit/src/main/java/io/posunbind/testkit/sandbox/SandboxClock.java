package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told to, so that tests and demos can let "three working days" of
 * institution review pass without sleeping.
 *
 * <pre>{@code
 * SandboxClock clock = SandboxClock.at(Instant.parse("2025-03-03T09:00:00Z"));
 * SandboxBackend backend = new SandboxBackend(clock);
 * backend.setCompletionPolicy(CompletionPolicy.after(Duration.ofDays(1)));
 * ... // submit
 * clock.advance(Duration.ofDays(1)); // the review is now complete
 * }</pre>
 *
 * <p>Thread-safe: the current instant is held atomically.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private SandboxClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock standing at {@code start}, in the Asia/Shanghai zone where the sandbox acquirer works. */
    public static SandboxClock at(Instant start) {
        return new SandboxClock(new AtomicReference<>(Objects.requireNonNull(start, "start")),
                ZoneId.of("Asia/Shanghai"));
    }

    /** Moves the clock forward; a negative duration is refused because time does not run backwards. */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A sandbox clock only moves forward, not by " + duration);
        }
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Sets the clock to an instant, which must not lie before the current one. */
    public void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        now.updateAndGet(current -> {
            if (instant.isBefore(current)) {
                throw new IllegalArgumentException("A sandbox clock only moves forward: " + instant
                        + " is before " + current);
            }
            return instant;
        });
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same instant source seen in another zone; advancing either moves both. */
    @Override
    public Clock withZone(ZoneId zoneId) {
        return new SandboxClock(now, Objects.requireNonNull(zoneId, "zoneId"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
