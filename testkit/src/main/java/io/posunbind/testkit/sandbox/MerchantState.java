package io.posunbind.testkit.sandbox;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.UnsettledFunds;
import io.posunbind.spi.model.VerificationDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A merchant as the sandbox acquirer's merchant backend keeps it. Mutable; only touched while holding
 * the backend's lock.
 */
final class MerchantState {

    final String number;
    final String name;
    final String unifiedSocialCreditCode;
    final String legalRepresentativeName;

    boolean deleted;
    Optional<SettlementAccount> account = Optional.empty();
    /** The reference of the account unbind under review, if one is; a second one is refused meanwhile. */
    Optional<String> accountUnbindInReview = Optional.empty();
    /** The shortest time between two settlement-account changes; empty when the acquirer sets no limit. */
    Optional<Duration> accountChangeInterval = Optional.empty();
    /** When the settlement account last changed (an account unbind completed), if ever. */
    Optional<Instant> accountLastChangedAt = Optional.empty();
    /** The mobile phone registered with the acquirer, to which SMS codes go. */
    Optional<PhoneNumber> registeredPhone = Optional.empty();
    /** The operations the merchant must verify before, and how; none by default. */
    final Map<OperationKind, VerificationDemand> verificationDemands = new EnumMap<>(OperationKind.class);
    /** The challenges issued to the merchant, oldest first. */
    final List<VerificationChallenge> challenges = new ArrayList<>();
    /** The terminals registered for this merchant at the institution (the merchant-info binding). */
    final Set<String> registeredTerminals = new LinkedHashSet<>();
    final Map<String, UnsettledFunds> unsettledByTerminal = new LinkedHashMap<>();
    /** The fee schedule quoted for this merchant; empty means the sandbox default. */
    Optional<List<FeeItem>> fees = Optional.empty();

    MerchantState(String number, String name, String unifiedSocialCreditCode, String legalRepresentativeName) {
        this.number = number;
        this.name = name;
        this.unifiedSocialCreditCode = unifiedSocialCreditCode;
        this.legalRepresentativeName = legalRepresentativeName;
    }

    /** Whether anything is unsettled or in flight on any of the merchant's terminals. */
    boolean hasUnsettledFunds() {
        return unsettledByTerminal.values().stream().anyMatch(funds -> !funds.settled());
    }
}
