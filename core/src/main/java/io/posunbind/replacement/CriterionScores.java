package io.posunbind.replacement;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One candidate's score on each criterion, each from 0 (worst) to 100 (best), rounded to two decimals.
 * How each is computed is described at {@link TerminalRanker}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param compatibility the score on {@link RankingCriterion#COMPATIBILITY}
 * @param features      the score on {@link RankingCriterion#FEATURES}
 * @param security      the score on {@link RankingCriterion#SECURITY}
 * @param cost          the score on {@link RankingCriterion#COST}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record CriterionScores(double compatibility, double features, double security, double cost) {

    /**
     * Checks that every score lies between 0 and 100.
     *
     * @throws IllegalArgumentException if a score is outside 0 to 100 or not a number
     */
    public CriterionScores {
        check("compatibility", compatibility);
        check("features", features);
        check("security", security);
        check("cost", cost);
    }

    /**
     * The score on one criterion.
     *
     * @param criterion the criterion
     * @return its score, 0 to 100
     */
    public double scoreOf(RankingCriterion criterion) {
        return switch (Objects.requireNonNull(criterion, "criterion")) {
            case COMPATIBILITY -> compatibility;
            case FEATURES -> features;
            case SECURITY -> security;
            case COST -> cost;
        };
    }

    /**
     * The weighted total, 0 to 100, rounded to two decimals.
     *
     * @param weights the weights
     * @return the total score
     */
    public double total(RankingWeights weights) {
        Objects.requireNonNull(weights, "weights");
        double total = 0;
        for (RankingCriterion criterion : RankingCriterion.values()) {
            total += weights.weightOf(criterion) * scoreOf(criterion);
        }
        return round(Math.min(100, Math.max(0, total)));
    }

    /** Rounds to two decimals, so that scores that differ only by floating-point noise tie. */
    static double round(double score) {
        return Math.round(score * 100) / 100.0;
    }

    private static void check(String name, double score) {
        if (!(score >= 0 && score <= 100)) {
            throw new IllegalArgumentException("The " + name + " score must lie between 0 and 100, not " + score);
        }
    }
}
