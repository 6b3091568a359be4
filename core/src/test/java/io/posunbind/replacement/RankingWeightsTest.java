package io.posunbind.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RankingWeightsTest {

    @Test
    void theDefaultsFavourCompatibilityThenFeaturesAndSecurityThenCost() {
        assertEquals(0.35, RankingWeights.DEFAULTS.weightOf(RankingCriterion.COMPATIBILITY), 1e-12);
        assertEquals(0.25, RankingWeights.DEFAULTS.weightOf(RankingCriterion.FEATURES), 1e-12);
        assertEquals(0.25, RankingWeights.DEFAULTS.weightOf(RankingCriterion.SECURITY), 1e-12);
        assertEquals(0.15, RankingWeights.DEFAULTS.weightOf(RankingCriterion.COST), 1e-12);
    }

    @Test
    void weightsAreRelativeAndNormalized() {
        RankingWeights percent = new RankingWeights(35, 25, 25, 15);
        for (RankingCriterion criterion : RankingCriterion.values()) {
            assertEquals(RankingWeights.DEFAULTS.weightOf(criterion), percent.weightOf(criterion), 1e-12);
        }
        RankingWeights costOnly = new RankingWeights(0, 0, 0, 7);
        assertEquals(1.0, costOnly.cost());
        assertEquals(0.0, costOnly.compatibility());
    }

    @Test
    void withChangesOneWeightRelativeToTheOthers() {
        RankingWeights costFirst = RankingWeights.DEFAULTS.with(RankingCriterion.COST, 1.0);
        assertEquals(1.0 / 1.85, costFirst.cost(), 1e-12);
        assertEquals(0.35 / 1.85, costFirst.compatibility(), 1e-12);
        assertEquals(1.0, costFirst.compatibility() + costFirst.features() + costFirst.security() + costFirst.cost(),
                1e-12);
        assertEquals(0.0, RankingWeights.DEFAULTS.with(RankingCriterion.SECURITY, 0).security());
    }

    @ParameterizedTest(name = "{0}, {1}, {2}, {3}")
    @CsvSource({
            "-1, 1, 1, 1",
            "1, NaN, 1, 1",
            "1, 1, Infinity, 1",
            "0, 0, 0, 0"})
    void rejectsNegativeNonFiniteOrAllZeroWeights(double compatibility, double features, double security,
            double cost) {
        assertThrows(IllegalArgumentException.class,
                () -> new RankingWeights(compatibility, features, security, cost));
    }
}
