package io.posunbind.testkit.sandbox;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountChangeLimit;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.TerminalCandidate;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UnsettledFunds;
import io.posunbind.spi.model.VerificationDemand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the sandbox acquirer knows about the world: merchants with their accounts, phones and fee
 * schedules, terminals with their peripherals, usage and settings, test transactions, issued quotes and
 * verification challenges, and the catalog and document rules it applies to everyone. Not thread-safe:
 * {@link SandboxBackend} calls it under its one lock.
 */
final class WorldState {

    /** A quote as first issued, so that re-reading an unchanged quote keeps its id and validity. */
    record IssuedQuote(String quoteId, Instant validUntil) { }

    private final Clock clock;
    private final ReferenceNumbers references;

    final Map<String, MerchantState> merchants = new LinkedHashMap<>();
    final Map<String, TerminalState> terminals = new LinkedHashMap<>();
    final Map<String, SandboxTestTransaction> testTransactions = new LinkedHashMap<>();
    private final Map<String, IssuedQuote> quotesByContent = new HashMap<>();
    private final Map<String, VerificationChallenge> challenges = new HashMap<>();
    /** Draws challenge codes: they guard account changes, so they must not be guessable. */
    private final SecureRandom codes = new SecureRandom();

    Money testTransactionLimit = SandboxBackend.DEFAULT_TEST_TRANSACTION_LIMIT;
    List<TerminalCandidate> catalog = SandboxDemoData.defaultCatalog();
    Set<DocumentKind> requiredDocuments = Set.of();

    WorldState(Clock clock, ReferenceNumbers references) {
        this.clock = clock;
        this.references = references;
    }

    void addMerchant(MerchantState merchant) {
        if (merchants.containsKey(merchant.number)) {
            throw new IllegalArgumentException("Merchant " + merchant.number + " is already registered");
        }
        merchants.put(merchant.number, merchant);
    }

    void addTerminal(TerminalState terminal, List<String> bound) {
        if (terminals.containsKey(terminal.serialNumber)) {
            throw new IllegalArgumentException("Terminal " + terminal.serialNumber + " already exists");
        }
        bound.forEach(this::seededMerchant);
        terminal.boundMerchantNumbers.addAll(bound);
        terminals.put(terminal.serialNumber, terminal);
        bound.forEach(number -> merchants.get(number).registeredTerminals.add(terminal.serialNumber));
    }

    void bindTerminalToMerchant(String serialNumber, String merchantNumber) {
        TerminalState terminal = seededTerminal(serialNumber);
        seededMerchant(merchantNumber);
        if (!terminal.boundTo(merchantNumber)) {
            terminal.boundMerchantNumbers.add(merchantNumber);
        }
        merchants.get(merchantNumber).registeredTerminals.add(serialNumber);
    }

    void addPeripheral(String serialNumber, Peripheral peripheral) {
        TerminalState terminal = seededTerminal(serialNumber);
        if (terminal.peripheralsById.containsKey(peripheral.id())) {
            throw new IllegalArgumentException("Terminal " + serialNumber + " already has peripheral "
                    + peripheral.id());
        }
        terminal.peripheralsById.put(peripheral.id(), peripheral);
    }

    /** Unsettled funds expected to settle at the start of the next business day (T+1) when not nothing. */
    void setUnsettledFunds(String merchantNumber, String serialNumber, Money amount, int inFlightTransactions) {
        MerchantState merchant = seededMerchant(merchantNumber);
        Optional<Instant> expected = Optional.empty();
        if (!amount.isZero() || inFlightTransactions > 0) {
            LocalDate today = LocalDate.ofInstant(clock.instant(), SandboxBackend.ACQUIRER_ZONE);
            expected = Optional.of(today.plusDays(1).atStartOfDay(SandboxBackend.ACQUIRER_ZONE).toInstant());
        }
        merchant.unsettledByTerminal.put(serialNumber, new UnsettledFunds(amount, inFlightTransactions, expected));
    }

