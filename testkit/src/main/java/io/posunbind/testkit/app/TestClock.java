package io.posunbind.testkit.app;

import io.posunbind.spi.API;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it: hand it to the unbinder and to your fakes, then
 * {@link #advance(Duration)} it instead of sleeping. Thread-safe; clocks made with {@link #withZone}
 * share the instant.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class TestClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private TestClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at {@code start} in UTC. */
    public static TestClock at(Instant start) {
        return at(start, ZoneId.of("UTC"));
    }

    /** A clock at {@code start} in the given zone. */
    public static TestClock at(Instant start, ZoneId zone) {
        return new TestClock(new AtomicReference<>(Objects.requireNonNull(start, "start")),
                Objects.requireNonNull(zone, "zone"));
    }

    /** Moves the clock forward. */
    public TestClock advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; was " + duration);
        }
        now.updateAndGet(instant -> instant.plus(duration));
        return this;
    }

    /** Sets the clock to an instant not before the current one. */
    public TestClock set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        now.updateAndGet(current -> {
            if (instant.isBefore(current)) {
                throw new IllegalArgumentException("time only moves forward: " + instant + " is before " + current);
            }
            return instant;
        });
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(now, Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public String toString() {
        return "TestClock[" + now.get() + ", " + zone + "]";
    }
}
