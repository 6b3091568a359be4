package io.posunbind.testkit.app;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.API;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A real {@link Unbinder} for application developers' tests: an in-memory store, a {@link TestClock}
 * the test moves, the providers the test hands it (no discovery), and every event received. Instead of
 * a scheduler, the test lets time pass and runs what fell due:
 *
 * <pre>{@code
 * TestClock clock = TestClock.at(Instant.parse("2026-11-25T02:00:00Z"));
 * try (UnbinderTestEnvironment env = UnbinderTestEnvironment.builder()
 *         .clock(clock)
 *         .provider(new AcmeFakeProvider(clock))
 *         .configure(builder -> builder.pollInterval(Duration.ofMinutes(1)))
 *         .build()) {
 *     CaseSnapshot opened = env.unbinder().open(request);
 *     env.advanceAndRun(Duration.ofDays(2));                // two days pass, due timers run until quiet
 *     assertEquals(CaseState.COMPLETED, env.snapshot(opened.id()).state());
 *     assertEquals(1, env.events(UnbindEvent.CaseFinished.class).size());
 * }
 * }</pre>
 *
 * <p>Not a load test: every due case runs on the calling thread. Thread-safe as far as the unbinder is;
 * the event list may be read while the unbinder works.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class UnbinderTestEnvironment implements AutoCloseable {

    /** How many rounds of due work {@link #runUntilQuiet()} runs before it calls the case a livelock. */
    public static final int MAX_ROUNDS = 10_000;

    private final TestClock clock;
    private final CaseStore store;
    private final Unbinder unbinder;
    private final List<UnbindEvent> events;

    private UnbinderTestEnvironment(Builder builder) {
        this.clock = builder.clock;
        this.store = builder.store;
        this.events = Collections.synchronizedList(new ArrayList<>());
        UnbinderBuilder unbinderBuilder = Unbinder.builder()
                .store(store)
                .clock(clock)
                .withoutDiscovery()
                .listener(events::add);
        builder.providers.forEach(unbinderBuilder::provider);
        builder.configuration.accept(unbinderBuilder);
        this.unbinder = unbinderBuilder.build();
    }

    /** A builder; give it at least one provider. */
    public static Builder builder() {
        return new Builder();
    }

    /** The unbinder under test. */
    public Unbinder unbinder() {
        return unbinder;
    }

    /** The clock the unbinder reads; move it with {@link TestClock#advance} or {@link #advanceAndRun}. */
    public TestClock clock() {
        return clock;
    }

    /** The store the unbinder writes to, to build a second unbinder on (a restart, another instance). */
    public CaseStore store() {
        return store;
    }

    /** Every event received so far, in order. */
    public List<UnbindEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The events of one type received so far, in order: {@code events(UnbindEvent.Reminder.class)}. */
    public <E extends UnbindEvent> List<E> events(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The case as it is now. */
    public CaseSnapshot snapshot(CaseId caseId) {
        return unbinder.find(caseId).orElseThrow(() -> new IllegalArgumentException("no case " + caseId));
    }

    /**
     * Runs the work that is due at the clock's instant until none is left, without moving the clock.
     *
     * @return how many cases were advanced in all
     * @throws IllegalStateException when work is still due after {@value #MAX_ROUNDS} rounds (a timer that
     *                               keeps falling due at the same instant)
     */
    public int runUntilQuiet() {
        int advanced = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int done = unbinder.runDueWork();
            if (done == 0) {
                return advanced;
            }
            advanced += done;
        }
        throw new IllegalStateException("work was still due after " + MAX_ROUNDS + " rounds at " + clock.instant());
    }

    /** Moves the clock by {@code duration} and runs what fell due until quiet; returns how many cases advanced. */
    public int advanceAndRun(Duration duration) {
        clock.advance(duration);
        return runUntilQuiet();
    }

    /**
     * Lets {@code total} pass in steps of {@code step}, running what fell due after each, as a scheduler
     * firing every {@code step} would; returns how many cases advanced.
     */
    public int advanceInSteps(Duration step, Duration total) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(total, "total");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        Instant end = clock.instant().plus(total);
        int advanced = runUntilQuiet();
        while (clock.instant().isBefore(end)) {
            Duration left = Duration.between(clock.instant(), end);
            advanced += advanceAndRun(left.compareTo(step) < 0 ? left : step);
        }
        return advanced;
    }

    /** Closes the unbinder. */
    @Override
    public void close() {
        unbinder.close();
    }

    /** Builds an {@link UnbinderTestEnvironment}. Not thread-safe. */
    public static final class Builder {

        private TestClock clock = TestClock.at(Instant.parse("2026-01-05T01:00:00Z"));
        private CaseStore store = new InMemoryCaseStore();
        private final List<PaymentProvider> providers = new ArrayList<>();
        private Consumer<UnbinderBuilder> configuration = builder -> { };

        private Builder() {
        }

        /** The clock; by default one at 2026-01-05T01:00:00Z. Hand the same clock to your fake providers. */
        public Builder clock(TestClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The store; a fresh {@link InMemoryCaseStore} by default. */
        public Builder store(CaseStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Adds a provider; providers are never discovered from the class path here. */
        public Builder provider(PaymentProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Further settings on the unbinder's builder (poll interval, retry policy, listeners, audit trail),
         * applied after the environment's own; do not replace the store or clock here.
         */
        public Builder configure(Consumer<UnbinderBuilder> configuration) {
            this.configuration = Objects.requireNonNull(configuration, "configuration");
            return this;
        }

        /** Builds the environment and its unbinder. */
        public UnbinderTestEnvironment build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("give the test environment at least one provider");
            }
            return new UnbinderTestEnvironment(this);
        }
    }
}
