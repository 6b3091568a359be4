package io.posunbind.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalCandidate;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ranking replacement terminals: the merchant in these tests takes UnionPay, WeChat Pay and Alipay, needs a
 * printer and PCI PTS, would like NFC and multi-currency, and has ¥3,000 for two years.
 */
class TerminalRankerTest {

    /** The three models the sandbox provider's catalog offers, and a cheap fourth. */
    static final TerminalCandidate PAX = new TerminalCandidate("PAX A920Pro", "PAX Technology",
            Set.of("UNIONPAY", "WECHAT", "ALIPAY"), Set.of("PRINTER", "NFC", "MOBILE", "MULTI_CURRENCY"),
            Set.of("PCI_PTS", "EMV_L2"), Money.cny(129_900), Money.cny(1_500));
    static final TerminalCandidate NEWLAND = new TerminalCandidate("Newland N910 Pro", "Newland Payment",
            Set.of("UNIONPAY", "WECHAT", "ALIPAY"), Set.of("PRINTER", "NFC", "MOBILE"),
            Set.of("PCI_PTS", "EMV_L2"), Money.cny(99_900), Money.cny(1_000));
    static final TerminalCandidate SUNMI = new TerminalCandidate("SUNMI P2 SE", "SUNMI",
            Set.of("WECHAT", "ALIPAY"), Set.of("PRINTER", "MOBILE"),
            Set.of("PCI_PTS"), Money.cny(59_900), Money.cny(2_000));
    static final TerminalCandidate CHEAP = new TerminalCandidate("Cheap Q1", "Q",
            Set.of("UNIONPAY", "WECHAT", "ALIPAY"), Set.of("PRINTER"),
            Set.of("PCI_PTS"), Money.cny(39_900), Money.cny(500));

    static final List<TerminalCandidate> CATALOG = List.of(PAX, NEWLAND, SUNMI, CHEAP);

    static final ReplacementNeeds NEEDS = ReplacementNeeds.builder()
            .requiredChannels("UNIONPAY", "WECHAT", "ALIPAY")
            .requiredFeatures("PRINTER")
            .niceToHaveFeatures("NFC", "MULTI_CURRENCY")
            .requiredSecurity("PCI_PTS")
            .budget(Money.cny(300_000))
            .months(24)
            .build();

    @Test
    void explainsTheDefaultRankingInEnglish() {
        List<RankedCandidate> ranking = TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, Locale.ENGLISH);

