package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountChangeLimit;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalCandidate;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UnbindApplication;
import io.posunbind.spi.model.UnsettledFunds;
import io.posunbind.spi.model.UsageRecord;
import io.posunbind.spi.model.VerificationDemand;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox acquirer's backend: an in-memory model of what a real acquirer keeps (merchants, terminals
 * with peripherals, settlement accounts, unsettled funds, usage records, settings, replacement terminals,
 * test transactions, applications under review, registered phones and verification challenges) and of
 * how it treats requests (idempotency keys, state guards, verification, asynchronous review, faults).
 *
 * <p>Tests and demos use it in three ways:
 * <ol>
 *   <li><b>Seed</b> it: {@link #addMerchant}, {@link #addTerminal}, {@link #addPeripheral},
 *       {@link #bindAccount}, {@link #addUsageRecords}, {@link #addReplacementTerminal},
 *       {@link #setUnsettledFunds}, {@link #setFees}, {@link #setRegisteredPhone},
 *       {@link #setAccountChangeLimit}; or take {@link SandboxDemoData#seed}.</li>
 *   <li><b>Steer</b> it: complete asynchronous reviews ({@link #completePending}, {@link #approve},
 *       {@link #decide}, a {@link CompletionPolicy}) and inject faults ({@link #failNextTransiently},
 *       {@link #timeOutNext}, {@link #loseNext}, {@link #failNextReads}, {@link #failNextLookups}), demand
 *       verifications ({@link #requireVerification}) and documents ({@link #requireDocuments}).</li>
 *   <li><b>Inspect</b> it: {@link #terminal}, {@link #merchant}, {@link #settlementAccount},
 *       {@link #accountChangeLimit}, {@link #effectCount}, {@link #effectsFor}, {@link #effects}, ...; and,
 *       standing for the merchant's phone, {@link #lastChallengeCode}.</li>
 * </ol>
 *
 * <pre>{@code
 * SandboxBackend backend = new SandboxBackend(SandboxClock.at(Instant.parse("2025-03-03T01:00:00Z")))
 *         .addMerchant("898310058120001", "上海示例餐饮有限公司", "91310000MA1FL4B24G", "张伟")
 *         .addTerminal("0820000001", "PAX A920", "898310058120001")
 *         .addPeripheral("0820000001", PeripheralKind.PRINTER, "PRT-0001");
 * PaymentProvider provider = new SandboxProvider(backend);
 * }</pre>
 *
 * <h2>Idempotency</h2>
 * Every mutating request is remembered under its {@link IdempotencyKey} together with its parameters
 * (and the case id). The same key with the same parameters replays the remembered outcome without a
 * second effect; for an operation still under review the replay is its current outcome. The same key
 * with other parameters, or for another kind of operation, is {@code Rejected} with
 * {@link StandardErrorCode#IDEMPOTENCY_KEY_REUSED}. Three answers are <em>not</em> remembered, so that the
 * same key can succeed later: transient failures, rejections whose code is retryable
 * ({@link StandardErrorCode#FUNDS_UNSETTLED}: wait for settlement, then send again), and the refusal of an
 * operation the merchant has not verified yet ({@code SBX-VERIFICATION-REQUIRED}), which, as at Stripe,
 * comes before the operation runs. Other rejections are remembered and replayed, as Stripe does.
 *
 * <h2>Guards</h2>
 * Like a real acquirer (PAXSTORE-like terminal management), the sandbox refuses requests the state does
 * not allow, with a {@link StandardErrorCode} and its own {@code SBX-...} provider code:
 * <ul>
 *   <li>unknown terminal or merchant: {@code TERMINAL_NOT_FOUND} / {@code MERCHANT_NOT_FOUND};</li>
 *   <li>disable a terminal that is not {@code ACTIVE}: {@code TERMINAL_STATE_CONFLICT};</li>
 *   <li>unbind an {@code ACTIVE} terminal: {@code TERMINAL_ACTIVE}; one not {@code DISABLED}, or with
 *       peripherals still bound: {@code TERMINAL_STATE_CONFLICT}; with funds unsettled or in flight:
 *       {@code FUNDS_UNSETTLED};</li>
 *   <li>decommission an {@code ACTIVE} terminal: {@code TERMINAL_ACTIVE}; one not {@code UNBOUND}:
 *       {@code TERMINAL_STATE_CONFLICT};</li>
 *   <li>unbind a peripheral not bound to the terminal: {@code INVALID_REQUEST};</li>
 *   <li>unbind the settlement account while anything is unsettled: {@code Rejected} with
 *       {@code FUNDS_UNSETTLED}, a retryable code, because Chinese acquirers refuse the change with an error
 *       until T+1 settlement rather than queue it; another account than the bound one:
 *       {@code ACCOUNT_OWNERSHIP_MISMATCH}; while an earlier unbind is under review, or with none bound:
 *       {@code INVALID_REQUEST}; sooner after the last change than the merchant's limit allows
 *       ({@link #setAccountChangeLimit}): {@code ACCOUNT_CHANGE_LIMIT};</li>
 *   <li>detach an {@code ACTIVE} terminal from the merchant info: {@code TERMINAL_ACTIVE};</li>
 *   <li>delete a merchant while any terminal is still bound to it ({@code ACTIVE} or {@code DISABLED}):
 *       {@code MERCHANT_HAS_ACTIVE_TERMINALS}; with funds unsettled: {@code FUNDS_UNSETTLED};</li>
 *   <li>bind a terminal to another merchant (换绑) while it is still bound to any merchant, or is not
 *       {@code UNBOUND}: {@code TERMINAL_STATE_CONFLICT}, so that no terminal serves two merchants;</li>
 *   <li>set up a terminal that is not {@code NEW}: {@code TERMINAL_STATE_CONFLICT}; of another model:
 *       {@code INVALID_REQUEST};</li>
 *   <li>run a test transaction on a terminal not set up: {@code TERMINAL_STATE_CONFLICT}; above the limit
 *       (one yuan by default) or not positive: {@code INVALID_REQUEST};</li>
 *   <li>void a test transaction that does not exist on the terminal or is already voided:
 *       {@code INVALID_REQUEST};</li>
 *   <li>an operation the merchant must verify first ({@link #requireVerification}) without a verified,
 *       unspent challenge: {@code NOT_AUTHORIZED} with provider code {@code SBX-VERIFICATION-REQUIRED},
 *       before any other guard; issue an SMS challenge to a merchant without a registered phone, or an
 *       own-account check without a settlement account: {@code INVALID_REQUEST};</li>
 *   <li>a context whose {@link OperationKind} is not the method's: {@code INVALID_REQUEST}. Detaching a
 *       terminal from the merchant info travels as {@link OperationKind#MODIFY_MERCHANT_INFO}.</li>
 * </ul>
 *
 * <p>Seeding and inspection methods throw {@link IllegalArgumentException} for a merchant or terminal
 * that was never added: that is a mistake in the test, not an answer of the acquirer.
 *
 * <h2>Thread-safety</h2>
 * Thread-safe: one lock guards all state, so every request, read and test call sees and leaves a
 * consistent backend. Nothing sleeps; time comes from the injected {@link Clock}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxBackend {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBackend.class);

    /** The sandbox acquirer works in yuan only. */
    static final Currency CNY = Currency.getInstance("CNY");
    /** The acquirer's business day, which decides T+1 settlement. */
    static final ZoneId ACQUIRER_ZONE = ZoneId.of("Asia/Shanghai");
    /** The sandbox's own code for "temporarily unavailable", like an HTTP 503. */
    static final String UNAVAILABLE_CODE = "SBX-503";
    /** The sandbox's code for an operation the merchant must verify first; see {@link #requireVerification}. */
    static final String VERIFICATION_REQUIRED_CODE = "SBX-VERIFICATION-REQUIRED";
    /** How long a fee quote stays valid. */
    static final Duration QUOTE_VALIDITY = Duration.ofDays(7);

    /** The default fee schedule for unbinding a terminal (the device binding). */
    public static final List<FeeItem> DEFAULT_FEES = List.of(
            new FeeItem(FeeKind.UNBIND_FEE, Money.cny(5_000), "解绑手续费"),
            new FeeItem(FeeKind.SIM_FEE, Money.cny(3_600), "SIM卡流量年费（当期未缴）"),
            new FeeItem(FeeKind.DEPOSIT_REFUND, Money.cny(-20_000), "机具押金退还"));

    /** The default largest amount a test transaction may have: one yuan. */
    public static final Money DEFAULT_TEST_TRANSACTION_LIMIT = Money.cny(100);

    /** What the next request of a kind suffers, in the order the faults were queued. */
    private enum Fault { TRANSIENT, TIMEOUT, TIMEOUT_EXCEPTION, LOST }

    /** What an adapter does when a request is new under its key; runs under the backend's lock. */
    @FunctionalInterface
    interface Operation {
        OperationOutcome perform(OperationRecord record);
    }

    /** An application submitted for review, with the institution's decision once there is one. */
    private static final class ApplicationState {
        final UnbindApplication application;
        final OperationRecord record;
        Optional<InstitutionDecision> decision = Optional.empty();

        ApplicationState(UnbindApplication application, OperationRecord record) {
            this.application = application;
            this.record = record;
        }
    }

    /** A quote as first issued, so that re-reading an unchanged quote keeps its id and validity. */
    record IssuedQuote(String quoteId, Instant validUntil) { }

    private final Object lock = new Object();
    private final Clock clock;

    private final Map<String, MerchantState> merchants = new LinkedHashMap<>();
    private final Map<String, TerminalState> terminals = new LinkedHashMap<>();
    private final Map<IdempotencyKey, OperationRecord> records = new HashMap<>();
    private final Map<String, OperationRecord> pendingByReference = new LinkedHashMap<>();
    private final Map<String, ApplicationState> applications = new LinkedHashMap<>();
    private final Map<String, SandboxTestTransaction> testTransactions = new LinkedHashMap<>();
    private final Map<String, IssuedQuote> quotesByContent = new HashMap<>();
    private final Map<String, VerificationChallenge> challenges = new HashMap<>();
    /** Draws challenge codes: they guard account changes, so they must not be guessable. */
    private final SecureRandom codes = new SecureRandom();

    private final List<SandboxEffect> effects = new ArrayList<>();
    private final Map<IdempotencyKey, Integer> effectsByKey = new HashMap<>();
    private final Map<OperationKind, Integer> effectsByKind = new EnumMap<>(OperationKind.class);
    private final Map<OperationKind, Integer> callsByKind = new EnumMap<>(OperationKind.class);

    private final Map<OperationKind, Deque<Fault>> faults = new EnumMap<>(OperationKind.class);
    private int readFaults;
    private int lookupFaults;

    private CompletionPolicy completionPolicy = CompletionPolicy.manual();
    private boolean honoursIdempotencyKeys = true;
    private Money testTransactionLimit = DEFAULT_TEST_TRANSACTION_LIMIT;
    private List<TerminalCandidate> catalog = SandboxDemoData.defaultCatalog();
    private Set<DocumentKind> requiredDocuments = Set.of();
    private long sequence;

    /** An empty backend on the system clock, in the acquirer's zone (Asia/Shanghai). */
    public SandboxBackend() {
        this(Clock.system(ACQUIRER_ZONE));
    }

    /** An empty backend on the given clock; use a {@link SandboxClock} to let review time pass in tests. */
    public SandboxBackend(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The process-wide backend behind every {@link SandboxProvider} created with its no-argument
     * constructor, that is, by {@link java.util.ServiceLoader}. It starts with {@link SandboxDemoData} on
     * the system clock, so a program that lets the engine discover the sandbox can still seed and steer
     * it. Tests that need isolation create their own backend instead.
     */
    public static SandboxBackend shared() {
        synchronized (SHARED_LOCK) {
            // Created on first use only, so loading the provider class does no work.
            if (shared == null) {
                shared = SandboxDemoData.seed(new SandboxBackend());
            }
            return shared;
        }
    }

    /**
     * Replaces the process-wide backend with a freshly seeded one, so a program (the demo) can run
     * again in the same JVM. Providers created afterwards by {@link java.util.ServiceLoader} use it.
     */
    public static SandboxBackend resetShared() {
        synchronized (SHARED_LOCK) {
            shared = SandboxDemoData.seed(new SandboxBackend());
            return shared;
        }
    }

    private static final Object SHARED_LOCK = new Object();
    private static SandboxBackend shared;

    /** The clock the backend reads time from. */
    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------------------------------------
    // Seeding
    // ------------------------------------------------------------------------------------------------

    /**
     * Registers a merchant (商户).
     *
     * @throws IllegalArgumentException when the merchant number is already registered
     */
    public SandboxBackend addMerchant(String merchantNumber, String name, String unifiedSocialCreditCode,
            String legalRepresentativeName) {
        requireText(merchantNumber, "merchantNumber");
        requireText(name, "name");
        requireText(unifiedSocialCreditCode, "unifiedSocialCreditCode");
        requireText(legalRepresentativeName, "legalRepresentativeName");
        synchronized (lock) {
            if (merchants.containsKey(merchantNumber)) {
                throw new IllegalArgumentException("Merchant " + merchantNumber + " is already registered");
            }
            merchants.put(merchantNumber, new MerchantState(merchantNumber, name, unifiedSocialCreditCode,
                    legalRepresentativeName));
            return this;
        }
    }

    /** Adds an {@code ACTIVE} terminal bound to one merchant, at no particular store. */
    public SandboxBackend addTerminal(String serialNumber, String model, String merchantNumber) {
        return addTerminal(serialNumber, model, TerminalStatus.ACTIVE, Optional.empty(), List.of(merchantNumber));
    }

    /**
     * Adds a terminal in any state. An {@code ACTIVE} or {@code DISABLED} terminal is bound to at least
     * one merchant (several make an illegal 一机多户 terminal, which the sandbox keeps as it is so the engine
     * can be tested against it); a {@code NEW}, {@code UNBOUND} or {@code DECOMMISSIONED} one to none.
     * The terminal is also registered in each merchant's info (the merchant-info binding).
     *
     * @throws IllegalArgumentException when the serial number exists, a merchant is unknown, or the
     *                                  merchants do not fit the status
     */
    public SandboxBackend addTerminal(String serialNumber, String model, TerminalStatus status,
            Optional<String> storeId, List<String> merchantNumbers) {
        requireText(serialNumber, "serialNumber");
        requireText(model, "model");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(storeId, "storeId");
        List<String> bound = List.copyOf(merchantNumbers);
        boolean mustBeBound = status == TerminalStatus.ACTIVE || status == TerminalStatus.DISABLED;
        if (mustBeBound == bound.isEmpty()) {
            throw new IllegalArgumentException("A " + status + " terminal is bound to "
                    + (mustBeBound ? "at least one merchant" : "no merchant") + ", got " + bound);
        }
        synchronized (lock) {
            if (terminals.containsKey(serialNumber)) {
                throw new IllegalArgumentException("Terminal " + serialNumber + " already exists");
            }
            bound.forEach(this::seededMerchant);
            TerminalState terminal = new TerminalState(serialNumber, model, status, storeId);
            terminal.boundMerchantNumbers.addAll(bound);
            terminal.setUp = mustBeBound;
            terminals.put(serialNumber, terminal);
            bound.forEach(number -> merchants.get(number).registeredTerminals.add(serialNumber));
            return this;
        }
    }

    /**
     * Binds an existing terminal to one more merchant, which makes it an illegal 一机多户 terminal: a
     * state the engine must detect, since PBOC 259号 forbids it.
     */
    public SandboxBackend bindTerminalToMerchant(String serialNumber, String merchantNumber) {
        synchronized (lock) {
            TerminalState terminal = seededTerminal(serialNumber);
            seededMerchant(merchantNumber);
            if (!terminal.boundTo(merchantNumber)) {
                terminal.boundMerchantNumbers.add(merchantNumber);
            }
            merchants.get(merchantNumber).registeredTerminals.add(serialNumber);
            return this;
        }
    }

    /** Adds a {@code NEW} terminal that no merchant uses yet, to be set up as a replacement. */
    public SandboxBackend addReplacementTerminal(String serialNumber, String model) {
        return addTerminal(serialNumber, model, TerminalStatus.NEW, Optional.empty(), List.of());
    }

    /** Binds a peripheral to a terminal; its binding id is {@code "PRL-" + peripheralSerial}. */
    public SandboxBackend addPeripheral(String serialNumber, PeripheralKind kind, String peripheralSerial) {
        requireText(peripheralSerial, "peripheralSerial");
        return addPeripheral(serialNumber, new Peripheral("PRL-" + peripheralSerial, kind, peripheralSerial));
    }

    /** Binds a peripheral, with the binding id it carries, to a terminal. */
    public SandboxBackend addPeripheral(String serialNumber, Peripheral peripheral) {
        Objects.requireNonNull(peripheral, "peripheral");
        synchronized (lock) {
            TerminalState terminal = seededTerminal(serialNumber);
            if (terminal.peripheralsById.containsKey(peripheral.id())) {
                throw new IllegalArgumentException("Terminal " + serialNumber + " already has peripheral "
                        + peripheral.id());
            }
            terminal.peripheralsById.put(peripheral.id(), peripheral);
            return this;
        }
    }

    /** Binds a settlement account (结算账户) to a merchant, replacing the one bound before. */
    public SandboxBackend bindAccount(String merchantNumber, SettlementAccount account) {
        Objects.requireNonNull(account, "account");
        synchronized (lock) {
            seededMerchant(merchantNumber).account = Optional.of(account);
            return this;
        }
    }

    /** Appends usage records (交易明细) to a terminal's history. */
    public SandboxBackend addUsageRecords(String serialNumber, List<UsageRecord> usageRecords) {
        List<UsageRecord> copy = List.copyOf(usageRecords);
        synchronized (lock) {
            seededTerminal(serialNumber).usageRecords.addAll(copy);
            return this;
        }
    }

    /** Sets one of a terminal's settings, as exported for the backup. */
    public SandboxBackend putSetting(String serialNumber, String key, String value) {
        requireText(key, "key");
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            seededTerminal(serialNumber).settings.put(key, value);
            return this;
        }
    }

    /**
     * Sets what is unsettled on a merchant's terminal. The expected settlement time is the start of the
     * next business day (T+1) after now, when anything is unsettled.
     *
     * @param amount               funds captured, not yet settled, in CNY
     * @param inFlightTransactions transactions started, not finished
     */
    public SandboxBackend setUnsettledFunds(String merchantNumber, String serialNumber, Money amount,
            int inFlightTransactions) {
        Objects.requireNonNull(amount, "amount");
        requireText(serialNumber, "serialNumber");
        if (!amount.currency().equals(CNY)) {
            throw new IllegalArgumentException("The sandbox settles in CNY only, not " + amount.currency());
        }
        synchronized (lock) {
            MerchantState merchant = seededMerchant(merchantNumber);
            Optional<Instant> expected = Optional.empty();
            if (!amount.isZero() || inFlightTransactions > 0) {
                LocalDate today = LocalDate.ofInstant(clock.instant(), ACQUIRER_ZONE);
                expected = Optional.of(today.plusDays(1).atStartOfDay(ACQUIRER_ZONE).toInstant());
            }
            merchant.unsettledByTerminal.put(serialNumber,
                    new UnsettledFunds(amount, inFlightTransactions, expected));
            return this;
        }
    }

    /** Settles everything of a merchant: no funds unsettled and nothing in flight on any terminal. */
    public SandboxBackend settleAll(String merchantNumber) {
        synchronized (lock) {
            seededMerchant(merchantNumber).unsettledByTerminal.clear();
            return this;
        }
    }

    /**
     * Limits how often the merchant may change its settlement account, as many Chinese acquirers do (for
     * example once per 30 days), for a merchant whose account never changed in the sandbox.
     *
     * @see #setAccountChangeLimit(String, Duration, Instant)
     */
    public SandboxBackend setAccountChangeLimit(String merchantNumber, Duration minimumInterval) {
        return setAccountChangeLimit(merchantNumber, new AccountChangeLimit(minimumInterval, Optional.empty()));
    }

    /**
     * Limits how often the merchant may change its settlement account and says when it last did. The
     * account adapter then reports the limit, refuses an account unbind inside the interval with
     * {@code ACCOUNT_CHANGE_LIMIT}, and moves {@code lastChangedAt} to the moment each account unbind
     * completes.
     *
     * @param minimumInterval the shortest time between two changes, not negative
     * @param lastChangedAt   when the account last changed
     */
    public SandboxBackend setAccountChangeLimit(String merchantNumber, Duration minimumInterval,
            Instant lastChangedAt) {
        Objects.requireNonNull(lastChangedAt, "lastChangedAt");
        return setAccountChangeLimit(merchantNumber,
                new AccountChangeLimit(minimumInterval, Optional.of(lastChangedAt)));
    }

    private SandboxBackend setAccountChangeLimit(String merchantNumber, AccountChangeLimit limit) {
        synchronized (lock) {
            MerchantState merchant = seededMerchant(merchantNumber);
            merchant.accountChangeInterval = Optional.of(limit.minimumInterval());
            merchant.accountLastChangedAt = limit.lastChangedAt();
            return this;
        }
    }

    /** Registers the merchant's mobile phone with the acquirer; SMS codes are sent to it. */
    public SandboxBackend setRegisteredPhone(String merchantNumber, PhoneNumber phone) {
        Objects.requireNonNull(phone, "phone");
        synchronized (lock) {
            seededMerchant(merchantNumber).registeredPhone = Optional.of(phone);
            return this;
        }
    }

    /**
     * Makes operations of the merchant wait for a verification, as acquirers demand an SMS code before a
     * settlement-account change. The verification adapter then reports the demand for those kinds, and
     * the sandbox refuses each such operation with {@code NOT_AUTHORIZED} (provider code
     * {@code SBX-VERIFICATION-REQUIRED}) unless the merchant answered a challenge of the demanded
     * method rightly, within the challenge's validity, and no operation used that answer yet. One
     * verified challenge authorises one operation, which must come within {@code demand.validFor()} of the
     * verification; the challenge is spent only when the operation takes effect. Operations on a
     * terminal need the verification of the merchants the terminal is bound to. Calling again for a kind
     * replaces its demand. None is demanded by default.
     *
     * <pre>{@code
     * backend.setRegisteredPhone(merchant, PhoneNumber.of("13800138000"))
     *        .requireVerification(merchant, new VerificationDemand(Method.SMS_CODE, 3, Duration.ofMinutes(5)),
     *                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
     * }</pre>
     *
     * @param kinds at least one; {@link OperationKind#ISSUE_VERIFICATION} cannot be guarded by itself
     */
    public SandboxBackend requireVerification(String merchantNumber, VerificationDemand demand,
            OperationKind... kinds) {
        Objects.requireNonNull(demand, "demand");
        List<OperationKind> guarded = List.of(Objects.requireNonNull(kinds, "kinds"));
        if (guarded.isEmpty()) {
            throw new IllegalArgumentException("Name at least one operation kind that needs the verification");
        }
        if (guarded.contains(OperationKind.ISSUE_VERIFICATION)) {
            throw new IllegalArgumentException("Issuing a challenge cannot itself wait for a challenge");
        }
        synchronized (lock) {
            MerchantState merchant = seededMerchant(merchantNumber);
            guarded.forEach(kind -> merchant.verificationDemands.put(kind, demand));
            return this;
        }
    }

    /** Sets the fee schedule quoted for unbinding this merchant's terminals; see {@link #DEFAULT_FEES}. */
    public SandboxBackend setFees(String merchantNumber, List<FeeItem> items) {
        List<FeeItem> copy = List.copyOf(items);
        synchronized (lock) {
            seededMerchant(merchantNumber).fees = Optional.of(copy);
            return this;
        }
    }

    /** Replaces the replacement catalog offered to every merchant. */
    public SandboxBackend setCatalog(List<TerminalCandidate> candidates) {
        List<TerminalCandidate> copy = List.copyOf(candidates);
        synchronized (lock) {
            catalog = copy;
            return this;
        }
    }

    /**
     * Sets the documents the sandbox acquirer requires on top of the engine's own checklist, for every
     * case, replacing those set before; {@link SandboxProvider#additionalDocuments} reports them. None by
     * default; call with no kinds to require none again.
     */
    public SandboxBackend requireDocuments(DocumentKind... kinds) {
        Set<DocumentKind> copy = Set.copyOf(List.of(Objects.requireNonNull(kinds, "kinds")));
        synchronized (lock) {
            requiredDocuments = copy;
            return this;
        }
    }

    /** Sets the largest amount a test transaction may have (default {@link #DEFAULT_TEST_TRANSACTION_LIMIT}). */
    public SandboxBackend setTestTransactionLimit(Money limit) {
        Objects.requireNonNull(limit, "limit");
        synchronized (lock) {
            testTransactionLimit = limit;
            return this;
        }
    }

    /** Sets when asynchronous operations complete; the default is {@link CompletionPolicy#manual()}. */
    public SandboxBackend setCompletionPolicy(CompletionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        synchronized (lock) {
            completionPolicy = policy;
            completeDue();
            return this;
        }
    }

    /**
     * Makes the sandbox behave like a provider that ignores idempotency keys (PAXSTORE's SDK sends none):
     * every request is performed again, whatever its key, while lookups still find the latest request
     * under a key. {@link SandboxProvider#honoursIdempotencyKeys()} reports the setting.
     */
    public SandboxBackend setHonoursIdempotencyKeys(boolean honours) {
        synchronized (lock) {
            honoursIdempotencyKeys = honours;
            return this;
        }
    }

    /**
     * Forgets every request received so far, as a provider does once its key retention has passed, or as a
     * sandbox restarted without its ledger would: terminals, accounts and merchants stay as they are, but a
     * lookup by key finds nothing, and the same key is performed anew.
     */
    public SandboxBackend forgetRequests() {
        synchronized (lock) {
            records.clear();
            return this;
        }
    }

    /** Whether requests are deduplicated by idempotency key (the default). */
    public boolean honoursIdempotencyKeys() {
        synchronized (lock) {
            return honoursIdempotencyKeys;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Asynchronous completion
    // ------------------------------------------------------------------------------------------------

    /**
     * Completes a pending operation as the acquirer would after a favourable review: an account unbind
     * takes effect (the account is no longer bound), an application is approved.
     *
     * @param providerReference the reference from the {@code Pending} answer
     * @throws IllegalArgumentException when no operation is pending under that reference
     */
    public SandboxBackend completePending(String providerReference) {
        synchronized (lock) {
            complete(pendingRecord(providerReference));
            return this;
        }
    }

    /**
     * Refuses a pending account unbind after review; lookups then answer {@code Rejected}. Applications
     * are refused with {@link #reject(String, String, String)} instead, since their refusal is a decision.
     *
     * @throws IllegalArgumentException when nothing is pending under that reference, or it is an application
     */
    public SandboxBackend rejectPending(String providerReference, ErrorCode code, String providerCode,
            String message) {
        Objects.requireNonNull(code, "code");
        requireText(providerCode, "providerCode");
        requireText(message, "message");
        synchronized (lock) {
            OperationRecord record = pendingRecord(providerReference);
            if (record.application) {
                throw new IllegalArgumentException(providerReference
                        + " is an application: refuse it with reject(reference, reasonCode, message)");
            }
            record.refusal.run();
            finish(record, OperationOutcome.rejected(code, providerCode, message));
            return this;
        }
    }

    /** Approves an application under review. */
    public SandboxBackend approve(String applicationReference) {
        synchronized (lock) {
            return decide(applicationReference, InstitutionDecision.approved(applicationReference, clock.instant()));
        }
    }

    /** Rejects an application under review with the institution's code and words. */
    public SandboxBackend reject(String applicationReference, String reasonCode, String message) {
        synchronized (lock) {
            return decide(applicationReference,
                    InstitutionDecision.rejected(applicationReference, reasonCode, message, clock.instant()));
        }
    }

    /** Asks for more documents on an application under review. */
    public SandboxBackend requestMoreInformation(String applicationReference, String message,
            List<DocumentKind> requestedDocuments) {
        synchronized (lock) {
            return decide(applicationReference, new InstitutionDecision(
                    InstitutionDecision.Outcome.MORE_INFORMATION_REQUIRED, applicationReference,
                    "SBX-MORE-INFO", message, requestedDocuments, clock.instant()));
        }
    }

    /**
     * Records the institution's decision on an application. From then on {@code readDecision} returns it
     * and a lookup of the submission answers {@code Done} with the attribute {@code decision} set to the
     * decision's outcome: the submission itself went through, whatever the institution decided.
     *
     * @throws IllegalArgumentException when no such application is known or the decision names another
     * @throws IllegalStateException    when the application was already decided
     */
    public SandboxBackend decide(String applicationReference, InstitutionDecision decision) {
        Objects.requireNonNull(decision, "decision");
        synchronized (lock) {
            ApplicationState state = applications.get(applicationReference);
            if (state == null) {
                throw new IllegalArgumentException("No application " + applicationReference + " was submitted");
            }
            if (!decision.applicationReference().equals(applicationReference)) {
                throw new IllegalArgumentException("The decision is about " + decision.applicationReference()
                        + ", not " + applicationReference);
            }
            if (state.decision.isPresent()) {
                throw new IllegalStateException("Application " + applicationReference + " was already decided: "
                        + state.decision.get().outcome());
            }
            state.decision = Optional.of(decision);
            finish(state.record, decidedOutcome(applicationReference, decision));
            return this;
        }
    }

    /** The references of the operations still pending, oldest first. */
    public List<String> pendingReferences() {
        synchronized (lock) {
            completeDue();
            return List.copyOf(pendingByReference.keySet());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Fault injection
    // ------------------------------------------------------------------------------------------------

    /**
     * The next {@code times} requests of this kind fail transiently ({@code RetryableFailure}, provider
     * code {@code SBX-503}) before reaching the acquirer: no effect, nothing remembered under the key.
     */
    public SandboxBackend failNextTransiently(OperationKind kind, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        synchronized (lock) {
            for (int i = 0; i < times; i++) {
                queueFault(kind, Fault.TRANSIENT);
            }
            return this;
        }
    }

    /**
     * The next request of this kind takes effect (or replays its remembered answer) but the answer is lost
     * on the way back: the adapter answers {@code Unknown("read timed out ...")}. The engine must reconcile
     * with a lookup, which finds the operation, rather than repeat blindly.
     */
    public SandboxBackend timeOutNext(OperationKind kind) {
        synchronized (lock) {
            queueFault(kind, Fault.TIMEOUT);
            return this;
        }
    }

    /**
     * Like {@link #timeOutNext}, but the adapter throws an {@link UncheckedIOException} caused by a
     * {@link SocketTimeoutException}, as an HTTP client would; the SPI treats a throw from a mutating call
     * as an unknown outcome too.
     */
    public SandboxBackend timeOutNextWithException(OperationKind kind) {
        synchronized (lock) {
            queueFault(kind, Fault.TIMEOUT_EXCEPTION);
            return this;
        }
    }

    /**
     * The next request of this kind is lost before it reaches the acquirer: no effect, nothing remembered,
     * and the adapter answers {@code Unknown("connection reset ...")}. A lookup then answers empty.
     */
    public SandboxBackend loseNext(OperationKind kind) {
        synchronized (lock) {
            queueFault(kind, Fault.LOST);
            return this;
        }
    }

    /**
     * The next {@code times} reads (readTerminal, exportTerminalData, readSettlementAccount,
     * readUnsettledFunds, accountChangeLimit, readMerchantInfo, readDecision, quoteFees, demandFor, and
     * checkAnswer, which then costs no attempt) throw a {@link ProviderException} with
     * {@link StandardErrorCode#PROVIDER_UNAVAILABLE}.
     */
    public SandboxBackend failNextReads(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        synchronized (lock) {
            readFaults += times;
            return this;
        }
    }

    /** The next {@code times} lookups throw a {@link ProviderException} with {@code PROVIDER_UNAVAILABLE}. */
    public SandboxBackend failNextLookups(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        synchronized (lock) {
            lookupFaults += times;
            return this;
        }
    }

    /** Forgets every fault not yet triggered. */
    public SandboxBackend clearFaults() {
        synchronized (lock) {
            faults.clear();
            readFaults = 0;
            lookupFaults = 0;
            return this;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Inspection
    // ------------------------------------------------------------------------------------------------

    /** The terminal as the terminal-management backend shows it, empty when unknown. */
    public Optional<Terminal> terminal(String serialNumber) {
        synchronized (lock) {
            return Optional.ofNullable(terminals.get(serialNumber)).map(TerminalState::snapshot);
        }
    }

    /** The merchant's info, empty when unknown or deleted. */
    public Optional<MerchantInfo> merchant(String merchantNumber) {
        synchronized (lock) {
            return Optional.ofNullable(liveMerchant(merchantNumber)).map(this::merchantInfo);
        }
    }

    /** Whether the merchant's info was deleted at the institution. */
    public boolean merchantDeleted(String merchantNumber) {
        synchronized (lock) {
            return seededMerchant(merchantNumber).deleted;
        }
    }

    /** The terminals registered in the merchant's info (the merchant-info binding), in the order added. */
    public Set<String> registeredTerminals(String merchantNumber) {
        synchronized (lock) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(seededMerchant(merchantNumber).registeredTerminals));
        }
    }

    /** The merchant's bound settlement account, empty when none is. */
    public Optional<SettlementAccount> settlementAccount(String merchantNumber) {
        synchronized (lock) {
            completeDue();
            return seededMerchant(merchantNumber).account;
        }
    }

    /** The merchant's limit on settlement-account changes, with the last change; empty when none is set. */
    public Optional<AccountChangeLimit> accountChangeLimit(String merchantNumber) {
        synchronized (lock) {
            completeDue();
            return accountChangeLimitOf(seededMerchant(merchantNumber));
        }
    }

    /**
     * The answer to the challenge last issued to the merchant (the SMS code, or the deposit amount such as
     * {@code "0.37"}), whatever became of it since; empty when none was issued. <b>Test only</b>: this
     * stands for the merchant reading the SMS or the bank statement. The sandbox never logs the code, and
     * nothing else reveals it.
     */
    public Optional<String> lastChallengeCode(String merchantNumber) {
        synchronized (lock) {
            List<VerificationChallenge> issued = seededMerchant(merchantNumber).challenges;
            return issued.isEmpty() ? Optional.empty() : Optional.of(issued.get(issued.size() - 1).code());
        }
    }

    /** What is unsettled on the merchant's terminal. */
    public UnsettledFunds unsettledFunds(String merchantNumber, String serialNumber) {
        synchronized (lock) {
            return unsettledFundsOf(seededMerchant(merchantNumber), serialNumber);
        }
    }

    /** The terminal's usage history. */
    public List<UsageRecord> usageRecords(String serialNumber) {
        synchronized (lock) {
            return List.copyOf(seededTerminal(serialNumber).usageRecords);
        }
    }

    /** The terminal's settings. */
    public Map<String, String> settings(String serialNumber) {
        synchronized (lock) {
            return Map.copyOf(seededTerminal(serialNumber).settings);
        }
    }

    /** The test transactions run on a terminal, in order. */
    public List<SandboxTestTransaction> testTransactions(String serialNumber) {
        synchronized (lock) {
            return testTransactions.values().stream()
                    .filter(transaction -> transaction.serialNumber().equals(serialNumber))
                    .toList();
        }
    }

    /** The application submitted under a reference, empty when none was. */
    public Optional<UnbindApplication> application(String applicationReference) {
        synchronized (lock) {
            return Optional.ofNullable(applications.get(applicationReference)).map(state -> state.application);
        }
    }

    /** The decision on an application, empty while under review or when unknown. Counts as no poll. */
    public Optional<InstitutionDecision> decision(String applicationReference) {
        synchronized (lock) {
            completeDue();
            return Optional.ofNullable(applications.get(applicationReference)).flatMap(state -> state.decision);
        }
    }

    /** How many effects were performed under this key: 0 or 1 while keys are honoured. */
    public int effectCount(IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            return effectsByKey.getOrDefault(key, 0);
        }
    }

    /** How many effects of this kind were performed, under any key. */
    public int effectsFor(OperationKind kind) {
        Objects.requireNonNull(kind, "kind");
        synchronized (lock) {
            return effectsByKind.getOrDefault(kind, 0);
        }
    }

    /** All effects, in the order performed. */
    public List<SandboxEffect> effects() {
        synchronized (lock) {
            return List.copyOf(effects);
        }
    }

    /** How many requests of this kind arrived, whatever became of them (faults and replays included). */
    public int callsFor(OperationKind kind) {
        Objects.requireNonNull(kind, "kind");
        synchronized (lock) {
            return callsByKind.getOrDefault(kind, 0);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Machinery for the adapters (package-private)
    // ------------------------------------------------------------------------------------------------

    /**
     * Runs one mutating request: fault injection, idempotency, the adapter's guards and effect, and the
     * bookkeeping that lets tests count effects.
     *
     * @param expectedKind the kind the adapter method performs; a context of another kind is refused,
     *                     because a provider that received it would do something else than asked
     * @param parameters   what identifies the request besides its key, compared on replay
     */
    OperationOutcome execute(OperationContext context, OperationKind expectedKind, List<Object> parameters,
            Operation operation) {
        return execute(context, expectedKind, parameters, List::of, operation);
    }

    /**
     * Runs one mutating request on behalf of merchants, who may have to verify it first (see
     * {@link #requireVerification}).
     *
     * @param actingFor the merchants the request acts for, read under the lock just before it is performed
     */
    OperationOutcome execute(OperationContext context, OperationKind expectedKind, List<Object> parameters,
            Supplier<List<String>> actingFor, Operation operation) {
        Objects.requireNonNull(context, "context");
        IdempotencyKey key = context.idempotencyKey();
        synchronized (lock) {
            completeDue();
            callsByKind.merge(expectedKind, 1, Integer::sum);
            if (context.kind() != expectedKind) {
                return answer(context, rejected(StandardErrorCode.INVALID_REQUEST, "SBX-KIND-MISMATCH",
                        "A " + context.kind() + " context was sent to the " + expectedKind + " operation"));
            }
            Optional<Fault> fault = Optional.ofNullable(faults.get(expectedKind)).map(Deque::poll);
            if (fault.equals(Optional.of(Fault.TRANSIENT))) {
                return answer(context, OperationOutcome.retryable(UNAVAILABLE_CODE,
                        "sandbox: service temporarily unavailable", Duration.ofSeconds(1)));
            }
            if (fault.equals(Optional.of(Fault.LOST))) {
                return answer(context, OperationOutcome.unknown("connection reset before the request was sent"
                        + " (sandbox)"));
            }
            List<Object> fingerprint = new ArrayList<>();
            fingerprint.add(context.caseId());
            fingerprint.addAll(parameters);
            OperationOutcome outcome;
            OperationRecord existing = records.get(key);
            if (existing != null && honoursIdempotencyKeys) {
                outcome = existing.kind == expectedKind && existing.parameters.equals(fingerprint)
                        ? existing.outcome
                        : keyReused(key, existing.kind);
            } else {
                OperationRecord record = new OperationRecord(key, expectedKind, List.copyOf(fingerprint),
                        clock.instant());
                Optional<OperationOutcome.Rejected> unverified = verificationRefusal(record, actingFor.get());
                outcome = unverified.isPresent() ? unverified.get() : operation.perform(record);
                record.outcome = outcome;
                boolean retryableRefusal = outcome instanceof OperationOutcome.Rejected rejected
                        && rejected.code().retryable();
                // Like a refusal before the endpoint runs at Stripe, a missing verification is not remembered:
                // once the merchant has answered a challenge, the same key goes through.
                if (!retryableRefusal && unverified.isEmpty()) {
                    // Replacing an older record only happens when keys are not honoured.
                    records.put(key, record);
                }
                if (!(outcome instanceof OperationOutcome.Rejected)) {
                    record.authorisations.forEach(challenge -> challenge.spend(key));
                    countEffect(record);
                }
            }
            if (fault.equals(Optional.of(Fault.TIMEOUT))) {
                answer(context, outcome);
                return OperationOutcome.unknown("read timed out after 30 s (sandbox)");
            }
            if (fault.equals(Optional.of(Fault.TIMEOUT_EXCEPTION))) {
                answer(context, outcome);
                throw new UncheckedIOException("sandbox: no answer to " + expectedKind,
                        new SocketTimeoutException("Read timed out after 30 s (sandbox)"));
            }
            return answer(context, outcome);
        }
    }

    /** Answers a lookup: the remembered outcome (current for a pending one), empty when never received. */
    Optional<OperationOutcome> lookup(SentOperation reference) {
        Objects.requireNonNull(reference, "reference");
        synchronized (lock) {
            completeDue();
            if (lookupFaults > 0) {
                lookupFaults--;
                throw unavailable("lookup");
            }
            OperationRecord record = records.get(reference.idempotencyKey());
            if (record == null) {
                LOG.debug("sandbox lookup {} {}: never received", reference.kind(), reference.idempotencyKey());
                return Optional.empty();
            }
            if (record.kind != reference.kind()) {
                return Optional.of(keyReused(reference.idempotencyKey(), record.kind));
            }
            if (record.pending()) {
                poll(record);
            }
            LOG.debug("sandbox lookup {} {}: {}", reference.kind(), reference.idempotencyKey(),
                    describe(record.outcome));
            return Optional.of(record.outcome);
        }
    }

    /** Runs a read under the lock, after due completions, failing when a read fault is queued. */
    <T> T read(String what, Supplier<T> reader) {
        synchronized (lock) {
            completeDue();
            if (readFaults > 0) {
                readFaults--;
                throw unavailable(what);
            }
            return reader.get();
        }
    }

    /**
     * Accepts an operation for review: it answers {@code Pending} and completes through the policy or a
     * test; under {@link CompletionPolicy#immediate()} it completes at once and answers {@code Done}.
     *
     * @param completion performs the deferred effect, given the reference, and returns the final outcome
     */
    OperationOutcome acceptForReview(OperationRecord record, String referencePrefix,
            Function<String, OperationOutcome> completion) {
        return review(record, nextReference(referencePrefix), completion);
    }

    /**
     * Accepts an application for review. It is registered at once, so that {@code readDecision} answers
     * empty while it is under review; a completion without a test's decision approves it.
     */
    OperationOutcome acceptApplication(OperationRecord record, UnbindApplication application) {
        record.application = true;
        String reference = nextReference("SBX-APP");
        ApplicationState state = new ApplicationState(application, record);
        applications.put(reference, state);
        return review(record, reference, ref -> {
            InstitutionDecision approval = InstitutionDecision.approved(ref, clock.instant());
            state.decision = Optional.of(approval);
            return decidedOutcome(ref, approval);
        });
    }

    private OperationOutcome review(OperationRecord record, String reference,
            Function<String, OperationOutcome> completion) {
        record.providerReference = Optional.of(reference);
        record.completion = Optional.of(completion);
        pendingByReference.put(reference, record);
        if (completionPolicy.mode() == CompletionPolicy.Mode.IMMEDIATE) {
            complete(record);
            return record.outcome;
        }
        return OperationOutcome.pending(reference, completionPolicy.pollAfter());
    }

    /** Reads a decision on behalf of the adapter: a poll, which may complete the review. */
    Optional<InstitutionDecision> pollDecision(String applicationReference) {
        ApplicationState state = applications.get(applicationReference);
        if (state == null) {
            throw new ProviderException(StandardErrorCode.INVALID_REQUEST, "SBX-APP-NOT-FOUND",
                    "No application " + applicationReference + " was submitted to the sandbox");
        }
        if (state.record.pending()) {
            poll(state.record);
        }
        return state.decision;
    }

    /** Answers {@code Done} with a fresh reference, remembered on the record. */
    OperationOutcome done(OperationRecord record, String referencePrefix) {
        return done(record, nextReference(referencePrefix), Map.of());
    }

    /** Answers {@code Done} with the given reference and attributes, the reference remembered on the record. */
    OperationOutcome done(OperationRecord record, String reference, Map<String, String> attributes) {
        record.providerReference = Optional.of(reference);
        return new OperationOutcome.Done(reference, attributes);
    }

    String nextReference(String prefix) {
        sequence++;
        return String.format("%s-%06d", prefix, sequence);
    }

    Instant now() {
        return clock.instant();
    }

    Optional<TerminalState> terminalState(String serialNumber) {
        return Optional.ofNullable(terminals.get(serialNumber));
    }

    /** The merchant unless unknown or deleted: a deleted merchant is unknown to the acquirer's APIs. */
    Optional<MerchantState> merchantState(String merchantNumber) {
        return Optional.ofNullable(liveMerchant(merchantNumber));
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
    private java.util.stream.Stream<TerminalState> terminalsRegisteredTo(String merchantNumber) {
        MerchantState merchant = merchants.get(merchantNumber);
        if (merchant == null) {
            return java.util.stream.Stream.empty();
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

    Optional<SandboxTestTransaction> testTransaction(String reference) {
        return Optional.ofNullable(testTransactions.get(reference));
    }

    void putTestTransaction(SandboxTestTransaction transaction) {
        testTransactions.put(transaction.reference(), transaction);
    }

    Money testTransactionLimit() {
        return testTransactionLimit;
    }

    Set<DocumentKind> requiredDocuments() {
        synchronized (lock) {
            return requiredDocuments;
        }
    }

    List<TerminalCandidate> catalog() {
        synchronized (lock) {
            return catalog;
        }
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
        return merchant.unsettledByTerminal.getOrDefault(serialNumber, UnsettledFunds.none(CNY));
    }

    List<FeeItem> feesOf(MerchantState merchant) {
        return merchant.fees.orElse(DEFAULT_FEES);
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
            String suffix = issued == null ? "" : "-" + nextReference("R");
            issued = new IssuedQuote("SBX-Q-" + sha256Prefix(contentKey) + suffix, now.plus(QUOTE_VALIDITY));
            quotesByContent.put(contentKey, issued);
        }
        return issued;
    }

    static OperationOutcome.Rejected rejected(StandardErrorCode code, String providerCode, String message) {
        return OperationOutcome.rejected(code, providerCode, message);
    }

    static OperationOutcome.Rejected terminalNotFound(String serialNumber) {
        return rejected(StandardErrorCode.TERMINAL_NOT_FOUND, "SBX-TERMINAL-NOT-FOUND",
                "Terminal " + serialNumber + " is unknown to the sandbox");
    }

    static OperationOutcome.Rejected merchantNotFound(String merchantNumber) {
        return rejected(StandardErrorCode.MERCHANT_NOT_FOUND, "SBX-MERCHANT-NOT-FOUND",
                "Merchant " + merchantNumber + " is unknown to the sandbox");
    }

    static ProviderException unavailable(String what) {
        return new ProviderException(StandardErrorCode.PROVIDER_UNAVAILABLE, UNAVAILABLE_CODE,
                "The sandbox cannot answer " + what + " now; try again later");
    }

    // ------------------------------------------------------------------------------------------------
    // Private helpers
    // ------------------------------------------------------------------------------------------------

    private void queueFault(OperationKind kind, Fault fault) {
        Objects.requireNonNull(kind, "kind");
        faults.computeIfAbsent(kind, ignored -> new ArrayDeque<>()).add(fault);
    }

    private void countEffect(OperationRecord record) {
        // Every accepted operation carries a reference; the fallback only guards an adapter bug.
        String reference = record.providerReference.orElse("SBX-UNREFERENCED");
        effects.add(new SandboxEffect(record.key, record.kind, reference, record.acceptedAt));
        effectsByKey.merge(record.key, 1, Integer::sum);
        effectsByKind.merge(record.kind, 1, Integer::sum);
    }

    private OperationOutcome answer(OperationContext context, OperationOutcome outcome) {
        // Only the kind, key and outcome type are logged: parameters may hold an account number.
        LOG.debug("sandbox {} key={} attempt={}: {}", context.kind(), context.idempotencyKey(), context.attempt(),
                describe(outcome));
        return outcome;
    }

    private static String describe(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Done done) {
            return "done " + done.providerReference();
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            return "pending " + pending.providerReference();
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return "rejected " + rejected.code().code() + " (" + rejected.providerCode() + ")";
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return "retryable failure " + failure.providerCode();
        }
        if (outcome instanceof OperationOutcome.NotApplicable) {
            return "not applicable";
        }
        return "unknown";
    }

    /**
     * Refuses a request when a merchant it acts for must verify its kind first and holds no verified,
     * unspent challenge of the demanded method; otherwise notes the challenges it will spend.
     */
    private Optional<OperationOutcome.Rejected> verificationRefusal(OperationRecord record,
            List<String> merchantNumbers) {
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
                return Optional.of(rejected(StandardErrorCode.NOT_AUTHORIZED, VERIFICATION_REQUIRED_CODE,
                        "Merchant " + merchantNumber + " must pass the " + demand.method() + " verification before "
                                + record.kind + ": issue a challenge, let the merchant answer it, then send the"
                                + " request again; a passed verification authorises one operation"));
            }
            record.authorisations.add(authorisation.get());
        }
        return Optional.empty();
    }

    private OperationOutcome.Rejected keyReused(IdempotencyKey key, OperationKind firstKind) {
        return rejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, "SBX-IDEMPOTENCY-REUSED",
                "Idempotency key " + key + " was first used for a " + firstKind
                        + " request with other parameters; use a new key for a new request");
    }

    private static OperationOutcome decidedOutcome(String applicationReference, InstitutionDecision decision) {
        return new OperationOutcome.Done(applicationReference, Map.of("decision", decision.outcome().name()));
    }

    private OperationRecord pendingRecord(String providerReference) {
        Objects.requireNonNull(providerReference, "providerReference");
        completeDue();
        OperationRecord record = pendingByReference.get(providerReference);
        if (record == null) {
            throw new IllegalArgumentException("Nothing is pending under " + providerReference
                    + "; pending: " + pendingByReference.keySet());
        }
        return record;
    }

    private void poll(OperationRecord record) {
        record.polls++;
        if (completionPolicy.mode() == CompletionPolicy.Mode.AFTER_POLLS && record.polls >= completionPolicy.polls()) {
            complete(record);
        }
    }

    /** Completes what the policy says is due; called on every entry so that no timer thread is needed. */
    private void completeDue() {
        if (pendingByReference.isEmpty()) {
            return;
        }
        CompletionPolicy.Mode mode = completionPolicy.mode();
        if (mode == CompletionPolicy.Mode.IMMEDIATE) {
            List.copyOf(pendingByReference.values()).forEach(this::complete);
        } else if (mode == CompletionPolicy.Mode.AFTER_DURATION) {
            Instant now = clock.instant();
            for (OperationRecord record : List.copyOf(pendingByReference.values())) {
                if (!now.isBefore(record.acceptedAt.plus(completionPolicy.delay()))) {
                    complete(record);
                }
            }
        }
    }

    private void complete(OperationRecord record) {
        String reference = record.providerReference.orElseThrow();
        Function<String, OperationOutcome> completion = record.completion.orElseThrow();
        finish(record, completion.apply(reference));
    }

    private void finish(OperationRecord record, OperationOutcome outcome) {
        record.completion = Optional.empty();
        record.outcome = outcome;
        record.providerReference.ifPresent(pendingByReference::remove);
        LOG.debug("sandbox {} key={} completed: {}", record.kind, record.key, describe(outcome));
    }

    private MerchantState liveMerchant(String merchantNumber) {
        MerchantState merchant = merchants.get(merchantNumber);
        return merchant == null || merchant.deleted ? null : merchant;
    }

    private MerchantState seededMerchant(String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        MerchantState merchant = merchants.get(merchantNumber);
        if (merchant == null) {
            throw new IllegalArgumentException("Merchant " + merchantNumber
                    + " is not in the sandbox; add it with addMerchant first");
        }
        return merchant;
    }

    private TerminalState seededTerminal(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        TerminalState terminal = terminals.get(serialNumber);
        if (terminal == null) {
            throw new IllegalArgumentException("Terminal " + serialNumber
                    + " is not in the sandbox; add it with addTerminal first");
        }
        return terminal;
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
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
