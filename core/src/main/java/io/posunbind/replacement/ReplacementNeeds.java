package io.posunbind.replacement;

import io.posunbind.spi.API;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalCandidate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the merchant needs from a new terminal. Terms are the upper-case codes that
 * {@link TerminalCandidate} uses ({@code "UNIONPAY"}, {@code "PRINTER"},
 * {@code "PCI_PTS"}); they are trimmed and upper-cased here, so {@code "WeChat"} and {@code "WECHAT"}
 * are the same. Sets keep the order in which terms were given, and explanations list them in that order.
 *
 * <p>Required channels and required security certifications are hard requirements: a candidate that
 * lacks one is disqualified. Required features, the bank and the budget only lower a candidate's score.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Example:
 * <pre>{@code
 * ReplacementNeeds needs = ReplacementNeeds.builder()
 *         .requiredChannels("UNIONPAY", "WECHAT", "ALIPAY")
 *         .requiredFeatures("PRINTER")
 *         .niceToHaveFeatures("NFC", "MULTI_CURRENCY")
 *         .requiredSecurity("PCI_PTS")
 *         .budget(Money.cny(300_000))
 *         .months(24)
 *         .build();
 * }</pre>
 *
 * @param requiredChannels   payment channels the terminal must support; missing one disqualifies
 * @param bank               the merchant's bank or acquirer, preferred among a candidate's channels
 * @param requiredFeatures   features the merchant needs; missing one costs most of the features score
 * @param niceToHaveFeatures features the merchant would like; never the same as a required one
 * @param requiredSecurity   security certifications the terminal must hold; missing one disqualifies
 * @param budget             the most the merchant wants to spend over {@code months}; above it the
 *                           cost score is zero
 * @param months             how many months of use the total cost covers, 1 to 240
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ReplacementNeeds(Set<String> requiredChannels, Optional<String> bank, Set<String> requiredFeatures,
        Set<String> niceToHaveFeatures, Set<String> requiredSecurity, Optional<Money> budget, int months) {

    /** Months of use when none are given: two years, a common contract length for POS terminals. */
    public static final int DEFAULT_MONTHS = 24;

    /** The longest period considered: twenty years. */
    public static final int MAX_MONTHS = 240;

    /**
     * Checks the fields, normalizes the terms and removes nice-to-have features that are also required.
     *
     * @throws IllegalArgumentException if a term is blank, the budget is negative or months lie outside 1 to 240
     * @throws NullPointerException     if a field or a term is {@code null}
     */
    public ReplacementNeeds {
        requiredChannels = terms("requiredChannels", requiredChannels);
        Objects.requireNonNull(bank, "bank");
        bank = bank.map(value -> term("bank", value));
        requiredFeatures = terms("requiredFeatures", requiredFeatures);
        Set<String> required = requiredFeatures;
        niceToHaveFeatures = terms("niceToHaveFeatures", niceToHaveFeatures).stream()
                .filter(feature -> !required.contains(feature))
                .collect(Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new),
                        Collections::unmodifiableSet));
        requiredSecurity = terms("requiredSecurity", requiredSecurity);
        Objects.requireNonNull(budget, "budget");
        if (budget.isPresent() && budget.get().minorUnits() < 0) {
            throw new IllegalArgumentException("The budget must not be negative: " + budget.get());
        }
        if (months < 1 || months > MAX_MONTHS) {
            throw new IllegalArgumentException("Months of use must lie between 1 and " + MAX_MONTHS + ", not " + months);
        }
    }

    /**
     * A builder with no requirements, no budget and {@link #DEFAULT_MONTHS} months.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Normalizes a term the way needs and candidates are compared: trimmed and upper case. */
    static String normalize(String term) {
        return term.strip().toUpperCase(Locale.ROOT);
    }

    private static Set<String> terms(String name, Collection<String> values) {
        Objects.requireNonNull(values, name);
        // Kept in the caller's order, so that explanations list terms as the caller listed them.
        return values.stream().map(value -> term(name, value))
                .collect(Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new),
                        Collections::unmodifiableSet));
    }

    private static String term(String name, String value) {
        Objects.requireNonNull(value, () -> name + " must not contain null");
        String normalized = normalize(value);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException(name + " must not contain a blank term");
        }
        return normalized;
    }

    /** Collects needs; not thread-safe, build one per request. */
    public static final class Builder {
        private final Set<String> requiredChannels = new LinkedHashSet<>();
        private String bank;
        private final Set<String> requiredFeatures = new LinkedHashSet<>();
        private final Set<String> niceToHaveFeatures = new LinkedHashSet<>();
        private final Set<String> requiredSecurity = new LinkedHashSet<>();
        private Money budget;
        private int months = DEFAULT_MONTHS;

        private Builder() {
        }

        /** Adds payment channels the terminal must support, such as {@code "UNIONPAY"}, {@code "WECHAT"}. */
        public Builder requiredChannels(String... channels) {
            requiredChannels.addAll(Arrays.asList(channels));
            return this;
        }

        /** The merchant's bank or acquirer, such as {@code "ICBC"}; preferred, not required. */
        public Builder bank(String bank) {
            this.bank = Objects.requireNonNull(bank, "bank");
            return this;
        }

        /** Adds features the merchant needs, such as {@code "PRINTER"}, {@code "MULTI_CURRENCY"}. */
        public Builder requiredFeatures(String... features) {
            requiredFeatures.addAll(Arrays.asList(features));
            return this;
        }

        /** Adds features the merchant would like, such as {@code "NFC"}. */
        public Builder niceToHaveFeatures(String... features) {
            niceToHaveFeatures.addAll(Arrays.asList(features));
            return this;
        }

        /** Adds security certifications the terminal must hold, such as {@code "PCI_PTS"}. */
        public Builder requiredSecurity(String... certificates) {
            requiredSecurity.addAll(Arrays.asList(certificates));
            return this;
        }

        /** The most the merchant wants to spend over the months of use. */
        public Builder budget(Money budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** How many months of use the total cost covers; {@link #DEFAULT_MONTHS} unless set. */
        public Builder months(int months) {
            this.months = months;
            return this;
        }

        /**
         * The needs.
         *
         * @return the needs
         * @throws IllegalArgumentException as {@link ReplacementNeeds#ReplacementNeeds} does
         */
        public ReplacementNeeds build() {
            return new ReplacementNeeds(requiredChannels, Optional.ofNullable(bank), requiredFeatures,
                    niceToHaveFeatures, requiredSecurity, Optional.ofNullable(budget), months);
        }
    }
}
