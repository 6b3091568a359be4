package io.posunbind;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine retries a provider operation that failed transiently or whose outcome is unknown:
 * capped exponential back-off with full jitter, for at most {@code maxAttempts} sends.
 * Immutable and thread-safe.
 *
 * @param maxAttempts  how many times an operation is sent at most (with the same idempotency key)
 * @param initialDelay the delay before the second attempt, before jitter
 * @param maxDelay     the cap on any delay
 * @param multiplier   growth of the delay per attempt, at least 1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {

    /** Checks the fields. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1");
        }
    }

    /** 8 attempts, from 2 s doubling up to 10 minutes. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(2), Duration.ofMinutes(10), 2.0);
    }

    /**
     * The delay after the given failed attempt, with full jitter: uniformly random between half the
     * capped exponential delay and the whole of it, so many cases failing together do not retry together.
     *
     * @param failedAttempt 1 for the first attempt
     * @param random01      a random number in [0, 1)
     */
    public Duration delayAfter(int failedAttempt, double random01) {
        double exponential = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        double capped = Math.min(exponential, maxDelay.toMillis());
        long millis = (long) (capped / 2 + capped / 2 * random01);
        return Duration.ofMillis(millis);
    }
}
