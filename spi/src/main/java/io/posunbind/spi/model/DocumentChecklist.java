package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which documents an unbind case needs, and which of a jurisdiction's checks apply to them: a profile
 * such as {@link #china()} (today's rules: a licence with a valid unified social credit code, PBOC 259号
 * one terminal one merchant) or {@link #international()} (a business registration without that code,
 * account proof, no PBOC 259). A provider declares its profile in
 * {@code PaymentProvider.documentChecklist()}; an application may override it for every provider
 * ({@code UnbinderBuilder.documentChecklist}). A provider's {@code additionalDocuments} are still added
 * on top. Since SPI 2.0.
 *
 * <p>Items are replaced, not only added, with {@link #with}, {@link #without} and {@link #withChecks}:
 * <pre>{@code
 * // A Hong Kong acquirer: the international profile, plus the director's identity for every closure.
 * DocumentChecklist.international().named("HK")
 *         .with(Item.forReasons(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY, "CLOSURE"));
 * }</pre>
 *
 * <p>Reasons and bindings are named as {@code UnbindReason} and {@code BindingKind} constants are
 * ({@code "CLOSURE"}, {@code "ACCOUNT"}), because the SPI does not depend on the engine's types.
 * Immutable and thread-safe.
 *
 * @param profile a short name for people and the history: {@code "CN"}, {@code "INTERNATIONAL"}
 * @param items   the documents and when each is required
 * @param checks  the jurisdiction's checks applied to the submitted documents and the inventory
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record DocumentChecklist(String profile, List<Item> items, Set<Check> checks) {

    /** The profile name of {@link #china()}. */
    public static final String CHINA = "CN";
    /** The profile name of {@link #international()}. */
    public static final String INTERNATIONAL = "INTERNATIONAL";

    /** Checks and copies the fields. */
    public DocumentChecklist {
        Objects.requireNonNull(profile, "profile");
        if (profile.isBlank()) {
            throw new IllegalArgumentException("Name the checklist's profile");
        }
        items = List.copyOf(items);
        checks = checks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(checks));
    }

    /**
     * The People's Republic of China: business licence with a valid unified social credit code matching
     * the provider's, terminal information, settlement account proof when the account is unbound,
     * training material with a replacement, a loss report for a lost or stolen device, a transfer
     * agreement for an ownership transfer, and the legal representative's resident identity when a
     * closing merchant's info is unbound; one terminal serves one merchant (PBOC 259号).
     */
    public static DocumentChecklist china() {
        return new DocumentChecklist(CHINA, List.of(
                Item.always(DocumentKind.BUSINESS_LICENCE),
                Item.always(DocumentKind.TERMINAL_INFORMATION),
                Item.forBindings(DocumentKind.SETTLEMENT_ACCOUNT, "ACCOUNT"),
                Item.withReplacement(DocumentKind.TRAINING_MATERIAL),
                Item.forReasons(DocumentKind.LOSS_REPORT, "DEVICE_LOST_OR_STOLEN"),
                Item.forReasons(DocumentKind.OWNERSHIP_TRANSFER_AGREEMENT, "OWNERSHIP_TRANSFER"),
                new Item(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY, Set.of("CLOSURE"), Set.of("MERCHANT_INFO"),
                        false)),
                EnumSet.allOf(Check.class));
    }

    /**
     * A minimal profile for merchants outside China: the business registration (a
     * {@link DocumentKind#BUSINESS_LICENCE} document, its number not checked as a unified social credit
     * code) and settlement account proof when the account is unbound; no national identity check and no
     * PBOC 259号 rule.
     */
    public static DocumentChecklist international() {
        return new DocumentChecklist(INTERNATIONAL, List.of(
                Item.always(DocumentKind.BUSINESS_LICENCE),
                Item.forBindings(DocumentKind.SETTLEMENT_ACCOUNT, "ACCOUNT")),
                Set.of());
    }

    /** This checklist under another profile name. */
    public DocumentChecklist named(String newProfile) {
        return new DocumentChecklist(newProfile, items, checks);
    }

    /** This checklist with an item added, replacing any item of the same kind. */
    public DocumentChecklist with(Item item) {
        Objects.requireNonNull(item, "item");
        List<Item> replaced = new ArrayList<>(without(item.kind()).items);
        replaced.add(item);
        return new DocumentChecklist(profile, replaced, checks);
    }

    /** This checklist without any item of the kind. */
    public DocumentChecklist without(DocumentKind kind) {
        Objects.requireNonNull(kind, "kind");
        return new DocumentChecklist(profile, items.stream().filter(item -> item.kind() != kind).toList(), checks);
    }

    /** This checklist with other checks. */
    public DocumentChecklist withChecks(Set<Check> newChecks) {
        return new DocumentChecklist(profile, items, newChecks);
    }

    /** Whether the check applies. */
    public boolean checks(Check check) {
        return checks.contains(check);
    }

    /**
     * The kinds a case needs.
     *
     * @param reason          the unbind reason's name, for example {@code "CLOSURE"}
     * @param bindings        the bindings to undo: {@code "DEVICE"}, {@code "ACCOUNT"}, {@code "MERCHANT_INFO"}
     * @param withReplacement whether a replacement terminal is set up
     */
    public Set<DocumentKind> requiredFor(String reason, Set<String> bindings, boolean withReplacement) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(bindings, "bindings");
        Set<DocumentKind> required = EnumSet.noneOf(DocumentKind.class);
        for (Item item : items) {
            if (item.appliesTo(reason, bindings, withReplacement)) {
                required.add(item.kind());
            }
        }
        return required;
    }

    /** A jurisdiction's check, applied when the checklist names it. */
    public enum Check {
        /**
         * A business licence carries a valid unified social credit code (统一社会信用代码, GB 32100) that
         * matches the one the provider holds for the merchant.
         */
        UNIFIED_SOCIAL_CREDIT_CODE,
        /** The legal representative's identity number is a valid PRC resident identity number (GB 11643). */
        RESIDENT_IDENTITY_NUMBER,
        /** One terminal serves one merchant: a terminal bound to several blocks the case (PBOC 259号, 一机多户). */
        ONE_TERMINAL_ONE_MERCHANT
    }

    /**
     * One document and when it is required: for every case, or only for some reasons, for some bindings
     * (any of them), or with a replacement. All conditions given must hold.
     *
     * @param kind                the document
     * @param reasons             the reasons that need it, empty for every reason
     * @param bindings            the bindings that need it (any of them in scope), empty for every scope
     * @param onlyWithReplacement whether it is needed only when a replacement terminal is set up
     */
    public record Item(DocumentKind kind, Set<String> reasons, Set<String> bindings, boolean onlyWithReplacement) {

        /** Checks and copies the fields. */
        public Item {
            Objects.requireNonNull(kind, "kind");
            reasons = Set.copyOf(reasons);
            bindings = Set.copyOf(bindings);
            if (reasons.stream().anyMatch(String::isBlank) || bindings.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("A reason or binding of a checklist item is blank");
            }
        }

        /** Required for every case. */
        public static Item always(DocumentKind kind) {
            return new Item(kind, Set.of(), Set.of(), false);
        }

        /** Required for these reasons only, for example {@code "DEVICE_LOST_OR_STOLEN"}. */
        public static Item forReasons(DocumentKind kind, String... reasons) {
            return new Item(kind, Set.of(reasons), Set.of(), false);
        }

        /** Required when any of these bindings is undone, for example {@code "ACCOUNT"}. */
        public static Item forBindings(DocumentKind kind, String... bindings) {
            return new Item(kind, Set.of(), Set.of(bindings), false);
        }

        /** Required when a replacement terminal is set up. */
        public static Item withReplacement(DocumentKind kind) {
            return new Item(kind, Set.of(), Set.of(), true);
        }

        /** Whether a case of this reason, scope and replacement needs the document. */
        public boolean appliesTo(String reason, Set<String> scope, boolean withReplacement) {
            return (reasons.isEmpty() || reasons.contains(reason))
                    && (bindings.isEmpty() || bindings.stream().anyMatch(scope::contains))
                    && (!onlyWithReplacement || withReplacement);
        }
    }
}
