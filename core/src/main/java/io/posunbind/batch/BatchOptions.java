package io.posunbind.batch;

import io.posunbind.spi.API;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * How a batch runs: the hours in which rows may start, the time zone of rows that name none, and how many
 * of its cases may be open at once. Build with {@link #builder()}; {@link #defaults()} starts rows at any
 * time, {@value #DEFAULT_CASES_IN_FLIGHT} at most in flight. Immutable and thread-safe.
 *
 * <p>The cap on cases in flight keeps a batch of 20,000 terminals from filling the store with 20,000 open
 * cases at once (and from crowding out other work): a row starts only when fewer of the batch's cases are
 * open than the cap. It holds across instances: one instance at a time counts a batch's open cases and starts its
 * rows, under a short lease on the batch in the store (schema V12), and the others only record cases that ended.
 *
 * @param startWindow      when rows may start, merchant time; empty for any time
 * @param defaultTimeZone  the time zone of rows that name none
 * @param maxCasesInFlight how many of the batch's cases may be open at once, at least 1
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchOptions(Optional<StartWindow> startWindow, ZoneId defaultTimeZone, int maxCasesInFlight) {

    /** Cases open at once when the builder is given no cap. */
    public static final int DEFAULT_CASES_IN_FLIGHT = 100;

    /** Checks the fields. */
    public BatchOptions {
        Objects.requireNonNull(startWindow, "startWindow");
        Objects.requireNonNull(defaultTimeZone, "defaultTimeZone");
        if (maxCasesInFlight < 1) {
            throw new IllegalArgumentException("maxCasesInFlight must be at least 1, was " + maxCasesInFlight);
        }
    }

    /** Any hour, Asia/Shanghai for rows without a zone, {@value #DEFAULT_CASES_IN_FLIGHT} cases in flight. */
    public static BatchOptions defaults() {
        return builder().build();
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link BatchOptions}. Not thread-safe. */
    public static final class Builder {
        private StartWindow startWindow;
        private ZoneId defaultTimeZone = ZoneId.of("Asia/Shanghai");
        private int maxCasesInFlight = DEFAULT_CASES_IN_FLIGHT;

        private Builder() {
        }

        /** Rows start only inside this window of merchant time. */
        public Builder startWindow(StartWindow window) {
            this.startWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /** The time zone of rows that name none; Asia/Shanghai by default. */
        public Builder defaultTimeZone(ZoneId zone) {
            this.defaultTimeZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** How many of the batch's cases may be open at once. */
        public Builder maxCasesInFlight(int cases) {
            this.maxCasesInFlight = cases;
            return this;
        }

        /** Builds the options. */
        public BatchOptions build() {
            return new BatchOptions(Optional.ofNullable(startWindow), defaultTimeZone, maxCasesInFlight);
        }
    }
}