    void setAccountChangeLimit(String merchantNumber, AccountChangeLimit limit) {
        MerchantState merchant = seededMerchant(merchantNumber);
        merchant.accountChangeInterval = Optional.of(limit.minimumInterval());
        merchant.accountLastChangedAt = limit.lastChangedAt();
    }

    Optional<TerminalState> terminalState(String serialNumber) {
        return Optional.ofNullable(terminals.get(serialNumber));
    }

    /** The merchant unless unknown or deleted: a deleted merchant is unknown to the acquirer's APIs. */
    Optional<MerchantState> merchantState(String merchantNumber) {
        return Optional.ofNullable(liveMerchant(merchantNumber));
    }

    MerchantState liveMerchant(String merchantNumber) {
        MerchantState merchant = merchants.get(merchantNumber);
        return merchant == null || merchant.deleted ? null : merchant;
    }

    /** The merchant as seeded; a test naming one never added made a mistake, which is not an answer. */
    MerchantState seededMerchant(String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        MerchantState merchant = merchants.get(merchantNumber);
        if (merchant == null) {
            throw new IllegalArgumentException("Merchant " + merchantNumber
                    + " is not in the sandbox; add it with addMerchant first");
        }
        return merchant;
    }

    TerminalState seededTerminal(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        TerminalState terminal = terminals.get(serialNumber);
        if (terminal == null) {
            throw new IllegalArgumentException("Terminal " + serialNumber
                    + " is not in the sandbox; add it with addTerminal first");
        }
        return terminal;
    }

    /**
     * The serial numbers of the terminals still bound to a merchant at the terminal-management backend
     * (active or disabled): while there are any, the acquirer refuses to delete the merchant.
     */
    List<String> stillBoundTerminals(String merchantNumber) {
        return terminalsRegisteredTo(merchantNumber)
                .filter(terminal -> terminal.boundTo(merchantNumber))
                .filter(terminal -> terminal.status == TerminalStatus.ACTIVE
                        || terminal.status == TerminalStatus.DISABLED)
                .map(terminal -> terminal.serialNumber)
                .toList();
    }

    /**
     * The terminals ever registered to a merchant: every binding goes through registration, so this
     * finds all bound terminals without scanning the whole fleet (benchmarks seed tens of thousands).
     */
    private Stream<TerminalState> terminalsRegisteredTo(String merchantNumber) {
        MerchantState merchant = merchants.get(merchantNumber);
        if (merchant == null) {
            return Stream.empty();
        }
        return merchant.registeredTerminals.stream().map(terminals::get).filter(Objects::nonNull);
    }

    /** The merchants a terminal is bound to, for the verification of operations on it; empty when unknown. */
    List<String> merchantsOf(String serialNumber) {
        TerminalState terminal = terminals.get(serialNumber);
        return terminal == null ? List.of() : List.copyOf(terminal.boundMerchantNumbers);
    }

    Optional<VerificationDemand> verificationDemand(MerchantState merchant, OperationKind kind) {
        return Optional.ofNullable(merchant.verificationDemands.get(kind));
    }

    /**
     * Issues a challenge to a merchant with a fresh code from the secure random source; it supersedes the
     * merchant's challenges of the same method still waiting for an answer, as a newly sent SMS code
     * replaces the last one.
     */
    VerificationChallenge issueChallenge(String challengeId, MerchantState merchant, VerificationDemand demand) {
        String code = switch (demand.method()) {
            case SMS_CODE -> String.format("%06d", codes.nextInt(1_000_000));
            // A deposit of 0.01 to 0.99 yuan, reported in yuan as the bank statement shows it.
            case OWN_ACCOUNT_CHECK -> String.format("0.%02d", 1 + codes.nextInt(99));
        };
        merchant.challenges.stream()
                .filter(earlier -> earlier.state == VerificationChallenge.State.OPEN
                        && earlier.method == demand.method())
                .forEach(earlier -> earlier.state = VerificationChallenge.State.SUPERSEDED);
        VerificationChallenge challenge = new VerificationChallenge(challengeId, merchant.number, demand, code,
                clock.instant());
        merchant.challenges.add(challenge);
        challenges.put(challengeId, challenge);
        return challenge;
    }

