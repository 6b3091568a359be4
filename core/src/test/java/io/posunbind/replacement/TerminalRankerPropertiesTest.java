package io.posunbind.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalCandidate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties that hold for any candidates, needs and weights, checked on generated ones. The generator is
 * seeded per case, so a failure names the seed that reproduces it.
 */
class TerminalRankerPropertiesTest {

    private static final List<String> CHANNELS = List.of("UNIONPAY", "WECHAT", "ALIPAY", "ICBC", "VISA");
    private static final List<String> FEATURES = List.of("PRINTER", "NFC", "MOBILE", "MULTI_CURRENCY", "SCANNER");
    private static final List<String> CERTIFICATES = List.of("PCI_PTS", "EMV_L2", "UNIONPAY_QPBOC");

    static Stream<Long> seeds() {
        return IntStream.range(0, 300).mapToObj(i -> 0x5EED_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theRankingIsOrderedConsistentAndDeterministic(long seed) {
        Random random = new Random(seed);
        ReplacementNeeds needs = needs(random);
        List<TerminalCandidate> candidates = candidates(random);
        RankingWeights weights = weights(random);

        List<RankedCandidate> ranking = TerminalRanker.rank(needs, candidates, weights, Locale.ENGLISH);

        assertEquals(candidates.size(), ranking.size());
        for (int i = 0; i < ranking.size(); i++) {
            RankedCandidate entry = ranking.get(i);
            assertEquals(i + 1, entry.rank());
            assertEquals(entry.scores().total(weights), entry.totalScore());
            boolean missesHardRequirement = !normalized(entry.candidate().supportedChannels())
                    .containsAll(needs.requiredChannels())
                    || !normalized(entry.candidate().securityCertificates()).containsAll(needs.requiredSecurity());
            assertEquals(missesHardRequirement, entry.disqualified(), entry.explanation());
            assertEquals(entry.candidate().price().minorUnits()
                    + entry.candidate().monthlyFee().minorUnits() * needs.months(),
                    entry.totalCostOfOwnership().minorUnits());
            assertFalse(entry.explanation().contains("ranking.") || entry.explanation().contains("{"),
                    entry.explanation());
            if (i > 0) {
                RankedCandidate before = ranking.get(i - 1);
                assertTrue(!before.disqualified() || entry.disqualified(), "qualified candidates come first");
                if (before.disqualified() == entry.disqualified()) {
                    assertTrue(before.totalScore() >= entry.totalScore(), "higher score first");
                    if (before.totalScore() == entry.totalScore()) {
                        assertTrue(before.totalCostOfOwnership().minorUnits()
                                <= entry.totalCostOfOwnership().minorUnits(), "then lower cost");
                    }
                }
            }
        }

        List<TerminalCandidate> shuffled = new ArrayList<>(candidates);
        Collections.shuffle(shuffled, random);
        assertEquals(ranking.stream().map(RankedCandidate::candidate).toList(),
                TerminalRanker.rank(needs, shuffled, weights, Locale.ENGLISH).stream()
                        .map(RankedCandidate::candidate).toList(),
                "the order does not depend on the order of the input");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bothLanguagesRankAlikeAndExplainEveryPlace(long seed) {
        Random random = new Random(seed);
        ReplacementNeeds needs = needs(random);
        List<TerminalCandidate> candidates = candidates(random);
        RankingWeights weights = weights(random);

        List<RankedCandidate> english = TerminalRanker.rank(needs, candidates, weights, Locale.ENGLISH);
        List<RankedCandidate> chinese = TerminalRanker.rank(needs, candidates, weights, Locale.SIMPLIFIED_CHINESE);

        for (int i = 0; i < english.size(); i++) {
            assertEquals(english.get(i).candidate(), chinese.get(i).candidate());
            assertEquals(english.get(i).totalScore(), chinese.get(i).totalScore());
            String text = chinese.get(i).explanation();
            assertTrue(text.startsWith(english.get(i).disqualified() ? "不予推荐：" : "排名第" + (i + 1) + "："), text);
            assertFalse(text.contains("ranking.") || text.contains("{"), text);
            assertEquals(english.get(i).disqualificationReasons().size(),
                    chinese.get(i).disqualificationReasons().size());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void weighingACriterionMoreNeverLowersItsBestCandidate(long seed) {
        Random random = new Random(seed);
        ReplacementNeeds needs = needs(random);
        List<TerminalCandidate> candidates = candidates(random);
        RankingWeights weights = weights(random);
        RankingCriterion criterion = RankingCriterion.values()[random.nextInt(RankingCriterion.values().length)];

        List<RankedCandidate> before = TerminalRanker.rank(needs, candidates, weights, Locale.ENGLISH);
        List<RankedCandidate> qualified = before.stream().filter(r -> !r.disqualified()).toList();
        if (qualified.isEmpty()) {
            return;
        }
        double best = qualified.stream().mapToDouble(r -> r.scores().scoreOf(criterion)).max().orElseThrow();
        RankedCandidate leader = qualified.stream().filter(r -> r.scores().scoreOf(criterion) == best)
                .findFirst().orElseThrow();
        RankingWeights heavier = weights.with(criterion, weights.weightOf(criterion) * 3 + 0.5);

        List<RankedCandidate> after = TerminalRanker.rank(needs, candidates, heavier, Locale.ENGLISH);

        int rankAfter = after.stream().filter(r -> r.candidate() == leader.candidate()).findFirst().orElseThrow()
                .rank();
        assertTrue(rankAfter <= leader.rank(), criterion + ": " + leader.candidate().model() + " went from "
                + leader.rank() + " to " + rankAfter);
    }

    private static ReplacementNeeds needs(Random random) {
        ReplacementNeeds.Builder builder = ReplacementNeeds.builder()
                .requiredChannels(some(random, CHANNELS.subList(0, 3), 0.5))
                .requiredFeatures(some(random, FEATURES, 0.3))
                .niceToHaveFeatures(some(random, FEATURES, 0.3))
                .requiredSecurity(some(random, CERTIFICATES.subList(0, 2), 0.3))
                .months(1 + random.nextInt(60));
        if (random.nextBoolean()) {
            builder.bank("ICBC");
        }
        if (random.nextInt(3) == 0) {
            builder.budget(Money.cny(random.nextInt(500_000)));
        }
        return builder.build();
    }

    private static List<TerminalCandidate> candidates(Random random) {
        int count = 1 + random.nextInt(7);
        List<TerminalCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Few distinct prices and models, so that ties in score, cost and name happen.
            candidates.add(new TerminalCandidate("Model " + (char) ('A' + random.nextInt(4)), "Vendor " + i,
                    Set.of(some(random, CHANNELS, 0.7)), Set.of(some(random, FEATURES, 0.5)),
                    Set.of(some(random, CERTIFICATES, 0.6)), Money.cny(50_000L * random.nextInt(5)),
                    Money.cny(1_000L * random.nextInt(3))));
        }
        return candidates;
    }

    private static RankingWeights weights(Random random) {
        return new RankingWeights(random.nextInt(4), random.nextInt(4), random.nextInt(4), 1 + random.nextInt(3));
    }

    private static String[] some(Random random, List<String> terms, double probability) {
        return terms.stream().filter(term -> random.nextDouble() < probability)
                .map(term -> random.nextBoolean() ? term : term.toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
    }

    private static Set<String> normalized(Set<String> terms) {
        Set<String> normalized = new LinkedHashSet<>();
        terms.forEach(term -> normalized.add(term.toUpperCase(Locale.ROOT)));
        return normalized;
    }
}
