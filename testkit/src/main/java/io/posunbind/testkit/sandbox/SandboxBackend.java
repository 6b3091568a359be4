package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.TerminalCandidate;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UsageRecord;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;

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
 *       {@link #setFees}; or take {@link SandboxDemoData#seed}.</li>
 *   <li><b>Steer</b> it: complete asynchronous reviews through {@link #reviews()} or a
 *       {@link CompletionPolicy}, inject faults through {@link #faults()}, demand verifications
 *       through {@link #verifications()} and documents ({@link #requireDocuments}).</li>
 *   <li><b>Inspect</b> it through {@link #terminals()}, {@link #merchants()}, {@link #settlement()} (accounts
 *       and unsettled funds), {@link #requests()} (requests and effects per key) and
 *       {@link #verifications()} (the codes sent to merchants).</li>
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
 * <p>How it treats requests (idempotency, and the guards it refuses requests with, as a real acquirer
 * would) is described in the {@linkplain io.posunbind.testkit.sandbox package documentation}.
 *
 * <p>Seeding methods and handles throw {@link IllegalArgumentException} for a merchant or terminal
 * that was never added: that is a mistake in the test, not an answer of the acquirer.
 *
 * <h2>Parts</h2>
 * This class seeds the world and hands out one small handle per role ({@link SandboxTerminals},
 * {@link SandboxMerchants}, {@link SandboxSettlement}, {@link SandboxVerifications}, {@link SandboxReviews},
 * {@link SandboxFaults}, {@link SandboxRequests}); its adapters use {@link AdapterGateway}. State lives in
 * package-private parts: {@link WorldState}, {@link FaultPlan}, {@link IdempotencyLedger}, {@link ReviewDesk}.
 *
 * <h2>Thread-safety</h2>
 * Thread-safe: one lock guards all parts, so every request, read and test call sees and leaves a
 * consistent backend. Nothing sleeps; time comes from the injected {@link Clock}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxBackend {

    /** The sandbox acquirer works in yuan only. */
    static final Currency CNY = Currency.getInstance("CNY");
    /** The acquirer's business day, which decides T+1 settlement. */
    static final ZoneId ACQUIRER_ZONE = ZoneId.of("Asia/Shanghai");
    /** The code for an operation not yet verified; see {@link SandboxVerifications#requireVerification}. */
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

    private static final Object SHARED_LOCK = new Object();
    private static SandboxBackend shared;

    private final Object lock = new Object();
    private final Clock clock;
    private final ReferenceNumbers references;
    private final WorldState world;
    private final FaultPlan faults = new FaultPlan();
    private final IdempotencyLedger ledger;
    private final ReviewDesk desk;
    /** Where a persistent backend writes its state; empty for one in memory. */
    private final Optional<StateFile> stateFile;
    private final SandboxReviews reviews;
    private final SandboxFaults faultSteering;
    private final SandboxRequests requests;
    private final SandboxTerminals terminals;
    private final SandboxMerchants merchants;
    private final SandboxSettlement settlement;
    private final SandboxVerifications verifications;
    private final AdapterGateway gateway;

    /** An empty backend on the system clock, in the acquirer's zone (Asia/Shanghai). */
    public SandboxBackend() {
        this(Clock.system(ACQUIRER_ZONE));
    }

    /** An empty backend on the given clock; use a {@link SandboxClock} to let review time pass in tests. */
    public SandboxBackend(Clock clock) {
        this(clock, Optional.empty());
    }

    private SandboxBackend(Clock clock, Optional<StateFile> stateFile) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.references = new ReferenceNumbers(0);
        this.world = new WorldState(clock, references);
        this.desk = new ReviewDesk(clock);
        this.ledger = new IdempotencyLedger(clock, world, faults, desk);
        this.stateFile = stateFile;
        this.reviews = new SandboxReviews(this, desk, clock);
        this.faultSteering = new SandboxFaults(this, faults);
        this.requests = new SandboxRequests(this, ledger);
        this.terminals = new SandboxTerminals(this, world);
        this.merchants = new SandboxMerchants(this, world);
        this.settlement = new SandboxSettlement(this, world, desk);
        this.verifications = new SandboxVerifications(this, world);
        this.gateway = new AdapterGateway(lock, clock, references, world, faults, ledger, desk, this::changed);
        stateFile.ifPresent(file -> references.continueAfter(file.readInto(world, ledger)));
    }

    /**
     * A backend whose state survives a restart: after every change it writes {@code sandbox-state.json} in
     * {@code folder} atomically, and a backend started later there reads it back: merchants, accounts and
     * terminals, every request under its key (a lookup finds it, the key is not performed twice), the
     * effects, and the reference numbers, which never repeat. An empty folder gives an empty backend. Not
     * kept: injected faults, verification demands and challenges, and the review of an operation still
     * pending (its lookup keeps answering {@code Pending}). Two backends must not share a folder at once.
     *
     * @param folder an existing folder, for example a test's {@code @TempDir}
     * @throws UncheckedIOException when the folder's state cannot be read
     */
    public static SandboxBackend persistentIn(Path folder, Clock clock) {
        Objects.requireNonNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("The sandbox keeps its state in an existing folder, not " + folder);
        }
        return new SandboxBackend(clock, Optional.of(new StateFile(folder)));
    }

    /** {@link #persistentIn(Path, Clock)} on the system clock, in the acquirer's zone. */
    public static SandboxBackend persistentIn(Path folder) {
        return persistentIn(folder, Clock.system(ACQUIRER_ZONE));
    }

    /**
     * The process-wide backend behind every {@link SandboxProvider} that {@link ServiceLoader} creates,
     * seeded with {@link SandboxDemoData} on the system clock, so a program that lets the engine discover
     * the sandbox can still seed and steer it. Tests that need isolation create their own backend.
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

    /** Replaces the {@link #shared()} backend with a freshly seeded one; providers loaded afterwards use it. */
    public static SandboxBackend resetShared() {
        synchronized (SHARED_LOCK) {
            shared = SandboxDemoData.seed(new SandboxBackend());
            return shared;
        }
    }

    /** The clock the backend reads time from. */
    public Clock clock() {
        return clock;
    }

    // Seeding the world.

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
        return change(() -> world.addMerchant(new MerchantState(merchantNumber, name, unifiedSocialCreditCode,
                legalRepresentativeName)));
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
        TerminalState terminal = new TerminalState(serialNumber, model, status, storeId);
        terminal.setUp = mustBeBound;
        return change(() -> world.addTerminal(terminal, bound));
    }

    /**
     * Binds an existing terminal to one more merchant, which makes it an illegal 一机多户 terminal: a
     * state the engine must detect, since PBOC 259号 forbids it.
     */
    public SandboxBackend bindTerminalToMerchant(String serialNumber, String merchantNumber) {
        return change(() -> world.bindTerminalToMerchant(serialNumber, merchantNumber));
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
        return change(() -> world.addPeripheral(serialNumber, peripheral));
    }

    /** Binds a settlement account (结算账户) to a merchant, replacing the one bound before. */
    public SandboxBackend bindAccount(String merchantNumber, SettlementAccount account) {
        Objects.requireNonNull(account, "account");
        return change(() -> world.seededMerchant(merchantNumber).account = Optional.of(account));
    }

    /** Appends usage records (交易明细) to a terminal's history. */
    public SandboxBackend addUsageRecords(String serialNumber, List<UsageRecord> usageRecords) {
        List<UsageRecord> copy = List.copyOf(usageRecords);
        return change(() -> world.seededTerminal(serialNumber).usageRecords.addAll(copy));
    }

    /** Sets one of a terminal's settings, as exported for the backup. */
    public SandboxBackend putSetting(String serialNumber, String key, String value) {
        requireText(key, "key");
        Objects.requireNonNull(value, "value");
        return change(() -> world.seededTerminal(serialNumber).settings.put(key, value));
    }

    /** Sets the fee schedule quoted for unbinding this merchant's terminals; see {@link #DEFAULT_FEES}. */
    public SandboxBackend setFees(String merchantNumber, List<FeeItem> items) {
        List<FeeItem> copy = List.copyOf(items);
        return change(() -> world.seededMerchant(merchantNumber).fees = Optional.of(copy));
    }

    /** Replaces the replacement catalog offered to every merchant. */
    public SandboxBackend setCatalog(List<TerminalCandidate> candidates) {
        List<TerminalCandidate> copy = List.copyOf(candidates);
        return change(() -> world.catalog = copy);
    }

    /**
     * Sets the documents the sandbox acquirer requires on top of the engine's own checklist, for every
     * case, replacing those set before; {@link SandboxProvider#additionalDocuments} reports them. None by
     * default; call with no kinds to require none again.
     */
    public SandboxBackend requireDocuments(DocumentKind... kinds) {
        Set<DocumentKind> copy = Set.copyOf(List.of(Objects.requireNonNull(kinds, "kinds")));
        return change(() -> world.requiredDocuments = copy);
    }

    /** Sets the largest amount a test transaction may have (default {@link #DEFAULT_TEST_TRANSACTION_LIMIT}). */
    public SandboxBackend setTestTransactionLimit(Money limit) {
        Objects.requireNonNull(limit, "limit");
        return change(() -> world.testTransactionLimit = limit);
    }

    /** Sets when asynchronous operations complete; the default is {@link CompletionPolicy#manual()}. */
    public SandboxBackend setCompletionPolicy(CompletionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return change(() -> desk.setPolicy(policy));
    }

    // The roles tests steer and inspect apart, each a handle on the same state under the same lock.

    /** The terminals as the terminal-management backend shows them, with their history and settings. */
    public SandboxTerminals terminals() {
        return terminals;
    }

    /** The merchants' info as the institution keeps it. */
    public SandboxMerchants merchants() {
        return merchants;
    }

    /** The review desk: complete or refuse pending operations, decide applications. */
    public SandboxReviews reviews() {
        return reviews;
    }

    /** The failures injected into the next requests, reads and lookups. */
    public SandboxFaults faults() {
        return faultSteering;
    }

    /** The merchants' phones, the verifications operations wait for, and the codes sent. */
    public SandboxVerifications verifications() {
        return verifications;
    }

    /** The merchants' settlement: unsettled funds, and the limit on settlement-account changes. */
    public SandboxSettlement settlement() {
        return settlement;
    }

    /** The requests received per idempotency key, and the effects they had. */
    public SandboxRequests requests() {
        return requests;
    }

    /** The side of the backend its adapters use; see {@link AdapterGateway}. */
    AdapterGateway gateway() {
        return gateway;
    }

    // How the handles reach the state: always under the backend's single lock.

    /** Applies a test's change to the world, the ledger or the review desk under the lock. */
    SandboxBackend change(Runnable change) {
        synchronized (lock) {
            change.run();
            changed();
            return this;
        }
    }

    /** Applies a test's steering of the fault plan, which is not state a restart keeps. */
    SandboxBackend steer(Runnable steering) {
        synchronized (lock) {
            steering.run();
            return this;
        }
    }

    /** Reads state for a test under the lock. */
    <T> T inspect(Supplier<T> inspection) {
        synchronized (lock) {
            return inspection.get();
        }
    }

    /** Called under the lock after every change of state. */
    private void changed() {
        stateFile.ifPresent(file -> file.write(references.last(), world, ledger));
    }

    static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