    Optional<VerificationChallenge> challenge(String challengeId) {
        return Optional.ofNullable(challenges.get(challengeId));
    }

    /**
     * Refuses a request when a merchant it acts for must verify its kind first and holds no verified,
     * unspent challenge of the demanded method; otherwise notes the challenges it will spend.
     */
    Optional<OperationOutcome.Rejected> verificationRefusal(OperationRecord record, List<String> merchantNumbers) {
        Instant now = clock.instant();
        for (String merchantNumber : merchantNumbers) {
            MerchantState merchant = liveMerchant(merchantNumber);
            VerificationDemand demand = merchant == null ? null : merchant.verificationDemands.get(record.kind);
            if (demand == null) {
                continue;
            }
            Optional<VerificationChallenge> authorisation = merchant.challenges.stream()
                    .filter(challenge -> challenge.authorises(demand.method(), now))
                    .findFirst();
            if (authorisation.isEmpty()) {
                return Optional.of(SandboxAnswers.rejected(StandardErrorCode.NOT_AUTHORIZED,
                        SandboxBackend.VERIFICATION_REQUIRED_CODE, "Merchant " + merchantNumber + " must pass the "
                                + demand.method() + " verification before " + record.kind + ": issue a challenge,"
                                + " let the merchant answer it, then send the request again; a passed verification"
                                + " authorises one operation"));
            }
            record.authorisations.add(authorisation.get());
        }
        return Optional.empty();
    }

    Optional<SandboxTestTransaction> testTransaction(String reference) {
        return Optional.ofNullable(testTransactions.get(reference));
    }

    void putTestTransaction(SandboxTestTransaction transaction) {
        testTransactions.put(transaction.reference(), transaction);
    }

    Money testTransactionLimit() {
        return testTransactionLimit;
    }

    MerchantInfo merchantInfo(MerchantState merchant) {
        int active = (int) terminalsRegisteredTo(merchant.number)
                .filter(terminal -> terminal.status == TerminalStatus.ACTIVE && terminal.boundTo(merchant.number))
                .count();
        return new MerchantInfo(merchant.number, merchant.name, merchant.unifiedSocialCreditCode,
                merchant.legalRepresentativeName, active);
    }

    Optional<AccountChangeLimit> accountChangeLimitOf(MerchantState merchant) {
        return merchant.accountChangeInterval.map(interval -> new AccountChangeLimit(interval,
                merchant.accountLastChangedAt));
    }

    UnsettledFunds unsettledFundsOf(MerchantState merchant, String serialNumber) {
        return merchant.unsettledByTerminal.getOrDefault(serialNumber, UnsettledFunds.none(SandboxBackend.CNY));
    }

    List<FeeItem> feesOf(MerchantState merchant) {
        return merchant.fees.orElse(SandboxBackend.DEFAULT_FEES);
    }

    /**
     * The id and validity of a quote. An unchanged quote read again keeps both, so the merchant's consent
     * to it stays meaningful; changed amounts give another id; an expired quote is issued anew.
     */
    IssuedQuote issueQuote(String merchantNumber, String terminalSerial, Set<String> bindings, List<FeeItem> items) {
        StringBuilder content = new StringBuilder(merchantNumber).append('|').append(terminalSerial).append('|')
                .append(new TreeSet<>(bindings));
        for (FeeItem item : items) {
            content.append('|').append(item.kind()).append(':').append(item.amount().minorUnits())
                    .append(':').append(item.amount().currency().getCurrencyCode());
        }
        String contentKey = content.toString();
        Instant now = clock.instant();
        IssuedQuote issued = quotesByContent.get(contentKey);
        if (issued == null || !now.isBefore(issued.validUntil())) {
            String suffix = issued == null ? "" : "-" + references.next("R");
            issued = new IssuedQuote("SBX-Q-" + sha256Prefix(contentKey) + suffix,
                    now.plus(SandboxBackend.QUOTE_VALIDITY));
            quotesByContent.put(contentKey, issued);
        }
        return issued;
    }

    private static String sha256Prefix(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException impossible) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", impossible);
        }
    }
}
