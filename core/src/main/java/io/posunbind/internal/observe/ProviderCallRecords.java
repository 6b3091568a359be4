package io.posunbind.internal.observe;

import io.posunbind.observe.CallOutcome;
import io.posunbind.observe.HealthThresholds;
import io.posunbind.observe.ProviderHealth;
import io.posunbind.observe.ProviderReachability;
import io.posunbind.spi.StandardErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process's latest calls to each provider came to, for the health check: a provider that answers
 * (whatever it answers, a rejection or a 429 included) is reachable; one whose latest calls in a row went
 * unanswered (unavailable, unknown outcome, an uncoded adapter failure) is not; one not called lately is
 * unknown. Learning from the calls the engine makes anyway costs no call of its own: a probe would spend
 * the provider's rate limit on every health scrape. Thread-safe; two writes per call, no lock.
 */
public final class ProviderCallRecords {

    private final Clock clock;
    private final Map<String, Latest> byProvider = new ConcurrentHashMap<>();

    /** One provider's latest calls: replaced whole, so a reader never sees half of one. */
    private record Latest(Instant at, int unansweredInRow, Optional<String> lastFailureCode) {
    }

    public ProviderCallRecords(Clock clock) {
        this.clock = clock;
    }

    /** Notes what a call to the provider came to. */
    void record(String providerId, CallOutcome outcome, Optional<String> code) {
        Instant now = clock.instant();
        if (answered(outcome, code)) {
            byProvider.put(providerId, new Latest(now, 0, Optional.empty()));
        } else {
            Optional<String> failure = code.isPresent() ? code : Optional.of(outcome.name());
            byProvider.compute(providerId, (id, latest) -> new Latest(now,
                    latest == null ? 1 : latest.unansweredInRow() + 1, failure));
        }
    }

    private static boolean answered(CallOutcome outcome, Optional<String> code) {
        return switch (outcome) {
            case UNKNOWN, ERROR -> false;
            case RETRYABLE_FAILURE -> !code.equals(Optional.of(StandardErrorCode.PROVIDER_UNAVAILABLE.code()));
            default -> true;
        };
    }

    /** The provider's health now, judged by {@code thresholds}. */
    public ProviderHealth health(String providerId, HealthThresholds thresholds) {
        Latest latest = byProvider.get(providerId);
        if (latest == null) {
            return new ProviderHealth(providerId, ProviderReachability.UNKNOWN, Optional.empty(), 0, Optional.empty());
        }
        ProviderReachability reachability;
        if (latest.at().plus(thresholds.providerQuietPeriod()).isBefore(clock.instant())) {
            reachability = ProviderReachability.UNKNOWN;
        } else if (latest.unansweredInRow() >= thresholds.unansweredInRow()) {
            reachability = ProviderReachability.UNREACHABLE;
        } else {
            reachability = ProviderReachability.REACHABLE;
        }
        return new ProviderHealth(providerId, reachability, Optional.of(latest.at()), latest.unansweredInRow(),
                latest.lastFailureCode());
    }
}
