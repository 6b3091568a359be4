package io.posunbind.spi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How fast and how widely the engine may call a provider: at most {@code callsPerSecond} calls in any
 * one-second window, as the provider counts them (a call holds its place from its permit until one second after
 * its answer, since its request reaches the provider somewhere between), and at most {@code concurrentCalls}
 * calls open at once, counted over every worker and
 * command of one engine process and, on a shared JDBC store, over every instance on its database (each keeps
 * an even share, announced through the database). Every call into an adapter counts (mutating calls, lookups, reads,
 * {@link OperationLookup#prepare}); calls into the provider object itself ({@link PaymentProvider#id()},
 * its declarations) and into its {@link CallbackParser} do not, as they never reach the provider.
 *
 * <p>A provider declares the limits of its API in {@link PaymentProvider#callLimits()}; the application may
 * override them per provider ({@code Unbinder.builder().providerLimits("acme", ProviderLimits.of(50, 8))}),
 * since contracts differ per merchant account; the provider's limits per operation stay unless the application
 * names the same operation. A value of {@value #UNLIMITED} means no limit of that kind.
 *
 * <pre>{@code
 * public ProviderLimits callLimits() {
 *     return ProviderLimits.of(25, 4); // Acme allows 25 calls a second and 4 open connections
 * }
 * }</pre>
 *
 * <p><b>Per operation.</b> Many APIs limit some endpoints more tightly than the API as a whole (Stripe: 100
 * requests a second per account and 25 per endpoint unless an endpoint says otherwise; WeChat Pay: 20 a minute
 * on its settlement-account change, 100 a second on the query of its result). A provider declares such a
 * limit for the {@link OperationKind} whose call reaches that endpoint, in addition to the provider-wide
 * limits; a call that performs the operation must fit both, every other call only the provider-wide ones:
 *
 * <pre>{@code
 * public ProviderLimits callLimits() {
 *     return ProviderLimits.of(10, 4)   // the whole API: 10 calls a second, 4 open at once
 *             .withOperation(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20));
 * }
 * }</pre>
 *
 * An operation's limit counts the calls that perform it (the adapter methods that take an
 * {@link OperationContext} of that kind), not the lookups of its outcome nor the reads around it, which reach
 * other endpoints; they count against the provider-wide limits only. A rate-limited answer to a call that
 * performs an operation with a limit of its own pauses that operation only; any other rate-limited answer
 * pauses the whole provider.
 *
 * <p>Immutable and thread-safe.
 *
 * @param callsPerSecond  calls allowed in any one-second window; {@value #UNLIMITED} for no limit; may be
 *                        fractional ({@code 0.5}: one call every two seconds)
 * @param concurrentCalls calls allowed to be open at once; {@value #UNLIMITED} for no limit
 * @param operationLimits the limits of single operations, on top of the provider-wide ones; empty for none
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ProviderLimits(double callsPerSecond, int concurrentCalls,
        Map<OperationKind, CallLimit> operationLimits) {

    /** The value that means "no limit of this kind". */
    public static final int UNLIMITED = 0;

    private static final ProviderLimits NONE = new ProviderLimits(UNLIMITED, UNLIMITED);

    /** Checks that both limits are {@value #UNLIMITED} or positive, and copies the operations' limits. */
    public ProviderLimits {
        Objects.requireNonNull(operationLimits, "operationLimits");
        EnumMap<OperationKind, CallLimit> copy = new EnumMap<>(OperationKind.class);
        operationLimits.forEach((kind, limit) -> copy.put(Objects.requireNonNull(kind, "operation"),
                Objects.requireNonNull(limit, () -> "the limit of " + kind)));
        operationLimits = Collections.unmodifiableMap(copy);
        if (!Double.isFinite(callsPerSecond) || callsPerSecond < 0) {
            throw new IllegalArgumentException("callsPerSecond must be 0 (no limit) or positive, not "
                    + callsPerSecond);
        }
        if (concurrentCalls < 0) {
            throw new IllegalArgumentException("concurrentCalls must be 0 (no limit) or positive, not "
                    + concurrentCalls);
        }
    }

    /** Provider-wide limits alone, no operation with a limit of its own (the SPI 2.0 form). */
    public ProviderLimits(double callsPerSecond, int concurrentCalls) {
        this(callsPerSecond, concurrentCalls, Map.of());
    }

    /** No limit at all: the default of every provider. */
    public static ProviderLimits unlimited() {
        return NONE;
    }

    /** Both limits; {@value #UNLIMITED} leaves one of them open. */
    public static ProviderLimits of(double callsPerSecond, int concurrentCalls) {
        return new ProviderLimits(callsPerSecond, concurrentCalls);
    }

    /** A rate limit only. */
    public static ProviderLimits perSecond(double callsPerSecond) {
        return new ProviderLimits(callsPerSecond, UNLIMITED);
    }

    /** Whether the calls per second are limited. */
    public boolean limitsRate() {
        return callsPerSecond > 0;
    }

    /** Whether the calls open at once are limited. */
    public boolean limitsConcurrency() {
        return concurrentCalls > 0;
    }

    /** Whether nothing is limited: neither provider-wide kind, nor any operation. */
    public boolean isUnlimited() {
        return !limitsRate() && !limitsConcurrency() && operationLimits.isEmpty();
    }

    /**
     * These limits, with {@code limit} on every call that performs {@code operation} (replacing a limit the
     * operation had): such a call must fit both this limit and the provider-wide ones.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public ProviderLimits withOperation(OperationKind operation, CallLimit limit) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(limit, "limit");
        EnumMap<OperationKind, CallLimit> more = new EnumMap<>(OperationKind.class);
        more.putAll(operationLimits);
        more.put(operation, limit);
        return new ProviderLimits(callsPerSecond, concurrentCalls, more);
    }

    /** The limit of calls that perform {@code operation}, if it has one of its own. */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public Optional<CallLimit> operationLimit(OperationKind operation) {
        return Optional.ofNullable(operationLimits.get(Objects.requireNonNull(operation, "operation")));
    }
}
