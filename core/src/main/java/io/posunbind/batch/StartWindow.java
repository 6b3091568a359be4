package io.posunbind.batch;

import io.posunbind.spi.API;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The hours of the merchant's day in which a row may start, for example {@code StartWindow.between(
 * LocalTime.of(23, 0), LocalTime.of(5, 0))}: from 23:00 to 05:00, when no transactions are in flight. A
 * window whose end lies before its start wraps midnight. The start is included, the end is not; a window
 * from a time to the same time is refused (say "no window" instead). Judged in each row's time zone with the
 * engine's clock. Only the start of a row is bound to the window: a case started at 04:59 runs on.
 * Immutable and thread-safe.
 *
 * @param from  the first moment a row may start, merchant time
 * @param until the moment from which no row starts any more, merchant time
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record StartWindow(LocalTime from, LocalTime until) {

    /** Checks the fields. */
    public StartWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (from.equals(until)) {
            throw new IllegalArgumentException("A start window from " + from + " to the same time is empty or"
                    + " the whole day; give no window to start at any time");
        }
    }

    /** The window from {@code from} to {@code until}, wrapping midnight when {@code until} is earlier. */
    public static StartWindow between(LocalTime from, LocalTime until) {
        return new StartWindow(from, until);
    }

    /** Whether a row may start at this time of the merchant's day. */
    public boolean contains(LocalTime time) {
        Objects.requireNonNull(time, "time");
        if (from.isBefore(until)) {
            return !time.isBefore(from) && time.isBefore(until);
        }
        return !time.isBefore(from) || time.isBefore(until); // wraps midnight
    }

    /** Whether a row in {@code zone} may start at {@code now}. */
    public boolean isOpen(Instant now, ZoneId zone) {
        return contains(now.atZone(zone).toLocalTime());
    }
}
