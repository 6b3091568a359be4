package io.posunbind.observe;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * When {@link EngineHealth} turns {@link EngineHealth.Status#DEGRADED}. Immutable.
 *
 * @param maxWorkerLag        due work claimed later than this degrades (5 minutes by default)
 * @param maxDeadLettered     more dead-lettered cases than this degrade (0 by default: any)
 * @param unansweredInRow     this many unanswered calls in a row make a provider unreachable (3 by default)
 * @param providerQuietPeriod a provider not called for this long is {@link ProviderReachability#UNKNOWN}
 *                            (5 minutes by default)
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record HealthThresholds(Duration maxWorkerLag, long maxDeadLettered, int unansweredInRow,
        Duration providerQuietPeriod) {

    /** Checks the fields. */
    public HealthThresholds {
        Objects.requireNonNull(maxWorkerLag, "maxWorkerLag");
        Objects.requireNonNull(providerQuietPeriod, "providerQuietPeriod");
        if (maxWorkerLag.isNegative() || providerQuietPeriod.isNegative() || providerQuietPeriod.isZero()) {
            throw new IllegalArgumentException("maxWorkerLag must not be negative, providerQuietPeriod must be positive");
        }
        if (maxDeadLettered < 0 || unansweredInRow < 1) {
            throw new IllegalArgumentException("maxDeadLettered is at least 0, unansweredInRow at least 1");
        }
    }

    /** 5 minutes of lag, no dead letter, 3 unanswered calls, 5 quiet minutes. */
    public static HealthThresholds defaults() {
        return new HealthThresholds(Duration.ofMinutes(5), 0, 3, Duration.ofMinutes(5));
    }
}
