package io.posunbind.internal.observe;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.observe.EngineHealth;
import io.posunbind.observe.HealthThresholds;
import io.posunbind.observe.ProviderHealth;
import io.posunbind.observe.ProviderReachability;
import io.posunbind.observe.StoreHealth;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseCounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Puts {@link EngineHealth} together from one count of the store's cases and the providers' recent calls;
 * it calls no provider. Thread-safe.
 */
public final class HealthCheck {

    private final Supplier<CaseCounts> counts;
    private final Supplier<List<String>> providerIds;
    private final ProviderCallRecords calls;
    private final Clock clock;

    /**
     * @param counts      counts the store's cases now (through the engine's guarded store)
     * @param providerIds the providers the engine may use
     */
    public HealthCheck(Supplier<CaseCounts> counts, Supplier<List<String>> providerIds, ProviderCallRecords calls,
            Clock clock) {
        this.counts = counts;
        this.providerIds = providerIds;
        this.calls = calls;
        this.clock = clock;
    }

    /** The engine's health now, judged by {@code thresholds}. */
    public EngineHealth check(HealthThresholds thresholds) {
        Instant now = clock.instant();
        List<String> degradedBy = new ArrayList<>();
        List<ProviderHealth> providers = new ArrayList<>();
        for (String id : providerIds.get()) {
            ProviderHealth health = calls.health(id, thresholds);
            providers.add(health);
            if (health.reachability() == ProviderReachability.UNREACHABLE) {
                degradedBy.add("PROVIDER_UNREACHABLE:" + id);
            }
        }
        CaseCounts counted;
        try {
            counted = counts.get();
        } catch (PosUnbindException e) {
            return down(e.errorCode().code(), providers, now);
        } catch (RuntimeException e) {
            return down(CoreErrorCode.STORE_UNAVAILABLE.code(), providers, now);
        }
        Duration lag = counted.oldestUnclaimedDueAt().map(due -> Duration.between(due, now))
                .filter(age -> !age.isNegative()).orElse(Duration.ZERO);
        long deadLettered = counted.inState(CaseState.FAILED);
        if (deadLettered > thresholds.maxDeadLettered()) {
            degradedBy.add(0, "DEAD_LETTERS");
        }
        if (lag.compareTo(thresholds.maxWorkerLag()) > 0) {
            degradedBy.add(0, "WORKER_LAG");
        }
        return new EngineHealth(degradedBy.isEmpty() ? EngineHealth.Status.UP : EngineHealth.Status.DEGRADED,
                StoreHealth.up(), providers, Optional.of(lag), OptionalLong.of(deadLettered), degradedBy, now);
    }

    private static EngineHealth down(String code, List<ProviderHealth> providers, Instant now) {
        return new EngineHealth(EngineHealth.Status.DOWN, StoreHealth.down(code), providers, Optional.empty(),
                OptionalLong.empty(), List.of("STORE_UNAVAILABLE"), now);
    }
}
