package io.posunbind.internal.limits;

import io.posunbind.CoreErrorCode;
import io.posunbind.ProviderLimitStats;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderLimits;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ProviderLimiter} per provider id for the whole process, with the limits the application set
 * for the id winning over those the provider declares ({@link PaymentProvider#callLimits()}). On a database
 * shared by instances (a {@link LimitBoard}), each limited provider's limiter keeps this instance's
 * {@link FleetShare}; providers without limits send no heartbeat, and their 429s pause this instance only.
 * Thread-safe.
 */
public final class ProviderLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderLimiters.class);

    private final Map<String, ProviderLimits> overrides;
    private final Clock clock;
    private final Optional<LimitBoard> board;
    private final String instanceId;
    private final Map<String, ProviderLimiter> byId = new ConcurrentHashMap<>();

    /**
     * Limiters of one process alone (the in-memory store).
     *
     * @param overrides the application's limits by provider id, winning over the providers' declarations
     * @param clock     the engine's clock: the only source of time for the rate
     */
    public ProviderLimiters(Map<String, ProviderLimits> overrides, Clock clock) {
        this(overrides, clock, Optional.empty(), "this-instance");
    }

    /**
     * Limiters that share each limited provider's limits evenly with the other instances on {@code board}.
     *
     * @param instanceId this instance's id on the board (the engine's lease owner id)
     */
    public ProviderLimiters(Map<String, ProviderLimits> overrides, Clock clock, Optional<LimitBoard> board,
            String instanceId) {
        this.overrides = Map.copyOf(overrides);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.board = Objects.requireNonNull(board, "board");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
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
            Optional<FleetShare> fleet = limits.isUnlimited() ? Optional.empty()
                    : board.map(shared -> new FleetShare(shared, key, instanceId, clock));
            return new ProviderLimiter(key, limits, clock, instanceId, fleet);
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

    /**
     * Renews this instance's shares of the limited providers' limits where a heartbeat is due: run before
     * each claim of due work, so an instance that runs workers stays live while it waits for work.
     */
    public void heartbeat() {
        byId.values().forEach(ProviderLimiter::heartbeat);
    }

    /**
     * This instance calls no provider any more: its heartbeats are backdated so that the other instances take
     * its shares one heartbeat from now, once its last calls have left their window. Best effort.
     */
    public void leave() {
        if (board.isEmpty() || byId.values().stream().allMatch(limiter -> limiter.limits().isUnlimited())) {
            return;
        }
        try {
            board.get().leave(instanceId, clock.instant().minus(FleetShare.EXPIRY).plus(FleetShare.HEARTBEAT));
        } catch (RuntimeException e) {
            LOG.warn("Could not give this instance's shares of provider limits back; the other instances take them"
                    + " when its heartbeats expire: {}", e.toString());
        }
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
