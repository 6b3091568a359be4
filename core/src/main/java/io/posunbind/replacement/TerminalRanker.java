package io.posunbind.replacement;

import io.posunbind.i18n.Messages;
import io.posunbind.spi.API;
import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalCandidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ranks candidate terminals for a merchant who replaces the old one (选择新的POS机) and explains the
 * ranking in words, in simplified Chinese or English.
 *
 * <p>Each candidate is scored 0 to 100 on four criteria, and the total is their weighted sum
 * ({@link RankingWeights}):
 * <ul>
 *   <li><b>compatibility</b>: the share of the required payment channels it supports; when the merchant's
 *       bank is given, that share counts 80 points and the bank being among the candidate's channels 20;</li>
 *   <li><b>features</b>: 70 points for the share of required features it has, 30 for the share of
 *       nice-to-have features (a share is full when nothing of the kind is asked for);</li>
 *   <li><b>security</b>: the share it holds of all certifications in play, that is the required ones and
 *       every one any candidate offers, so the best-certified candidate scores 100;</li>
 *   <li><b>cost</b>: the total cost of ownership (price plus monthly fee times the months of use),
 *       relative to the lowest among the qualified candidates: the cheapest scores 100, one that costs
 *       twice as much 50; a candidate above the budget scores 0.</li>
 * </ul>
 * A candidate that lacks a required payment channel or a required security certification is
 * <em>disqualified</em>: it is still scored, but ranked after every qualified candidate.
 *
 * <p>The order is deterministic: qualified before disqualified, then the higher total score, then the
 * lower total cost, then the model name (ignoring case), then the vendor; candidates equal in all of these
 * keep the order they were given in. Terms (channels, features, certifications) are compared trimmed and
 * ignoring case.
 *
 * <p>Each explanation names what decided the place: against the candidate just below (for the first) or
 * just above (for the others), the criterion whose weighted score differs most, or, at equal score, the
 * total cost.
 *
 * <p>Stateless and thread-safe.
 *
 * <p>Example: the sandbox provider's three models and a fourth, cheap one.
 * <pre>{@code
 * ReplacementNeeds needs = ReplacementNeeds.builder()
 *         .requiredChannels("UNIONPAY", "WECHAT", "ALIPAY").requiredSecurity("PCI_PTS")
 *         .requiredFeatures("PRINTER").niceToHaveFeatures("NFC", "MULTI_CURRENCY")
 *         .budget(Money.cny(300_000)).months(24).build();
 * List<RankedCandidate> ranking = TerminalRanker.rank(needs, provider.replacementCatalog().orElseThrow(),
 *         "898310058120001", RankingWeights.DEFAULTS, Locale.SIMPLIFIED_CHINESE);
 * ranking.get(0).explanation();
 * // 排名第1：支持全部3个必需的支付渠道，具备打印机、NFC和多币种，通过PCI PTS和EMV L2认证，
 * //        24个月总成本¥1,659，主要凭功能领先于Newland N910 Pro
 * ranking.get(3).explanation();
 * // 不予推荐：不支持银联，具备打印机，通过PCI PTS认证，24个月总成本¥1,079
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TerminalRanker {

    /** Points of the compatibility score that the merchant's bank is worth, when one is given. */
    private static final double BANK_POINTS = 20;
    /** Points of the features score that the required features are worth; the rest are nice-to-have. */
    private static final double REQUIRED_FEATURE_POINTS = 70;

    private TerminalRanker() {
    }

    /**
     * Ranks the candidates a provider's catalog offers the merchant.
     *
     * @param needs          what the merchant needs
     * @param catalog        the provider's catalog
     * @param merchantNumber the merchant, as the catalog knows it
     * @param weights        how much each criterion counts
     * @param locale         the language of the explanations (see {@link Messages#forLocale})
     * @return the ranking, best first; empty when the catalog offers nothing
     * @throws IllegalArgumentException as {@link #rank(ReplacementNeeds, List, RankingWeights, Locale)} does
     * @throws NullPointerException     if an argument is {@code null} or the catalog answers {@code null}
     */
    public static List<RankedCandidate> rank(ReplacementNeeds needs, ReplacementCatalog catalog,
            String merchantNumber, RankingWeights weights, Locale locale) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        List<TerminalCandidate> candidates = Objects.requireNonNull(catalog.candidatesFor(merchantNumber),
                () -> "The replacement catalog " + catalog.getClass().getName() + " answered null for merchant "
                        + merchantNumber + "; a catalog answers an empty list when it offers nothing");
        return rank(needs, candidates, weights, locale);
    }

    /**
     * Ranks candidates given by the caller.
     *
     * @param needs      what the merchant needs
     * @param candidates the candidates, in any order; duplicates are ranked as separate entries
     * @param weights    how much each criterion counts
     * @param locale     the language of the explanations (see {@link Messages#forLocale})
     * @return the ranking, best first; empty when there are no candidates
     * @throws IllegalArgumentException if prices, fees and budget are not all in one currency
     * @throws ArithmeticException      if a total cost does not fit in a {@code long} of minor units
     * @throws NullPointerException     if an argument or a candidate is {@code null}
     */
    public static List<RankedCandidate> rank(ReplacementNeeds needs, List<TerminalCandidate> candidates,
            RankingWeights weights, Locale locale) {
        Objects.requireNonNull(needs, "needs");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(weights, "weights");
        Messages messages = Messages.forLocale(Objects.requireNonNull(locale, "locale"));
        for (int i = 0; i < candidates.size(); i++) {
            Objects.requireNonNull(candidates.get(i), "candidates[" + i + "]");
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Currency currency = commonCurrency(needs, candidates);

        List<Assessment> assessments = candidates.stream().map(candidate -> assess(needs, candidate)).toList();
        Set<String> certificationsInPlay = new LinkedHashSet<>(needs.requiredSecurity());
        assessments.forEach(a -> certificationsInPlay.addAll(a.certifications));
        long lowestCost = assessments.stream()
                .filter(a -> !a.disqualified() || assessments.stream().allMatch(Assessment::disqualified))
                .mapToLong(a -> a.totalCost)
                .min()
                .orElseThrow();

        List<Scored> scored = new ArrayList<>();
        for (Assessment assessment : assessments) {
            CriterionScores scores = new CriterionScores(
                    CriterionScores.round(compatibilityScore(needs, assessment)),
                    CriterionScores.round(featuresScore(needs, assessment)),
                    CriterionScores.round(securityScore(certificationsInPlay, assessment)),
                    CriterionScores.round(costScore(needs, assessment, lowestCost)));
            scored.add(new Scored(assessment, scores, scores.total(weights)));
        }
        // List.sort is stable: candidates equal in every key keep the caller's order.
        scored.sort(Comparator.comparing((Scored s) -> s.assessment.disqualified())
                .thenComparing(Comparator.comparingDouble(Scored::total).reversed())
                .thenComparingLong(s -> s.assessment.totalCost)
                .thenComparing(s -> s.assessment.candidate.model(), String.CASE_INSENSITIVE_ORDER)
                .thenComparing(s -> s.assessment.candidate.model())
                .thenComparing(s -> s.assessment.candidate.vendor()));

        List<Scored> qualified = scored.stream().filter(s -> !s.assessment.disqualified()).toList();
        boolean costsDiffer = qualified.stream().mapToLong(s -> s.assessment.totalCost).distinct().count() > 1;
        Explainer explainer = new Explainer(messages, needs, weights, currency, lowestCost, costsDiffer);
        List<RankedCandidate> ranking = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            Scored entry = scored.get(i);
            Assessment a = entry.assessment;
            List<String> reasons = explainer.disqualificationReasons(a);
            String explanation = a.disqualified()
                    ? explainer.explainDisqualified(entry)
                    : explainer.explainQualified(entry, i, qualified, scored.size());
            ranking.add(new RankedCandidate(i + 1, a.candidate, entry.total, entry.scores,
                    new Money(a.totalCost, currency), a.disqualified(), reasons, explanation));
        }
        return List.copyOf(ranking);
    }

    private static Currency commonCurrency(ReplacementNeeds needs, List<TerminalCandidate> candidates) {
        Set<Currency> currencies = new LinkedHashSet<>();
        for (TerminalCandidate candidate : candidates) {
            currencies.add(candidate.price().currency());
            currencies.add(candidate.monthlyFee().currency());
        }
        needs.budget().ifPresent(budget -> currencies.add(budget.currency()));
        if (currencies.size() > 1) {
            // Converting would need an exchange rate and a date; comparing across currencies would mislead.
            throw new IllegalArgumentException("Candidates' prices, fees and the budget must be in one currency, but"
                    + " they use " + currencies.stream().map(Currency::getCurrencyCode).collect(Collectors.joining(", "))
                    + "; convert them before ranking");
        }
        return currencies.iterator().next();
    }

    private static Assessment assess(ReplacementNeeds needs, TerminalCandidate candidate) {
        Set<String> channels = normalized(candidate.supportedChannels());
        Set<String> features = normalized(candidate.features());
        Set<String> certificates = normalized(candidate.securityCertificates());

        List<String> missingChannels = needs.requiredChannels().stream().filter(c -> !channels.contains(c)).toList();
        boolean bankListed = needs.bank().filter(channels::contains).isPresent();
        List<String> wanted = new ArrayList<>(needs.requiredFeatures());
        wanted.addAll(needs.niceToHaveFeatures());
        List<String> wantedPresent = wanted.stream().filter(features::contains).toList();
        List<String> missingFeatures = needs.requiredFeatures().stream().filter(f -> !features.contains(f)).toList();
        long requiredFeaturesPresent = needs.requiredFeatures().stream().filter(features::contains).count();
        long niceFeaturesPresent = needs.niceToHaveFeatures().stream().filter(features::contains).count();
        List<String> missingSecurity = needs.requiredSecurity().stream().filter(c -> !certificates.contains(c)).toList();
        // Required certifications first, in the caller's order, then the others alphabetically: stable text.
        List<String> orderedCertificates = new ArrayList<>(
                needs.requiredSecurity().stream().filter(certificates::contains).toList());
        certificates.stream().filter(c -> !needs.requiredSecurity().contains(c)).sorted()
                .forEach(orderedCertificates::add);

        long totalCost = Math.addExact(candidate.price().minorUnits(),
                Math.multiplyExact(candidate.monthlyFee().minorUnits(), (long) needs.months()));
        return new Assessment(candidate, missingChannels, bankListed, wantedPresent, missingFeatures,
                requiredFeaturesPresent, niceFeaturesPresent, missingSecurity, List.copyOf(orderedCertificates),
                totalCost);
    }

    private static Set<String> normalized(Set<String> terms) {
        return terms.stream().map(ReplacementNeeds::normalize).collect(Collectors.toUnmodifiableSet());
    }

    private static double compatibilityScore(ReplacementNeeds needs, Assessment a) {
        int required = needs.requiredChannels().size();
        double coverage = required == 0 ? 1 : (double) (required - a.missingChannels.size()) / required;
        if (needs.bank().isEmpty()) {
            return 100 * coverage;
        }
        return (100 - BANK_POINTS) * coverage + (a.bankListed ? BANK_POINTS : 0);
    }

    private static double featuresScore(ReplacementNeeds needs, Assessment a) {
        double requiredShare = share(a.requiredFeaturesPresent, needs.requiredFeatures().size());
        double niceShare = share(a.niceFeaturesPresent, needs.niceToHaveFeatures().size());
        return REQUIRED_FEATURE_POINTS * requiredShare + (100 - REQUIRED_FEATURE_POINTS) * niceShare;
    }

    private static double securityScore(Set<String> certificationsInPlay, Assessment a) {
        if (certificationsInPlay.isEmpty()) {
            return 100;
        }
        return 100.0 * a.certifications.size() / certificationsInPlay.size();
    }

    private static double costScore(ReplacementNeeds needs, Assessment a, long lowestCost) {
        if (needs.budget().filter(budget -> a.totalCost > budget.minorUnits()).isPresent()) {
            return 0;
        }
        if (a.totalCost <= lowestCost) {
            return 100;
        }
        return lowestCost <= 0 ? 0 : 100.0 * lowestCost / a.totalCost;
    }

    private static double share(long present, int asked) {
        return asked == 0 ? 1 : (double) present / asked;
    }

    /** What a candidate has and lacks against the needs; the facts behind both the scores and the words. */
    private record Assessment(TerminalCandidate candidate, List<String> missingChannels, boolean bankListed,
            List<String> wantedFeaturesPresent, List<String> missingRequiredFeatures, long requiredFeaturesPresent,
            long niceFeaturesPresent, List<String> missingSecurity, List<String> certifications, long totalCost) {

        boolean disqualified() {
            return !missingChannels.isEmpty() || !missingSecurity.isEmpty();
        }
    }

    private record Scored(Assessment assessment, CriterionScores scores, double total) {
    }

    /** Puts a ranking into words in one language. */
    private static final class Explainer {
        private final Messages messages;
        private final ReplacementNeeds needs;
        private final RankingWeights weights;
        private final Currency currency;
        private final long lowestCost;
        private final boolean costsDiffer;

        Explainer(Messages messages, ReplacementNeeds needs, RankingWeights weights, Currency currency,
                long lowestCost, boolean costsDiffer) {
            this.messages = messages;
            this.needs = needs;
            this.weights = weights;
            this.currency = currency;
            this.lowestCost = lowestCost;
            this.costsDiffer = costsDiffer;
        }

        List<String> disqualificationReasons(Assessment a) {
            List<String> reasons = new ArrayList<>(2);
            if (!a.missingChannels.isEmpty()) {
                reasons.add(messages.text("ranking.channels.missing", terms("channel", a.missingChannels)));
            }
            if (!a.missingSecurity.isEmpty()) {
                reasons.add(messages.text("ranking.security.missing", terms("security", a.missingSecurity)));
            }
            return reasons;
        }

        String explainDisqualified(Scored entry) {
            return explanation(messages.text("ranking.disqualified"), clauses(entry.assessment, false));
        }

        String explainQualified(Scored entry, int position, List<Scored> qualified, int candidates) {
            List<String> clauses = clauses(entry.assessment, true);
            if (position == 0) {
                if (qualified.size() > 1) {
                    clauses.add(lead(entry, qualified.get(1)));
                } else if (candidates > 1) {
                    clauses.add(messages.text("ranking.onlyQualified"));
                }
            } else {
                clauses.add(trail(entry, qualified.get(position - 1)));
            }
            return explanation(messages.text("ranking.ranked", ordinal(position + 1)), clauses);
        }

        private List<String> clauses(Assessment a, boolean qualified) {
            List<String> clauses = new ArrayList<>();
            if (!a.missingChannels.isEmpty()) {
                clauses.add(messages.text("ranking.channels.missing", terms("channel", a.missingChannels)));
            } else if (!needs.requiredChannels().isEmpty()) {
                clauses.add(messages.text("ranking.channels.all", needs.requiredChannels().size()));
            }
            needs.bank().ifPresent(bank -> clauses.add(
                    messages.text(a.bankListed ? "ranking.bank.listed" : "ranking.bank.unlisted", term("channel", bank))));
            if (!needs.requiredFeatures().isEmpty() || !needs.niceToHaveFeatures().isEmpty()) {
                if (!a.wantedFeaturesPresent.isEmpty()) {
                    clauses.add(messages.text("ranking.features.has", terms("feature", a.wantedFeaturesPresent)));
                }
                if (!a.missingRequiredFeatures.isEmpty()) {
                    clauses.add(messages.text("ranking.features.missing", terms("feature", a.missingRequiredFeatures)));
                }
                if (a.wantedFeaturesPresent.isEmpty() && a.missingRequiredFeatures.isEmpty()) {
                    clauses.add(messages.text("ranking.features.none"));
                }
            }
            if (!a.missingSecurity.isEmpty()) {
                clauses.add(messages.text("ranking.security.missing", terms("security", a.missingSecurity)));
            } else if (!a.certifications.isEmpty()) {
                clauses.add(messages.text("ranking.security.certified", terms("security", a.certifications)));
            } else {
                clauses.add(messages.text("ranking.security.none"));
            }
            clauses.add(costClause(a, qualified));
            return clauses;
        }

        private String costClause(Assessment a, boolean qualified) {
            String cost = messages.text("ranking.cost", money(a.totalCost), needs.months());
            Optional<Money> budget = needs.budget();
            if (budget.isPresent() && a.totalCost > budget.get().minorUnits()) {
                return messages.text("ranking.cost.overBudget", cost, money(a.totalCost - budget.get().minorUnits()),
                        messages.money(budget.get()));
            }
            if (qualified && costsDiffer && a.totalCost == lowestCost) {
                return messages.text("ranking.cost.lowest", cost);
            }
            return cost;
        }

        /** Why {@code entry} is ahead of the one just below it. */
        private String lead(Scored entry, Scored next) {
            if (entry.total == next.total) {
                return messages.text(entry.assessment.totalCost < next.assessment.totalCost
                        ? "ranking.tie.cheaper" : "ranking.tie.name", next.assessment.candidate.model());
            }
            return messages.text("ranking.lead." + decidingCriterion(entry, next), next.assessment.candidate.model());
        }

        /** Why {@code entry} is behind the one just above it. */
        private String trail(Scored entry, Scored previous) {
            if (entry.total == previous.total) {
                return messages.text(previous.assessment.totalCost < entry.assessment.totalCost
                        ? "ranking.tie.dearer" : "ranking.tie.name", previous.assessment.candidate.model());
            }
            return messages.text("ranking.trail." + decidingCriterion(previous, entry),
                    previous.assessment.candidate.model());
        }

        /** The criterion on which {@code better} gains most over {@code worse}, weighted; the first on a tie. */
        private RankingCriterion decidingCriterion(Scored better, Scored worse) {
            RankingCriterion deciding = RankingCriterion.COMPATIBILITY;
            double largest = Double.NEGATIVE_INFINITY;
            for (RankingCriterion criterion : RankingCriterion.values()) {
                double gain = weights.weightOf(criterion)
                        * (better.scores.scoreOf(criterion) - worse.scores.scoreOf(criterion));
                if (gain > largest) {
                    largest = gain;
                    deciding = criterion;
                }
            }
            return deciding;
        }

        private String explanation(String heading, List<String> clauses) {
            String joined = clauses.get(0);
            for (int i = 1; i < clauses.size(); i++) {
                joined = messages.text("ranking.clause", joined, clauses.get(i));
            }
            return messages.text("ranking.explanation", heading, joined);
        }

        /** "1st", "2nd", "11th" in English; "第1" in Chinese, where the four patterns are the same. */
        private String ordinal(int position) {
            int lastTwo = position % 100;
            int last = position % 10;
            String suffix;
            if (lastTwo >= 11 && lastTwo <= 13) {
                suffix = "th";
            } else if (last == 1) {
                suffix = "st";
            } else if (last == 2) {
                suffix = "nd";
            } else if (last == 3) {
                suffix = "rd";
            } else {
                suffix = "th";
            }
            return messages.text("ranking.ordinal." + suffix, position);
        }

        private String money(long minorUnits) {
            return messages.money(new Money(minorUnits, currency));
        }

        private String terms(String kind, List<String> codes) {
            return messages.list(codes.stream().map(code -> term(kind, code)).toList());
        }

        /** A channel, feature or certification in this language; terms without a text are shown as written. */
        private String term(String kind, String code) {
            return messages.find(kind + "." + code).orElse(code);
        }
    }
}
