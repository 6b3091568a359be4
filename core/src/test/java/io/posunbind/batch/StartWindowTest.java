package io.posunbind.batch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The hours in which a batch's rows may start, judged in the merchant's time zone on the engine's clock. */
class StartWindowTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void aNightWindowWrapsMidnightIncludingItsStartAndNotItsEnd() {
        StartWindow night = StartWindow.between(LocalTime.of(23, 0), LocalTime.of(5, 0));
        // 14:59 UTC is 22:59 in Shanghai.
        MovableClock clock = new MovableClock(Instant.parse("2026-11-25T14:59:00Z"));

        assertFalse(night.isOpen(clock.instant(), SHANGHAI));
        clock.advance(Duration.ofMinutes(1)); // 23:00
        assertTrue(night.isOpen(clock.instant(), SHANGHAI));
        clock.advance(Duration.ofHours(3)); // 02:00 the next day
        assertTrue(night.isOpen(clock.instant(), SHANGHAI));
        clock.advance(Duration.ofHours(3).minusNanos(1)); // 04:59:59.999999999
        assertTrue(night.isOpen(clock.instant(), SHANGHAI));
        clock.advance(Duration.ofNanos(1)); // 05:00
        assertFalse(night.isOpen(clock.instant(), SHANGHAI));
    }

    @Test
    void aDayWindowDoesNotWrapAndTheSameInstantIsJudgedPerZone() {
        StartWindow morning = StartWindow.between(LocalTime.of(9, 0), LocalTime.of(12, 0));
        Instant tenInShanghai = Instant.parse("2026-11-25T02:00:00Z");

        assertTrue(morning.isOpen(tenInShanghai, SHANGHAI));
        assertFalse(morning.isOpen(tenInShanghai, ZoneId.of("Europe/London")));
        assertFalse(morning.contains(LocalTime.of(12, 0)));
        assertFalse(morning.contains(LocalTime.of(8, 59)));
    }

    @Test
    void aWindowFromATimeToTheSameTimeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StartWindow.between(LocalTime.NOON, LocalTime.NOON));
    }
}
