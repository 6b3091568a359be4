package io.posunbind.internal.limits;

import io.posunbind.CoreErrorCode;
import io.posunbind.ProviderLimitStats;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderLimits;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ProviderLimiter} per provider id for the whole process, with the limits the application set
 * for the id winning over those the provider declares ({@link PaymentProvider#callLimits()}). Thread-safe.
 */
public final class ProviderLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderLimiters.class);

    private final Map<String, ProviderLimits> overrides;
    private final Clock clock;
    private final Map<String, ProviderLimiter> byId = new ConcurrentHashMap<>();

    /**
     * @param overrides the application's limits by provider id, winning over the providers' declarations
     * @param clock     the engine's clock: the only source of time for the rate
     */
    public ProviderLimiters(Map<String, ProviderLimits> overrides, Clock clock) {
        this.overrides = Map.copyOf(overrides);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The provider with every adapter call limited (also when it has no limits: a 429 still pauses it).
     * Its limits are read here, once.
     */
    public PaymentProvider limit(PaymentProvider provider) {
        String id = provider.id();
        ProviderLimiter limiter = byId.computeIfAbsent(id, key -> {
            ProviderLimits limits = limitsOf(provider);
            if (limits.limitsRate() && limits.callsPerSecond() < ProviderLimiter.CALLS_IN_A_ROW) {
                LOG.warn("Provider {} is limited to {} calls a second; a step that reads up to {} things in a row"
                        + " (the inventory) needs them within one second and may never get them together",
                        key, limits.callsPerSecond(), ProviderLimiter.CALLS_IN_A_ROW);
            }
            return new ProviderLimiter(key, limits, clock);
        });
        return LimitedProvider.limit(provider, limiter);
    }

    /**
     * What the limiter of the provider with this id did so far.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#PROVIDER_NOT_FOUND} for an unknown id
     */
    public ProviderLimitStats stats(String providerId) {
        ProviderLimiter limiter = byId.get(Objects.requireNonNull(providerId, "providerId"));
        if (limiter == null) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_NOT_FOUND, "No payment provider with id '"
                    + providerId + "'; known: " + byId.keySet());
        }
        return limiter.stats();
    }

    private ProviderLimits limitsOf(PaymentProvider provider) {
        ProviderLimits override = overrides.get(provider.id());
        if (override != null) {
            return override;
        }
        ProviderLimits declared = provider.callLimits();
        if (declared == null) {
            throw new IllegalStateException("Provider " + provider.id() + " answered callLimits() with null;"
                    + " it must answer ProviderLimits.unlimited() when its API has no limits");
        }
        return declared;
    }
}
