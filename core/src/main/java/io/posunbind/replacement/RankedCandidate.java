package io.posunbind.replacement;

import io.posunbind.spi.API;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalCandidate;
import java.util.List;
import java.util.Objects;

/**
 * One candidate terminal in a ranking, with its scores and the reasons for its place in words.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rank                   its place in the ranking, from 1; disqualified candidates come after all
 *                               others, whatever their score
 * @param candidate              the candidate as given
 * @param totalScore             the weighted total of {@code scores}, 0 to 100, two decimals
 * @param scores                 the score on each criterion
 * @param totalCostOfOwnership   price plus monthly fee times the months of use
 * @param disqualified           whether a hard requirement fails: a required payment channel or security
 *                               certification is missing
 * @param disqualificationReasons why, one phrase per failed requirement in the requested language, such as
 *                               {@code "does not support WeChat Pay"}; empty unless disqualified
 * @param explanation            the place in words, in the requested language, for example
 *                               {@code "Ranked 3rd: supports all 3 required channels, has printer, PCI PTS
 *                               certified, total cost ¥519 over 24 months (lowest), behind Newland N910 Pro
 *                               mainly on security"}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RankedCandidate(int rank, TerminalCandidate candidate, double totalScore, CriterionScores scores,
        Money totalCostOfOwnership, boolean disqualified, List<String> disqualificationReasons, String explanation) {

    /**
     * Checks and copies the fields.
     *
     * @throws IllegalArgumentException if the rank is below 1, the total lies outside 0 to 100, or the
     *                                  reasons do not agree with the flag
     */
    public RankedCandidate {
        if (rank < 1) {
            throw new IllegalArgumentException("rank starts at 1, not " + rank);
        }
        Objects.requireNonNull(candidate, "candidate");
        if (!(totalScore >= 0 && totalScore <= 100)) {
            throw new IllegalArgumentException("totalScore must lie between 0 and 100, not " + totalScore);
        }
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(totalCostOfOwnership, "totalCostOfOwnership");
        disqualificationReasons = List.copyOf(disqualificationReasons);
        if (disqualified == disqualificationReasons.isEmpty()) {
            throw new IllegalArgumentException("A disqualified candidate needs reasons, and only a disqualified one");
        }
        Objects.requireNonNull(explanation, "explanation");
    }
}
