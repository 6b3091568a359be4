package io.posunbind.spi;

/**
 * How fast and how widely the engine may call a provider: at most {@code callsPerSecond} calls in any
 * one-second window and at most {@code concurrentCalls} calls open at once, counted over every worker and
 * command of one engine process and, on a shared JDBC store, over every instance on its database (each keeps
 * an even share, announced through the database). Every call into an adapter counts (mutating calls, lookups, reads,
 * {@link OperationLookup#prepare}); calls into the provider object itself ({@link PaymentProvider#id()},
 * its declarations) and into its {@link CallbackParser} do not, as they never reach the provider.
 *
 * <p>A provider declares the limits of its API in {@link PaymentProvider#callLimits()}; the application may
 * override them per provider ({@code Unbinder.builder().providerLimits("acme", ProviderLimits.of(50, 8))}),
 * since contracts differ per merchant account. A value of {@value #UNLIMITED} means no limit of that kind.
 *
 * <pre>{@code
 * public ProviderLimits callLimits() {
 *     return ProviderLimits.of(25, 4); // Acme allows 25 calls a second and 4 open connections
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param callsPerSecond  calls allowed in any one-second window; {@value #UNLIMITED} for no limit; may be
 *                        fractional ({@code 0.5}: one call every two seconds)
 * @param concurrentCalls calls allowed to be open at once; {@value #UNLIMITED} for no limit
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ProviderLimits(double callsPerSecond, int concurrentCalls) {

    /** The value that means "no limit of this kind". */
    public static final int UNLIMITED = 0;

    private static final ProviderLimits NONE = new ProviderLimits(UNLIMITED, UNLIMITED);

    /** Checks that both limits are {@value #UNLIMITED} or positive. */
    public ProviderLimits {
        if (!Double.isFinite(callsPerSecond) || callsPerSecond < 0) {
            throw new IllegalArgumentException("callsPerSecond must be 0 (no limit) or positive, not "
                    + callsPerSecond);
        }
        if (concurrentCalls < 0) {
            throw new IllegalArgumentException("concurrentCalls must be 0 (no limit) or positive, not "
                    + concurrentCalls);
        }
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

    /** Whether neither kind is limited. */
    public boolean isUnlimited() {
        return !limitsRate() && !limitsConcurrency();
    }
}
