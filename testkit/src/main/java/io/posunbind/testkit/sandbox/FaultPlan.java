package io.posunbind.testkit.sandbox;

import io.posunbind.spi.OperationKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The failures a test injected and not yet triggered: per operation kind, a queue of what the next
 * requests suffer, and how many reads and lookups fail next. Not thread-safe: {@link SandboxBackend} calls
 * it under its lock.
 */
final class FaultPlan {

    /** What the next request of a kind suffers, in the order the faults were queued. */
    enum Fault {
        /** Refused before reaching the acquirer, like an HTTP 503: no effect. */
        TRANSIENT,
        /** Performed, but the answer is lost: the adapter answers {@code Unknown}. */
        TIMEOUT,
        /** Performed, but the answer is lost and the adapter throws, as an HTTP client would. */
        TIMEOUT_EXCEPTION,
        /** Lost before reaching the acquirer: no effect, the adapter answers {@code Unknown}. */
        LOST
    }

    private final Map<OperationKind, Deque<Fault>> faults = new EnumMap<>(OperationKind.class);
    private int readFaults;
    private int lookupFaults;

    void queue(OperationKind kind, Fault fault, int times) {
        Objects.requireNonNull(kind, "kind");
        for (int i = 0; i < times; i++) {
            faults.computeIfAbsent(kind, ignored -> new ArrayDeque<>()).add(fault);
        }
    }

    /** The fault the next request of this kind suffers, taken off the plan; empty when none. */
    Optional<Fault> takeNext(OperationKind kind) {
        return Optional.ofNullable(faults.get(kind)).map(Deque::poll);
    }

    void failReads(int times) {
        readFaults += times;
    }

    void failLookups(int times) {
        lookupFaults += times;
    }

    /** Whether this read fails, counting it off the plan. */
    boolean takeReadFault() {
        if (readFaults > 0) {
            readFaults--;
            return true;
        }
        return false;
    }

    /** Whether this lookup fails, counting it off the plan. */
    boolean takeLookupFault() {
        if (lookupFaults > 0) {
            lookupFaults--;
            return true;
        }
        return false;
    }

    void clear() {
        faults.clear();
        readFaults = 0;
        lookupFaults = 0;
    }

    static void requirePositive(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
    }
}