        assertEquals(List.of(
                "Ranked 1st: supports all 3 required channels, has printer, NFC and multi-currency, PCI PTS and EMV L2"
                        + " certified, total cost ¥1,659 over 24 months, ahead of Newland N910 Pro mainly on features",
                "Ranked 2nd: supports all 3 required channels, has printer and NFC, PCI PTS and EMV L2 certified,"
                        + " total cost ¥1,239 over 24 months, behind PAX A920Pro mainly on features",
                "Ranked 3rd: supports all 3 required channels, has printer, PCI PTS certified, total cost ¥519 over 24"
                        + " months (lowest), behind Newland N910 Pro mainly on security",
                "Disqualified: does not support UnionPay, has printer, PCI PTS certified, total cost ¥1,079 over 24"
                        + " months"),
                ranking.stream().map(RankedCandidate::explanation).toList());
        assertEquals(List.of(1, 2, 3, 4), ranking.stream().map(RankedCandidate::rank).toList());
        assertEquals(List.of(89.69, 87.53, 80.0, 60.55), ranking.stream().map(RankedCandidate::totalScore).toList());
        assertEquals(new CriterionScores(100, 85, 100, 41.89), ranking.get(1).scores());
        assertEquals(Money.cny(123_900), ranking.get(1).totalCostOfOwnership());
    }

    @Test
    void explainsTheDefaultRankingInChinese() {
        List<RankedCandidate> ranking = TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS,
                Locale.SIMPLIFIED_CHINESE);

        assertEquals(List.of(
                "排名第1：支持全部3个必需的支付渠道，具备打印机、NFC和多币种，通过PCI PTS和EMV L2认证，24个月总成本¥1,659，"
                        + "主要凭功能领先于Newland N910 Pro",
                "排名第2：支持全部3个必需的支付渠道，具备打印机和NFC，通过PCI PTS和EMV L2认证，24个月总成本¥1,239，"
                        + "主要在功能上落后于PAX A920Pro",
                "排名第3：支持全部3个必需的支付渠道，具备打印机，通过PCI PTS认证，24个月总成本¥519（最低），"
                        + "主要在安全性上落后于Newland N910 Pro",
                "不予推荐：不支持银联，具备打印机，通过PCI PTS认证，24个月总成本¥1,079"),
                ranking.stream().map(RankedCandidate::explanation).toList());
        assertEquals(List.of("不支持银联"), ranking.get(3).disqualificationReasons());
    }

    static Stream<Arguments> weightsAndTheOrderTheyGive() {
        return Stream.of(
                Arguments.of("defaults", RankingWeights.DEFAULTS, List.of(PAX, NEWLAND, CHEAP, SUNMI)),
                Arguments.of("cost only: cheapest first", new RankingWeights(0, 0, 0, 1),
                        List.of(CHEAP, NEWLAND, PAX, SUNMI)),
                Arguments.of("cost counts most", RankingWeights.DEFAULTS.with(RankingCriterion.COST, 2),
                        List.of(CHEAP, NEWLAND, PAX, SUNMI)),
                Arguments.of("features only: most wanted features first", new RankingWeights(0, 1, 0, 0),
                        List.of(PAX, NEWLAND, CHEAP, SUNMI)),
                Arguments.of("security only: PAX and Newland tie, the cheaper first", new RankingWeights(0, 0, 1, 0),
                        List.of(NEWLAND, PAX, CHEAP, SUNMI)),
                Arguments.of("compatibility only: all tie, cheapest first", new RankingWeights(1, 0, 0, 0),
                        List.of(CHEAP, NEWLAND, PAX, SUNMI)),
                Arguments.of("security over cost", new RankingWeights(0, 0, 3, 1),
                        List.of(NEWLAND, PAX, CHEAP, SUNMI)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weightsAndTheOrderTheyGive")
    void weightsDecideTheOrder(String description, RankingWeights weights, List<TerminalCandidate> expected) {
        assertEquals(models(expected), models(TerminalRanker.rank(NEEDS, CATALOG, weights, Locale.ENGLISH)));
    }

    @Test
    void theExplanationNamesTheDecidingCriterion() {
        RankingWeights costFirst = RankingWeights.DEFAULTS.with(RankingCriterion.COST, 2);
        List<RankedCandidate> english = TerminalRanker.rank(NEEDS, CATALOG, costFirst, Locale.ENGLISH);
        assertTrue(english.get(0).explanation().endsWith("(lowest), ahead of Newland N910 Pro mainly on total cost"),
                english.get(0).explanation());
        List<RankedCandidate> chinese = TerminalRanker.rank(NEEDS, CATALOG, costFirst, Locale.SIMPLIFIED_CHINESE);
        assertTrue(chinese.get(0).explanation().endsWith("（最低），主要凭总成本领先于Newland N910 Pro"),
                chinese.get(0).explanation());

        RankingWeights securityFirst = new RankingWeights(0, 0, 3, 1);
        List<RankedCandidate> secure = TerminalRanker.rank(NEEDS, CATALOG, securityFirst, Locale.ENGLISH);
        assertTrue(secure.get(2).explanation().endsWith("behind PAX A920Pro mainly on security"),
                secure.get(2).explanation());
    }

    @Test
    void aMissingChannelOrCertificationDisqualifiesWhateverTheScore() {
        TerminalCandidate noEmv = new TerminalCandidate("Secure-less", "V", Set.of("UNIONPAY", "WECHAT", "ALIPAY"),
                Set.of("PRINTER", "NFC", "MULTI_CURRENCY"), Set.of("PCI_PTS"), Money.cny(1), Money.cny(0));
        TerminalCandidate neither = new TerminalCandidate("Bare", "V", Set.of("ALIPAY"), Set.of(), Set.of(),
                Money.cny(1), Money.cny(0));
        ReplacementNeeds needs = ReplacementNeeds.builder().requiredChannels("UNIONPAY", "WECHAT", "ALIPAY")
                .requiredSecurity("PCI_PTS", "EMV_L2").build();

        List<RankedCandidate> ranking = TerminalRanker.rank(needs, List.of(neither, noEmv, NEWLAND),
                RankingWeights.DEFAULTS, Locale.ENGLISH);

        assertEquals(List.of("Newland N910 Pro", "Secure-less", "Bare"), models(ranking));
        assertFalse(ranking.get(0).disqualified());
        assertTrue(ranking.get(1).totalScore() > ranking.get(0).totalScore() - 30, "scored all the same");
        assertEquals(List.of("not certified for EMV L2"), ranking.get(1).disqualificationReasons());
        assertEquals(List.of("does not support UnionPay and WeChat Pay",
                "not certified for PCI PTS and EMV L2"), ranking.get(2).disqualificationReasons());
        assertTrue(ranking.get(2).explanation().startsWith("Disqualified: does not support UnionPay and WeChat Pay,"),
                ranking.get(2).explanation());
        assertTrue(ranking.get(0).explanation().endsWith("the only candidate that meets every hard requirement"),
                ranking.get(0).explanation());

        List<RankedCandidate> chinese = TerminalRanker.rank(needs, List.of(neither), RankingWeights.DEFAULTS,
                Locale.SIMPLIFIED_CHINESE);
        assertEquals(List.of("不支持银联和微信支付", "缺少必需的PCI PTS和EMV L2认证"),
                chinese.get(0).disqualificationReasons());
    }

    @Test
    void aMissingRequiredFeatureCostsPointsButDoesNotDisqualify() {
        ReplacementNeeds needs = ReplacementNeeds.builder().requiredFeatures("PRINTER", "NFC").build();
        RankedCandidate sunmi = TerminalRanker.rank(needs, List.of(SUNMI), RankingWeights.DEFAULTS, Locale.ENGLISH)
                .get(0);
        assertFalse(sunmi.disqualified());
        assertEquals(35.0 + 30.0, sunmi.scores().features(), 0.001);
        assertTrue(sunmi.explanation().contains("has printer, lacks the required NFC"), sunmi.explanation());
    }

    @Test
    void aCandidateAboveTheBudgetGetsNoCostPoints() {
        ReplacementNeeds tight = ReplacementNeeds.builder().requiredChannels("UNIONPAY").budget(Money.cny(150_000))
                .build();
        List<RankedCandidate> ranking = TerminalRanker.rank(tight, List.of(PAX, NEWLAND), RankingWeights.DEFAULTS,
                Locale.ENGLISH);
        RankedCandidate pax = ranking.stream().filter(r -> r.candidate() == PAX).findFirst().orElseThrow();
        assertEquals(0, pax.scores().cost());
        assertTrue(pax.explanation().contains("total cost ¥1,659 over 24 months, ¥159 over the budget of ¥1,500"),
                pax.explanation());
        RankedCandidate paxZh = TerminalRanker.rank(tight, List.of(PAX), RankingWeights.DEFAULTS,
                Locale.SIMPLIFIED_CHINESE).get(0);
        assertTrue(paxZh.explanation().contains("24个月总成本¥1,659，超出预算¥1,500共¥159"), paxZh.explanation());
    }

    @Test
    void equalScoresAreOrderedByTotalCostThenModelName() {
        TerminalCandidate alpha = copy(NEWLAND, "alpha", Money.cny(100_000));
        TerminalCandidate beta = copy(NEWLAND, "Beta", Money.cny(100_000));
        TerminalCandidate gamma = copy(NEWLAND, "gamma", Money.cny(90_000));
        RankingWeights costIgnored = new RankingWeights(1, 1, 1, 0);

        List<RankedCandidate> ranking = TerminalRanker.rank(NEEDS, List.of(beta, alpha, gamma), costIgnored,
                Locale.ENGLISH);

        assertEquals(List.of("gamma", "alpha", "Beta"), models(ranking));
        assertEquals(ranking.get(0).totalScore(), ranking.get(2).totalScore());
        assertTrue(ranking.get(0).explanation().endsWith("same score as alpha, but a lower total cost"),
                ranking.get(0).explanation());
        assertTrue(ranking.get(1).explanation().endsWith("same score as gamma, but a higher total cost"),
                ranking.get(1).explanation());
        assertTrue(ranking.get(2).explanation().endsWith("same score and total cost as alpha; ordered by model name"),
                ranking.get(2).explanation());
    }

    @Test
    void theMerchantsBankCountsForCompatibilityWhenGiven() {
        TerminalCandidate withBank = new TerminalCandidate("With bank", "V", Set.of("UNIONPAY", "icbc"),
                Set.of(), Set.of(), Money.cny(100), Money.cny(0));
        TerminalCandidate without = new TerminalCandidate("Without bank", "V", Set.of("UnionPay"),
                Set.of(), Set.of(), Money.cny(100), Money.cny(0));
        ReplacementNeeds needs = ReplacementNeeds.builder().requiredChannels("unionpay").bank("ICBC").build();

        List<RankedCandidate> ranking = TerminalRanker.rank(needs, List.of(without, withBank),
                RankingWeights.DEFAULTS, Locale.ENGLISH);

        assertEquals(List.of("With bank", "Without bank"), models(ranking));
        assertEquals(100, ranking.get(0).scores().compatibility());
        assertEquals(80, ranking.get(1).scores().compatibility());
        assertTrue(ranking.get(0).explanation().contains("supports the required channel, works with ICBC"),
                ranking.get(0).explanation());
        assertTrue(ranking.get(1).explanation().contains("does not list ICBC"), ranking.get(1).explanation());
        assertTrue(ranking.get(1).explanation().endsWith("behind With bank mainly on compatibility"),
                ranking.get(1).explanation());
    }

    @Test
    void ranksWhatAProvidersCatalogOffers() {
        ReplacementCatalog catalog = merchantNumber -> merchantNumber.equals("898310058120001") ? CATALOG : List.of();
        assertEquals(models(TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, Locale.ENGLISH)),
                models(TerminalRanker.rank(NEEDS, catalog, "898310058120001", RankingWeights.DEFAULTS,
                        Locale.ENGLISH)));
        assertEquals(List.of(), TerminalRanker.rank(NEEDS, catalog, "other", RankingWeights.DEFAULTS, Locale.ENGLISH));

        ReplacementCatalog broken = merchantNumber -> null;
        NullPointerException thrown = assertThrows(NullPointerException.class,
                () -> TerminalRanker.rank(NEEDS, broken, "m", RankingWeights.DEFAULTS, Locale.ENGLISH));
        assertTrue(thrown.getMessage().contains("answered null"), thrown.getMessage());
    }

    @Test
    void refusesToCompareAcrossCurrencies() {
        TerminalCandidate dollars = new TerminalCandidate("US", "V", Set.of("UNIONPAY"), Set.of(), Set.of(),
                new Money(10_000, Currency.getInstance("USD")), new Money(0, Currency.getInstance("USD")));
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> TerminalRanker.rank(NEEDS, List.of(NEWLAND, dollars), RankingWeights.DEFAULTS, Locale.ENGLISH));
        assertTrue(thrown.getMessage().contains("CNY, USD"), thrown.getMessage());
        ReplacementNeeds dollarBudget = ReplacementNeeds.builder()
                .budget(new Money(10_000, Currency.getInstance("USD"))).build();
        assertThrows(IllegalArgumentException.class,
                () -> TerminalRanker.rank(dollarBudget, List.of(NEWLAND), RankingWeights.DEFAULTS, Locale.ENGLISH));
    }

    @Test
    void checksItsArguments() {
        assertEquals(List.of(), TerminalRanker.rank(NEEDS, List.of(), RankingWeights.DEFAULTS, Locale.ENGLISH));
        List<TerminalCandidate> withNull = Arrays.asList(NEWLAND, null);
        NullPointerException thrown = assertThrows(NullPointerException.class,
                () -> TerminalRanker.rank(NEEDS, withNull, RankingWeights.DEFAULTS, Locale.ENGLISH));
        assertEquals("candidates[1]", thrown.getMessage());
        assertThrows(NullPointerException.class,
                () -> TerminalRanker.rank(null, CATALOG, RankingWeights.DEFAULTS, Locale.ENGLISH));
        assertThrows(NullPointerException.class, () -> TerminalRanker.rank(NEEDS, CATALOG, null, Locale.ENGLISH));
        assertThrows(NullPointerException.class,
                () -> TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, null));
    }

    @Test
    void anyOtherLocaleGetsEnglish() {
        assertEquals(TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, Locale.ENGLISH),
                TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, Locale.GERMANY));
        assertEquals(TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, Locale.SIMPLIFIED_CHINESE),
                TerminalRanker.rank(NEEDS, CATALOG, RankingWeights.DEFAULTS, Locale.forLanguageTag("zh-Hans")));
    }

    static List<String> models(List<?> entries) {
        return entries.stream()
                .map(entry -> entry instanceof RankedCandidate ranked ? ranked.candidate() : (TerminalCandidate) entry)
                .map(TerminalCandidate::model)
                .toList();
    }

    static TerminalCandidate copy(TerminalCandidate original, String model, Money price) {
        return new TerminalCandidate(model, original.vendor(), original.supportedChannels(), original.features(),
                original.securityCertificates(), price, original.monthlyFee());
    }
}
