package io.posunbind.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code calls} calls in any window of length {@code window}: the limit a provider's API puts on one
 * endpoint, declared for the operation that calls it with {@link ProviderLimits#withOperation}. The window
 * slides: whichever moment it starts at, it never holds more calls than the limit, as the provider counts them (a
 * call holds its place from its permit until one window after its answer) (WeChat Pay's
 * "20/min" on its settlement-account change is {@code CallLimit.perMinute(20)}: no sixty seconds ever see a
 * 21st call, while twenty may go out together).
 *
 * <pre>{@code
 * CallLimit.perMinute(20)                        // 20 calls in any minute
 * CallLimit.perSecond(5)                         // 5 calls in any second
 * CallLimit.of(100, Duration.ofSeconds(10))      // 100 calls in any ten seconds
 * }</pre>
 *
 * <p>Immutable and thread-safe. Both fields are checked: a limit of no calls, or one over no time, is no
 * limit a provider can mean.
 *
 * @param calls  the calls allowed in any window, at least 1
 * @param window the length of the window, from one millisecond to {@link #LONGEST_WINDOW}
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record CallLimit(int calls, Duration window) {

    /**
     * The longest window a limit may have: the engine remembers when each call of a window was answered, and on a
     * shared database a joining instance waits one window before it calls (see {@link ProviderLimits}).
     */
    public static final Duration LONGEST_WINDOW = Duration.ofHours(1);

    /** Checks that at least one call is allowed in a window of positive length, at most an hour. */
    public CallLimit {
        Objects.requireNonNull(window, "window");
        if (calls < 1) {
            throw new IllegalArgumentException("a call limit allows at least 1 call per window, not " + calls
                    + "; to leave an operation unlimited, declare no limit for it");
        }
        if (window.toMillis() < 1 || window.compareTo(LONGEST_WINDOW) > 0) {
            throw new IllegalArgumentException("a call limit's window lasts from 1 ms to " + LONGEST_WINDOW
                    + ", not " + window);
        }
    }

    /** At most {@code calls} calls in any window of length {@code window}. */
    public static CallLimit of(int calls, Duration window) {
        return new CallLimit(calls, window);
    }

    /** At most {@code calls} calls in any one second. */
    public static CallLimit perSecond(int calls) {
        return new CallLimit(calls, Duration.ofSeconds(1));
    }

    /** At most {@code calls} calls in any one minute. */
    public static CallLimit perMinute(int calls) {
        return new CallLimit(calls, Duration.ofMinutes(1));
    }

    /** The average pace the limit allows, in calls a second (20 a minute: one every three seconds). */
    public double callsPerSecond() {
        return calls * 1_000d / window.toMillis();
    }

    @Override
    public String toString() {
        return calls + " calls per " + window;
    }
}
