package io.posunbind.micrometer;

import io.posunbind.store.CaseCounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's case counts, counted at most once per {@code refreshAfter} however many gauges read them and
 * however often they are scraped: one grouped query per interval, never one per gauge or per case. A count
 * that fails keeps the last one (and is tried again at the next interval); before the first success the
 * gauges read NaN. Thread-safe: one reader counts, the others read the last count meanwhile.
 */
final class CachedCounts {

    private static final Logger LOG = LoggerFactory.getLogger(CachedCounts.class);

    private final Supplier<CaseCounts> count;
    private final Clock clock;
    private final Duration refreshAfter;
    private volatile Counted last;
    private volatile Instant lastTried;

    private record Counted(CaseCounts counts, Instant at) {
    }

    CachedCounts(Supplier<CaseCounts> count, Clock clock, Duration refreshAfter) {
        this.count = count;
        this.clock = clock;
        this.refreshAfter = refreshAfter;
    }

    /** The counts, counted again when the last try is older than the refresh interval; empty before any success. */
    Optional<CaseCounts> counts() {
        refreshIfStale();
        Counted counted = last;
        return counted == null ? Optional.empty() : Optional.of(counted.counts());
    }

    /** When the counts were taken, on the clock. */
    Optional<Instant> countedAt() {
        Counted counted = last;
        return counted == null ? Optional.empty() : Optional.of(counted.at());
    }

    private void refreshIfStale() {
        Instant now = clock.instant();
        Instant tried = lastTried;
        if (tried != null && now.isBefore(tried.plus(refreshAfter))) {
            return;
        }
        synchronized (this) {
            if (lastTried != tried) {
                return; // another reader counted meanwhile
            }
            lastTried = now;
            try {
                last = new Counted(count.get(), now);
            } catch (RuntimeException e) {
                LOG.warn("Counting posunbind's cases for the gauges failed; they keep the last count: {}", e.toString());
            }
        }
    }
}
