package io.posunbind.observe;

import io.posunbind.spi.API;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the engine stands, from {@code unbinder.health()}: for a health endpoint or a dashboard. Reading it
 * costs one count query on the store and no provider call. Immutable.
 *
 * <p>{@link Status#DOWN} when the store does not answer: no case can move. {@link Status#DEGRADED} when
 * cases wait for an operator (dead-lettered), a provider stopped answering, or due work waits longer than
 * {@link HealthThresholds#maxWorkerLag()} to be claimed (no worker runs, or too few). {@link Status#UP}
 * otherwise.
 *
 * @param status            the overall status
 * @param store             whether the store answered
 * @param providers         each provider's reachability, by provider id
 * @param workerLag         how long the oldest due case not yet claimed has been due (zero when none is);
 *                          empty when the store did not answer
 * @param deadLetteredCases how many cases are {@code FAILED}, waiting for an operator; empty when the store
 *                          did not answer
 * @param degradedBy        why the status is not {@link Status#UP}, as short stable words
 *                          ({@code STORE_UNAVAILABLE}, {@code DEAD_LETTERS}, {@code WORKER_LAG},
 *                          {@code PROVIDER_UNREACHABLE:<id>}); empty when up
 * @param checkedAt         when, on the engine's clock
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record EngineHealth(Status status, StoreHealth store, List<ProviderHealth> providers,
        Optional<Duration> workerLag, OptionalLong deadLetteredCases, List<String> degradedBy, Instant checkedAt) {

    /** The overall status, as health endpoints know it. */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public enum Status {
        /** Everything answers; nothing waits for an operator. */
        UP,
        /** Cases move, but something needs a look. */
        DEGRADED,
        /** The store does not answer: no case moves. */
        DOWN
    }

    /** Checks the fields. */
    public EngineHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(store, "store");
        providers = List.copyOf(providers);
        Objects.requireNonNull(workerLag, "workerLag");
        Objects.requireNonNull(deadLetteredCases, "deadLetteredCases");
        degradedBy = List.copyOf(degradedBy);
        Objects.requireNonNull(checkedAt, "checkedAt");
        if ((status == Status.DOWN) == store.reachable()) {
            throw new IllegalArgumentException("The engine is DOWN exactly when its store does not answer");
        }
        if ((status == Status.UP) != degradedBy.isEmpty()) {
            throw new IllegalArgumentException("Only an engine that is not UP names what degrades it");
        }
    }
}
