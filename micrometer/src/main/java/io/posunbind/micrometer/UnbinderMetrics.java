package io.posunbind.micrometer;

import static io.posunbind.micrometer.MeterNames.CASES;
import static io.posunbind.micrometer.MeterNames.CASES_DEAD_LETTERED;
import static io.posunbind.micrometer.MeterNames.CASES_WAITING;
import static io.posunbind.micrometer.MeterNames.CLAIMED_CASES;
import static io.posunbind.micrometer.MeterNames.CLAIMS;
import static io.posunbind.micrometer.MeterNames.HEARTBEATS;
import static io.posunbind.micrometer.MeterNames.LIMIT_DEFERRED;
import static io.posunbind.micrometer.MeterNames.LIMIT_PAUSES;
import static io.posunbind.micrometer.MeterNames.LIMIT_PERMITTED;
import static io.posunbind.micrometer.MeterNames.PROVIDER;
import static io.posunbind.micrometer.MeterNames.REASON;
import static io.posunbind.micrometer.MeterNames.STATE;
import static io.posunbind.micrometer.MeterNames.TAKEOVERS;
import static io.posunbind.micrometer.MeterNames.WORKER_LAG;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.posunbind.CaseState;
import io.posunbind.ClaimStats;
import io.posunbind.ProviderLimitStats;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseCounts;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds an {@link Unbinder}'s gauges and function counters to a registry:
 * {@code new UnbinderMetrics(unbinder).bindTo(meterRegistry)} (Spring Boot: a {@code MeterBinder} bean).
 *
 * <ul>
 *   <li>{@code posunbind.cases} by {@code state}, {@code posunbind.cases.waiting} by {@code reason},
 *       {@code posunbind.cases.dead.lettered} ({@code FAILED} cases waiting for an operator) and
 *       {@code posunbind.worker.lag} (how long the oldest due case nobody claimed has been due), from one
 *       grouped count of the store ({@link Unbinder#caseCounts()}), taken at most once per refresh interval
 *       (30 seconds by default) whatever the number of gauges and scrapes;</li>
 *   <li>{@code posunbind.claims}, {@code posunbind.claims.cases}, {@code posunbind.claims.takeovers} and
 *       {@code posunbind.lease.heartbeats} from {@link Unbinder#claimStats()};</li>
 *   <li>{@code posunbind.provider.limit.permitted}, {@code .deferred} and {@code .pauses} by {@code provider}
 *       from {@link Unbinder#providerLimitStats(String)}.</li>
 * </ul>
 *
 * <p>Counts reflect the whole store (every instance's cases); claims and limits this process. Gauges read
 * NaN until the store was counted once. Thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class UnbinderMetrics implements MeterBinder {

    /** How long a count of the store's cases serves the gauges by default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

    private final Unbinder unbinder;
    private final CachedCounts counts;

    /** Metrics of {@code unbinder}, counting its store at most every {@link #DEFAULT_REFRESH} on the system clock. */
    public UnbinderMetrics(Unbinder unbinder) {
        this(unbinder, Clock.systemUTC(), DEFAULT_REFRESH);
    }

    /**
     * Metrics of {@code unbinder}, counting its store at most once per {@code refreshAfter} on {@code clock}.
     *
     * @param refreshAfter zero counts at every scrape (for tests); keep it above the scrape interval otherwise
     */
    public UnbinderMetrics(Unbinder unbinder, Clock clock, Duration refreshAfter) {
        this.unbinder = Objects.requireNonNull(unbinder, "unbinder");
        Objects.requireNonNull(refreshAfter, "refreshAfter");
        if (refreshAfter.isNegative()) {
            throw new IllegalArgumentException("refreshAfter must not be negative");
        }
        this.counts = new CachedCounts(unbinder::caseCounts, Objects.requireNonNull(clock, "clock"), refreshAfter);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (CaseState state : CaseState.values()) {
            gauge(registry, CASES, "Cases in the store by state", counted -> counted.inState(state))
                    .tag(STATE, state.name()).register(registry);
        }
        for (WaitReason reason : WaitReason.values()) {
            gauge(registry, CASES_WAITING, "WAITING cases by what they wait for", counted -> counted.waitingFor(reason))
                    .tag(REASON, reason.name()).register(registry);
        }
        gauge(registry, CASES_DEAD_LETTERED, "FAILED cases, waiting for an operator",
                counted -> counted.inState(CaseState.FAILED)).register(registry);
        TimeGauge.builder(WORKER_LAG, counts, TimeUnit.SECONDS, CachedCountsLag::seconds).strongReference(true)
                .description("How long the oldest due case that no worker claimed has been due").register(registry);
        claims(registry, CLAIMS, "Claims of due work this instance made", ClaimStats::claims);
        claims(registry, CLAIMED_CASES, "Cases this instance's claims leased to it", ClaimStats::casesClaimed);
        claims(registry, TAKEOVERS, "Cases taken over from an instance whose lease expired", ClaimStats::takeovers);
        claims(registry, HEARTBEATS, "Lease renewals of cases still worked on", ClaimStats::heartbeats);
        for (String providerId : unbinder.providerIds()) {
            limits(registry, providerId, LIMIT_PERMITTED, "Provider calls the limiter let through",
                    ProviderLimitStats::callsPermitted);
            limits(registry, providerId, LIMIT_DEFERRED, "Provider calls deferred for want of a permit",
                    ProviderLimitStats::callsDeferred);
            limits(registry, providerId, LIMIT_PAUSES, "Pauses of every call caused by the provider's Retry-After",
                    ProviderLimitStats::pausesFromRetryAfter);
        }
    }

    private Gauge.Builder<CachedCounts> gauge(MeterRegistry registry, String name, String description,
            ToLongFunction<CaseCounts> read) {
        ToDoubleFunction<CachedCounts> value = cached -> cached.counts().map(read::applyAsLong).map(Long::doubleValue)
                .orElse(Double.NaN);
        return Gauge.builder(name, counts, value).description(description).baseUnit("cases").strongReference(true);
    }

    private void claims(MeterRegistry registry, String name, String description, ToLongFunction<ClaimStats> read) {
        FunctionCounter.builder(name, unbinder, bound -> read.applyAsLong(bound.claimStats())).description(description)
                .register(registry);
    }

    private void limits(MeterRegistry registry, String providerId, String name, String description,
            ToLongFunction<ProviderLimitStats> read) {
        FunctionCounter.builder(name, unbinder, bound -> {
            try {
                return read.applyAsLong(bound.providerLimitStats(providerId));
            } catch (PosUnbindException e) {
                return Double.NaN;
            }
        }).description(description).tag(PROVIDER, providerId).register(registry);
    }

    /** The worker lag of the last count: from the oldest unclaimed due case's wake time to the count's time. */
    private static final class CachedCountsLag {
        private CachedCountsLag() {
        }

        static double seconds(CachedCounts cached) {
            return cached.counts().map(counted -> counted.oldestUnclaimedDueAt()
                    .map(due -> Duration.between(due, cached.countedAt().orElse(due)))
                    .filter(lag -> !lag.isNegative()).orElse(Duration.ZERO).toNanos() / 1e9).orElse(Double.NaN);
        }
    }
}
