package io.posunbind.audit;

import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the {@link AuditVerifier} found. The trail is intact when there are no problems; records after the
 * last valid checkpoint are then intact as a chain but not yet proven by a signature (the unsigned tail).
 *
 * <p>Immutable.
 *
 * @param problems           every problem, ordered by position
 * @param recordsChecked     how many records (and redacted links) were read
 * @param checkedRange       the sequences read, from the first to the last, if any
 * @param checkpointsChecked how many checkpoints were read
 * @param checkpointsValid   how many of them have a valid signature of a trusted key and match the chain
 * @param lastSignedSequence the highest sequence covered by such a checkpoint, if any
 * @param unsignedTail       the records after it, if any: verified as a chain only
 * @param keyIds             the key ids of the valid checkpoints, sorted
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record VerificationReport(List<VerificationProblem> problems, long recordsChecked,
        Optional<SequenceRange> checkedRange, int checkpointsChecked, int checkpointsValid,
        OptionalLong lastSignedSequence, Optional<SequenceRange> unsignedTail, List<String> keyIds) {

    /** Copies the lists and checks for nulls. */
    public VerificationReport {
        problems = List.copyOf(problems);
        Objects.requireNonNull(checkedRange, "checkedRange");
        Objects.requireNonNull(lastSignedSequence, "lastSignedSequence");
        Objects.requireNonNull(unsignedTail, "unsignedTail");
        keyIds = List.copyOf(keyIds);
    }

    /** Whether nothing was found wrong. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The problems of one kind. */
    public List<VerificationProblem> problemsOf(ProblemKind kind) {
        return problems.stream().filter(problem -> problem.kind() == kind).toList();
    }

    /** A few lines for people: the verdict, what is signed, and each problem. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(intact() ? "INTACT" : "TAMPERED: " + problems.size() + " problem(s)").append('\n');
        text.append("records checked: ").append(recordsChecked)
                .append(checkedRange.map(range -> " (sequence " + range + ")").orElse("")).append('\n');
        text.append("checkpoints: ").append(checkpointsValid).append(" valid of ").append(checkpointsChecked)
                .append(keyIds.isEmpty() ? "" : ", keys " + String.join(", ", keyIds)).append('\n');
        text.append("signed through sequence: ")
                .append(lastSignedSequence.isPresent() ? Long.toString(lastSignedSequence.getAsLong()) : "none")
                .append('\n');
        unsignedTail.ifPresent(tail -> text.append("unsigned tail: ").append(tail)
                .append(" (chain checked, no signature yet)\n"));
        for (VerificationProblem problem : problems) {
            text.append("  ").append(problem).append('\n');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
