package io.posunbind.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Real time passing from a fixed start: for a test whose code under test sleeps by the clock it is given
 * (a step waiting for its next token), where a {@link MovableClock} would never move during the sleep.
 */
public final class ElapsedClock extends Clock {

    private final Instant start;
    private final long origin = System.nanoTime();

    public ElapsedClock(Instant start) {
        this.start = start;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(System.nanoTime() - origin);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
