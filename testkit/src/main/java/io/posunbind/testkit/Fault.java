package io.posunbind.testkit;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * What the fake backend does to the next request of one kind, as a real provider's API or the network
 * would: see {@link BackendFaults#failNext}. Immutable and thread-safe.
 *
 * @param kind     the fault
 * @param duration the Retry-After of {@link Kind#RATE_LIMITED}, or the delay of {@link Kind#SLOW_ANSWER};
 *                 zero for the others
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record Fault(Kind kind, Duration duration) {

    /** The faults the contract injects. */
    public enum Kind {
        /** The request reaches the provider and takes effect, but the answer never comes back (a read timeout). */
        TIMEOUT,
        /** The connection is reset before the request reaches the provider: no effect. */
        CONNECTION_RESET,
        /** The provider answers HTTP 500 (or 502, 503) without performing the request. */
        SERVER_ERROR,
        /** The provider answers HTTP 429 with a {@code Retry-After} header, without performing the request. */
        RATE_LIMITED,
        /** The provider performs the request and answers, but only after a delay. */
        SLOW_ANSWER
    }

    /** Checks the fields. */
    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
    }

    /** The request takes effect, its answer is lost. */
    public static Fault timeout() {
        return new Fault(Kind.TIMEOUT, Duration.ZERO);
    }

    /** The request is lost before it arrives. */
    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, Duration.ZERO);
    }

    /** HTTP 500, nothing performed. */
    public static Fault serverError() {
        return new Fault(Kind.SERVER_ERROR, Duration.ZERO);
    }

    /** HTTP 429 with {@code Retry-After: retryAfter}, nothing performed. */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMITED, retryAfter);
    }

    /** The request is performed and answered after {@code delay}. */
    public static Fault slowAnswer(Duration delay) {
        return new Fault(Kind.SLOW_ANSWER, delay);
    }
}
