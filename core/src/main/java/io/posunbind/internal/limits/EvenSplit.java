package io.posunbind.internal.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The instances live for a provider as one instance sees them on the {@link LimitBoard}, and the even split
 * of a limit among them. Immutable.
 *
 * <p>A limit of {@code n} whole units (calls in a window, calls open at once) is split into whole units:
 * each of the {@code k} live instances gets {@code n / k}, and the first {@code n % k} of them in the order
 * of their ids one more, so the shares add up to exactly {@code n} (400 calls a second over three
 * instances: 134, 133 and 133) and an instance never needs a fraction of a call. When {@code n < k} some
 * instances get none and leave the calls to the others. An instance's share never shrinks when another
 * instance drops out, and never grows when one joins; that is what keeps the sum within the limit while
 * instances see the change at different heartbeats.
 *
 * @param live        the ids of the live instances, sorted; always holds {@code self}
 * @param self        this instance's id
 * @param pausedUntil the latest pause any instance recorded for the provider ({@link Instant#EPOCH} for none)
 */
public record EvenSplit(List<String> live, String self, Instant pausedUntil) {

    /** Checks that {@code self} is among the live instances. */
    public EvenSplit {
        live = List.copyOf(live);
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(pausedUntil, "pausedUntil");
        if (!live.contains(self)) {
            throw new IllegalArgumentException("the instance itself is live: " + self + " not in " + live);
        }
    }

    /** The split as it stands when this instance is the only one. */
    public static EvenSplit alone(String self) {
        return new EvenSplit(List.of(self), self, Instant.EPOCH);
    }

    /**
     * The split the rows show at {@code now}: live are this instance and every instance whose heartbeat is
     * less than {@code expiry} old (a heartbeat from the future, another instance's clock being ahead, is
     * fresh); the pause is the latest of all rows, dead or alive (an instance that recorded a pause and died
     * does not lift it).
     */
    public static EvenSplit of(List<ShareRow> rows, String self, Instant now, Duration expiry) {
        TreeSet<String> live = new TreeSet<>();
        live.add(self);
        Instant paused = Instant.EPOCH;
        Instant freshAfter = now.minus(expiry);
        for (ShareRow row : rows) {
            if (row.heartbeatAt().isAfter(freshAfter)) {
                live.add(row.instanceId());
            }
            if (row.pausedUntil().isAfter(paused)) {
                paused = row.pausedUntil();
            }
        }
        return new EvenSplit(List.copyOf(live), self, paused);
    }

    /** How many instances share the limits. */
    public int instances() {
        return live.size();
    }

    /** Whether instances other than this one are live. */
    public boolean shared() {
        return live.size() > 1;
    }

    /** This instance's whole share of {@code total} units. */
    public int shareOf(int total) {
        return share(total, live.indexOf(self), live.size());
    }

    /** The share of {@code total} units of the instance at {@code rank} (from 0) among {@code instances}. */
    static int share(int total, int rank, int instances) {
        if (total < 0 || instances < 1 || rank < 0 || rank >= instances) {
            throw new IllegalArgumentException("total " + total + ", rank " + rank + ", instances " + instances);
        }
        return total / instances + (rank < total % instances ? 1 : 0);
    }
}
