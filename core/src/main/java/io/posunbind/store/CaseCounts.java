package io.posunbind.store;

import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How many cases a store holds by state, and the waiting ones by what they wait for: for gauges and health
 * checks, from one grouped count ({@link CaseStore#countCases(Instant)}). Immutable.
 *
 * @param byState              cases per state; every state present, zero when none
 * @param waitingByReason      {@code WAITING} cases per reason; every reason present, zero when none
 * @param oldestUnclaimedDueAt the wake time of the oldest case due at the time of counting and leased to
 *                             nobody (no worker took it yet), if any
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record CaseCounts(Map<CaseState, Long> byState, Map<WaitReason, Long> waitingByReason,
        Optional<Instant> oldestUnclaimedDueAt) {

    /** Checks the fields and fills in the missing keys with zero. */
    public CaseCounts {
        byState = complete(byState, CaseState.class);
        waitingByReason = complete(waitingByReason, WaitReason.class);
        Objects.requireNonNull(oldestUnclaimedDueAt, "oldestUnclaimedDueAt");
    }

    /** Cases in a state. */
    public long inState(CaseState state) {
        return byState.get(state);
    }

    /** {@code WAITING} cases waiting for a reason. */
    public long waitingFor(WaitReason reason) {
        return waitingByReason.get(reason);
    }

    private static <K extends Enum<K>> Map<K, Long> complete(Map<K, Long> counts, Class<K> type) {
        Objects.requireNonNull(counts, "counts");
        Map<K, Long> all = new EnumMap<>(type);
        for (K key : type.getEnumConstants()) {
            long count = counts.getOrDefault(key, 0L);
            if (count < 0) {
                throw new IllegalArgumentException("Counts are never negative: " + key);
            }
            all.put(key, count);
        }
        return Collections.unmodifiableMap(all);
    }
}
