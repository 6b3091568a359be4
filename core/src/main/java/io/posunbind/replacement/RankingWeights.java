package io.posunbind.replacement;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * How much each criterion counts in a candidate's total score. The weights are relative: they are
 * normalized to add up to 1 when the record is made, so {@code new RankingWeights(35, 25, 25, 15)} weighs
 * like {@link #DEFAULTS}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Example: a merchant who cares about price above all.
 * <pre>{@code
 * RankingWeights priceFirst = RankingWeights.DEFAULTS.with(RankingCriterion.COST, 1.0);
 * // compatibility 0.19, features 0.14, security 0.14, cost 0.54 (rounded)
 * }</pre>
 *
 * @param compatibility the weight of {@link RankingCriterion#COMPATIBILITY}
 * @param features      the weight of {@link RankingCriterion#FEATURES}
 * @param security      the weight of {@link RankingCriterion#SECURITY}
 * @param cost          the weight of {@link RankingCriterion#COST}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RankingWeights(double compatibility, double features, double security, double cost) {

    /**
     * Compatibility 0.35, features 0.25, security 0.25, cost 0.15: a terminal that cannot take the
     * merchant's payments or is insecure is worth little at any price.
     */
    public static final RankingWeights DEFAULTS = new RankingWeights(0.35, 0.25, 0.25, 0.15);

    /**
     * Checks the weights and normalizes them to add up to 1.
     *
     * @throws IllegalArgumentException if a weight is negative, infinite or not a number, or all are zero
     */
    public RankingWeights {
        check("compatibility", compatibility);
        check("features", features);
        check("security", security);
        check("cost", cost);
        double sum = compatibility + features + security + cost;
        if (sum <= 0) {
            throw new IllegalArgumentException("At least one ranking weight must be above zero");
        }
        compatibility /= sum;
        features /= sum;
        security /= sum;
        cost /= sum;
    }

    /**
     * The weight of one criterion, between 0 and 1.
     *
     * @param criterion the criterion
     * @return its normalized weight
     */
    public double weightOf(RankingCriterion criterion) {
        return switch (Objects.requireNonNull(criterion, "criterion")) {
            case COMPATIBILITY -> compatibility;
            case FEATURES -> features;
            case SECURITY -> security;
            case COST -> cost;
        };
    }

    /**
     * These weights with one changed, normalized again: the new weight is relative to the others as
     * they stand (each below 1), so {@code with(COST, 1.0)} makes cost count more than any other.
     *
     * @param criterion the criterion to change
     * @param weight    its new relative weight, zero or more
     * @return the new weights
     * @throws IllegalArgumentException if the weight is negative, infinite or not a number, or all would be zero
     */
    public RankingWeights with(RankingCriterion criterion, double weight) {
        return new RankingWeights(
                criterion == RankingCriterion.COMPATIBILITY ? weight : compatibility,
                criterion == RankingCriterion.FEATURES ? weight : features,
                criterion == RankingCriterion.SECURITY ? weight : security,
                criterion == RankingCriterion.COST ? weight : cost);
    }

    private static void check(String name, double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("The " + name + " weight must be a finite number of zero or more, not "
                    + weight);
        }
    }
}
