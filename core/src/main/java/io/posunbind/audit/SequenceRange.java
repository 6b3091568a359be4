package io.posunbind.audit;

import io.posunbind.spi.API;

/**
 * A run of sequence numbers, both ends included. Immutable.
 *
 * @param first the first sequence
 * @param last  the last sequence, at least {@code first}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SequenceRange(long first, long last) {

    /** Checks that the range is not empty. */
    public SequenceRange {
        if (last < first) {
            throw new IllegalArgumentException("A sequence range ends at or after its start: " + first + ".." + last);
        }
    }

    /** How many sequences the range holds. */
    public long count() {
        return last - first + 1;
    }

    /** Whether the sequence is inside the range. */
    public boolean contains(long sequence) {
        return sequence >= first && sequence <= last;
    }

    @Override
    public String toString() {
        return first == last ? Long.toString(first) : first + ".." + last;
    }
}
