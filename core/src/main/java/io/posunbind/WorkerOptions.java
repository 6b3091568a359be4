package io.posunbind;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link UnbindWorker} works: how many cases it runs at once, how often it looks for due work when
 * there was none, how many due cases it takes per look, how long {@link UnbindWorker#close()} lets running
 * steps finish, and whether it runs cases on virtual threads where the JDK has them (Java 21 and later;
 * on Java 17 the worker uses platform threads whatever is asked). Immutable and thread-safe.
 *
 * <pre>{@code
 * WorkerOptions options = WorkerOptions.builder().threads(16).pollInterval(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * @param threads          cases run at once, at least 1: every provider call of a case holds one
 * @param pollInterval     the pause after a look that found fewer due cases than it could take
 * @param batchSize        due cases taken per look, at least 1
 * @param shutdownDeadline how long {@code close()} lets running steps finish before it interrupts them
 * @param virtualThreads   whether to run cases on virtual threads when the JDK offers them
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record WorkerOptions(int threads, Duration pollInterval, int batchSize, Duration shutdownDeadline,
        boolean virtualThreads) {

    /** Checks the fields. */
    public WorkerOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(shutdownDeadline, "shutdownDeadline");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (shutdownDeadline.isNegative()) {
            throw new IllegalArgumentException("shutdownDeadline must not be negative");
        }
    }

    /** 4 threads, a look every 5 seconds when idle, 100 cases per look, 30 seconds to finish on close. */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WorkerOptions}. Not thread-safe; the options built are. */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public static final class Builder {
        private int threads = 4;
        private Duration pollInterval = Duration.ofSeconds(5);
        private int batchSize = 100;
        private Duration shutdownDeadline = Duration.ofSeconds(30);
        private boolean virtualThreads = true;

        private Builder() {
        }

        /** Cases run at once. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The pause after a look that found fewer due cases than it could take. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** Due cases taken per look. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** How long {@code close()} lets running steps finish. */
        public Builder shutdownDeadline(Duration shutdownDeadline) {
            this.shutdownDeadline = shutdownDeadline;
            return this;
        }

        /** Whether to run cases on virtual threads when the JDK offers them (default true). */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /** The options. */
        public WorkerOptions build() {
            return new WorkerOptions(threads, pollInterval, batchSize, shutdownDeadline, virtualThreads);
        }
    }
}
