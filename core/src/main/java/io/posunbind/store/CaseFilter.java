package io.posunbind.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which cases an operator query returns. Empty parts match everything.
 *
 * @param state         the case state's name
 * @param providerId    the provider
 * @param updatedBefore only cases not changed since this instant (old, possibly stuck cases)
 * @param limit         at most this many, at least 1
 */
public record CaseFilter(Optional<String> state, Optional<String> providerId, Optional<Instant> updatedBefore,
        int limit) {

    /** Checks the fields. */
    public CaseFilter {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(updatedBefore, "updatedBefore");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Cases in one state. */
    public static CaseFilter inState(String state, int limit) {
        return new CaseFilter(Optional.of(state), Optional.empty(), Optional.empty(), limit);
    }

    /** Whether a record matches. */
    public boolean matches(CaseRecord record) {
        return state.map(record.state()::equals).orElse(true)
                && providerId.map(record.providerId()::equals).orElse(true)
                && updatedBefore.map(record.updatedAt()::isBefore).orElse(true);
    }
}
