package io.posunbind.internal.limits;

import io.posunbind.CoreErrorCode;
import io.posunbind.ProviderLimitStats;
import io.posunbind.spi.CallLimit;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderLimits;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ProviderGate} per provider id for the whole process: a provider-wide {@link ProviderLimiter} and
 * one per operation with a limit of its own. The limits in force are those the provider declares
 * ({@link PaymentProvider#callLimits()}), with the application's laid over them: its provider-wide figures
 * replace the declared ones, and each operation's limit it names replaces that operation's (the provider's
 * other operation limits stay: an application that raises the account's rate must not lift, without saying
 * so, the 20 calls a minute of one endpoint). On a database shared by instances (a {@link LimitBoard}), each
 * limit keeps this instance's {@link FleetShare}; providers without limits send no heartbeat, and their 429s
 * pause this instance only. Thread-safe.
 */
public final class ProviderLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderLimiters.class);

    private final Map<String, ProviderLimits> overrides;
    private final Map<String, Map<OperationKind, CallLimit>> operationOverrides;
    private final Clock clock;
    private final Optional<LimitBoard> board;
    private final String instanceId;
    private final Map<String, ProviderGate> byId = new ConcurrentHashMap<>();

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
        this(overrides, Map.of(), clock, board, instanceId);
    }

    /**
     * Limiters with the application's limits of single operations too.
     *
     * @param overrides          the application's limits by provider id, laid over the providers' declarations
     * @param operationOverrides the application's limits of single operations by provider id, laid over both
     * @param clock              the engine's clock: the only source of time for the rate
     * @param board              where instances on one database announce themselves; empty for one process alone
     * @param instanceId         this instance's id on the board (the engine's lease owner id)
     */
    public ProviderLimiters(Map<String, ProviderLimits> overrides,
            Map<String, Map<OperationKind, CallLimit>> operationOverrides, Clock clock, Optional<LimitBoard> board,
            String instanceId) {
        this.overrides = Map.copyOf(overrides);
        Map<String, Map<OperationKind, CallLimit>> copy = new HashMap<>();
        operationOverrides.forEach((id, limits) -> copy.put(id, Map.copyOf(limits)));
        this.operationOverrides = Map.copyOf(copy);
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
        ProviderGate gate = byId.computeIfAbsent(id, key -> gateOf(key, limitsOf(provider)));
        return LimitedProvider.limit(provider, gate);
    }

    private ProviderGate gateOf(String providerId, ProviderLimits limits) {
        if (limits.limitsRate() && limits.callsPerSecond() < ProviderLimiter.CALLS_IN_A_ROW) {
            LOG.info("Provider {} is limited to {} calls a second; a step that reads up to {} things in a row"
                    + " (the inventory) waits for a token between its reads, holding its worker thread",
                    providerId, limits.callsPerSecond(), ProviderLimiter.CALLS_IN_A_ROW);
        }
        // Each limit has rows of its own on the board: a provider-wide limit that is none needs no share, but its
        // limiter still takes 429s (this instance's pause only).
        boolean wholeLimited = limits.limitsRate() || limits.limitsConcurrency();
        LimitScope whole = LimitScope.wholeProvider(providerId);
        Optional<FleetShare> wholeFleet = wholeLimited
                ? board.map(shared -> new FleetShare(shared, whole, instanceId, clock, ProviderLimiter.windowOf(limits)))
                : Optional.empty();
        ProviderLimiter wholeProvider = new ProviderLimiter(providerId, limits, clock, instanceId, wholeFleet);
        Map<OperationKind, ProviderLimiter> byOperation = new EnumMap<>(OperationKind.class);
        limits.operationLimits().forEach((operation, limit) -> {
            LimitScope scope = LimitScope.operation(providerId, operation);
            Optional<FleetShare> fleet = board.map(shared -> new FleetShare(shared, scope, instanceId, clock,
                    limit.window()));
            byOperation.put(operation, new ProviderLimiter(providerId, operation, limits, clock, instanceId, fleet));
        });
        return new ProviderGate(wholeProvider, byOperation);
    }

    /**
     * What the limiter of the provider with this id did so far.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#PROVIDER_NOT_FOUND} for an unknown id
     */
    public ProviderLimitStats stats(String providerId) {
        ProviderGate gate = byId.get(Objects.requireNonNull(providerId, "providerId"));
        if (gate == null) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_NOT_FOUND, "No payment provider with id '"
                    + providerId + "'; known: " + byId.keySet());
        }
        return gate.stats();
    }

    /**
     * Renews this instance's shares of the limited providers' limits where a heartbeat is due: run before
     * each claim of due work, so an instance that runs workers stays live while it waits for work.
     */
    public void heartbeat() {
        byId.values().forEach(ProviderGate::heartbeat);
    }

    /**
     * This instance calls no provider any more: its heartbeats are backdated so that the other instances take
     * its shares one heartbeat from now, once its last calls have left their window. Best effort.
     */
    public void leave() {
        if (board.isEmpty() || byId.values().stream().allMatch(gate -> gate.limits().isUnlimited())) {
            return;
        }
        try {
            board.get().leave(instanceId, clock.instant().minus(FleetShare.EXPIRY).plus(FleetShare.HEARTBEAT));
        } catch (RuntimeException e) {
            LOG.warn("Could not give this instance's shares of provider limits back; the other instances take them"
                    + " when its heartbeats expire: {}", e.toString());
        }
    }

    /** The declaration, with the application's limits laid over it; operations the provider never performs left out. */
    private ProviderLimits limitsOf(PaymentProvider provider) {
        String id = provider.id();
        ProviderLimits declared = provider.callLimits();
        if (declared == null) {
            throw new IllegalStateException("Provider " + id + " answered callLimits() with null;"
                    + " it must answer ProviderLimits.unlimited() when its API has no limits");
        }
        ProviderLimits override = overrides.get(id);
        Map<OperationKind, CallLimit> operations = new EnumMap<>(OperationKind.class);
        operations.putAll(declared.operationLimits());
        if (override != null) {
            operations.putAll(override.operationLimits());
        }
        operations.putAll(operationOverrides.getOrDefault(id, Map.of()));
        operations.keySet().removeIf(operation -> {
            boolean performed = provider.supportedOperations().contains(operation);
            if (!performed) {
                LOG.warn("Provider {} has a limit for {}, an operation it does not perform; the limit is left out",
                        id, operation);
            }
            return !performed;
        });
        ProviderLimits wholeProvider = override != null ? override : declared;
        return new ProviderLimits(wholeProvider.callsPerSecond(), wholeProvider.concurrentCalls(), operations);
    }
}
