package io.posunbind.audit;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One thing the verifier found wrong, with where it is. Immutable.
 *
 * @param kind      what is wrong
 * @param position  the sequences concerned: one record, a run of missing records, or a checkpoint's sequence
 * @param detail    an explanation for people, naming sequences and hashes (records hold no sensitive numbers)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record VerificationProblem(ProblemKind kind, SequenceRange position, String detail) {

    /** Checks that no field is null. */
    public VerificationProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(detail, "detail");
    }

    /** A problem at one sequence. */
    public static VerificationProblem at(ProblemKind kind, long sequence, String detail) {
        return new VerificationProblem(kind, new SequenceRange(sequence, sequence), detail);
    }

    /** A problem over a run of sequences. */
    public static VerificationProblem over(ProblemKind kind, long first, long last, String detail) {
        return new VerificationProblem(kind, new SequenceRange(first, last), detail);
    }

    /** Whether the problem concerns this sequence. */
    public boolean concerns(long sequence) {
        return position.contains(sequence);
    }

    @Override
    public String toString() {
        return kind + " at " + position + ": " + detail;
    }
}
