package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.store.InMemoryCaseStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every provider adapter must meet, as JUnit 5 tests. Extend it in your adapter's tests,
 * hand it a factory of providers and a handle on the fake backend they talk to, and run it with the rest
 * of your tests:
 *
 * <pre>{@code
 * class AcmeProviderContractTest extends PaymentProviderContract {
 *
 *     private final AcmeStub stub = AcmeStub.start();          // your HTTP stub of Acme's API
 *
 *     @Override
 *     protected PaymentProvider newProvider() {                // a fresh instance, as a new process builds it
 *         return new AcmeProvider(stub.baseUrl(), "sk_test_123");
 *     }
 *
 *     @Override
 *     protected BackendFaults backend() {                      // seeds, faults and effects, on the stub
 *         return stub;
 *     }
 *
 *     @Override
 *     protected Set<String> secrets() {                        // must never appear in anything the adapter lets out
 *         return Set.of("sk_test_123");
 *     }
 * }
 * }</pre>
 *
 * <p>The checks come in parts, by binding, and what the provider declares decides which run: the device
 * checks ({@code DeviceContract}) when {@link PaymentProvider#capabilities()} holds {@code DEVICE_UNBIND},
 * the account checks ({@code AccountContract}, names starting with {@code account} or {@code reading...Account})
 * with {@code ACCOUNT_UNBIND}, the merchant-info checks ({@code MerchantInfoContract}) with
 * {@code MERCHANT_INFO_UNBIND}, each sending an operation the provider lists in
 * {@link PaymentProvider#supportedOperations()}; the checks in this class (registration, construction,
 * secrets, undeclared operations) run for every provider. A check that does not apply is skipped with its
 * reason; the backend is asked only for what the declared bindings need ({@link BackendFaults#seedTerminal()},
 * {@link BackendFaults#seedMerchantWithAccount()}, {@link BackendFaults#seedMerchantInfo()}).
 *
 * <p>A provider registered by a {@link PaymentProviderFactory} that needs settings overrides {@link #settings()}
 * with what a host would give it. A provider whose API has no idempotency keys declares
 * {@link PaymentProvider#honoursIdempotencyKeys()} false, and the key checks then prove what the engine relies
 * on instead of de-duplication: lookup finds what an answer reported, and after a lost answer, lookup and the
 * resend the engine makes when it finds nothing end in exactly one effect.
 *
 * <p>JUnit creates one instance per check, so fields such as the stub above are fresh for every check.
 * A check that needs something the provider or the fake does not offer (a binding it does not declare, a
 * fault the stub cannot produce, no asynchronous answers) is skipped with a reason, never passed silently.
 * Every operation is sent with the context and lookup reference the engine would build from what it
 * persisted before the call.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public abstract class PaymentProviderContract extends MerchantInfoContract {

    /** The merchant and terminal an operation the provider left out is sent for; it must not reach the backend. */
    private static final String MERCHANT = "898000000000001";
    private static final String SERIAL = "KIT-NOT-APPLICABLE";

    /** The bindings whose operations a provider may leave out (peripherals aside: they need a peripheral). */
    private static final Set<ProviderCapability> BINDINGS = Set.of(ProviderCapability.DEVICE_UNBIND,
            ProviderCapability.ACCOUNT_UNBIND, ProviderCapability.MERCHANT_INFO_UNBIND);
    private static final Set<OperationKind> DEVICE_OPERATIONS = ProviderCapability.DEVICE_UNBIND.operations();

    /**
     * No declared secret, card, account, identity or mobile number in an exception, a toString() or an export:
     * the provider and its adapters, the device reads, export and probe, a forged notification's refusal.
     */
    @Test
    public void noSecretInExceptionsToStringOrExport() {
        SecretScan scan = new SecretScan(secrets());
        PaymentProvider provider = newProvider();
        scan.scan("provider.toString()", provider.toString());
        provider.deviceAdapter().ifPresent(a -> scan.scan("deviceAdapter().toString()", a.toString()));
        provider.accountAdapter().ifPresent(a -> scan.scan("accountAdapter().toString()", a.toString()));
        provider.merchantInfoAdapter().ifPresent(a -> scan.scan("merchantInfoAdapter().toString()", a.toString()));
        provider.applicationAdapter().ifPresent(a -> scan.scan("applicationAdapter().toString()", a.toString()));
        provider.callbackParser().ifPresent(a -> scan.scan("callbackParser().toString()", a.toString()));
        // The device adapter's reads and probe, when it declares device binding; the account and merchant-info
        // calls have checks of their own.
        scanDevice(scan, provider);
        // A forged notification is what an attacker posts: what verify throws goes to the application's logs.
        provider.callbackParser().filter(CallbackParser::verifiesNativeNotifications).ifPresent(parser ->
                scanCall(scan, "callbackParser().verify(a forged notification)",
                        () -> parser.verify(forgedNotification(provider.id()))));
        List<String> findings = scan.findings();
        assertTrue(findings.isEmpty(), "secrets let out:\n" + String.join("\n", findings));
    }

    /** A notification with made-up signatures in the headers the known schemes use, signed by nobody. */
    private static RawCallback forgedNotification(String providerId) {
        return new RawCallback("/webhooks/" + providerId, Map.of(
                "Content-Type", List.of("application/json"),
                "X-Signature", List.of("c2lnbmVkIGJ5IG5vYm9keQ=="),
                "Stripe-Signature", List.of("t=1700000000,v1=00"),
                "Wechatpay-Signature", List.of("c2lnbmVkIGJ5IG5vYm9keQ=="),
                "Wechatpay-Timestamp", List.of("1700000000"),
                "Wechatpay-Nonce", List.of("forged"),
                "Wechatpay-Serial", List.of("0")),
                ("{\"id\":\"evt_forged\",\"type\":\"terminal.updated\",\"reference\":\"forged\","
                        + "\"hmacSignature\":\"c2lnbmVkIGJ5IG5vYm9keQ==\"}").getBytes(StandardCharsets.UTF_8),
                Instant.now());
    }

    /**
     * ServiceLoader finds exactly one registration under the id: a provider of the class under test, or a
     * factory of that id (SPI 2.0) that creates, from {@link #settings()}, a provider of that class and id.
     * The engine accepts what is registered: an {@link Unbinder} is built with it, which runs the version
     * handshake on the provider and on the factory.
     */
    @Test
    public void theProviderIsRegisteredForServiceLoaderUnderItsId() {
        PaymentProvider expected = newProvider();
        String id = expected.id();
        assertEquals(id, id.toLowerCase(Locale.ROOT), "a provider id is lower case");
        List<PaymentProvider> providers = new ArrayList<>();
        List<PaymentProviderFactory> factories = new ArrayList<>();
        List<String> found = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (ServiceLoader.Provider<PaymentProvider> candidate
                : ServiceLoader.load(PaymentProvider.class, serviceClassLoader()).stream().toList()) {
            try {
                PaymentProvider loaded = candidate.get();
                if (id.equals(loaded.id())) {
                    providers.add(loaded);
                    found.add("provider " + loaded.getClass().getName());
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                broken.add(candidate.type().getName() + ": " + e);
            }
        }
        for (ServiceLoader.Provider<PaymentProviderFactory> candidate
                : ServiceLoader.load(PaymentProviderFactory.class, serviceClassLoader()).stream().toList()) {
            try {
                PaymentProviderFactory factory = candidate.get();
                if (id.equals(factory.id())) {
                    factories.add(factory);
                    found.add("factory " + factory.getClass().getName());
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                broken.add(candidate.type().getName() + ": " + e);
            }
        }
        assertEquals(1, found.size(), "ServiceLoader must find exactly one provider or provider factory with id "
                + id + " (register it in META-INF/services/io.posunbind.spi.PaymentProviderFactory, or"
                + " io.posunbind.spi.PaymentProvider, and with provides in module-info); found " + found
                + (broken.isEmpty() ? "" : ", could not load " + broken));
        UnbinderBuilder engine = Unbinder.builder().store(new InMemoryCaseStore()).withoutDiscovery();
        if (factories.isEmpty()) {
            assertEquals(expected.getClass().getName(), providers.get(0).getClass().getName(),
                    "the provider registered under id " + id + " is another class");
            engine.provider(providers.get(0));
        } else {
            PaymentProviderFactory factory = factories.get(0);
            try (PaymentProvider created = create(factory)) {
                assertEquals(expected.getClass().getName(), created.getClass().getName(),
                        "the factory registered under id " + id + " creates another class");
                assertEquals(id, created.id(), "the factory registered under id " + id
                        + " creates a provider with another id");
            }
            engine.providerFactory(factory).providerSettings(id, settings());
        }
        try (Unbinder unbinder = engine.build()) {
            assertEquals(List.of(id), unbinder.providerIds(), "the engine must offer the registered provider");
        } catch (PosUnbindException e) {
            fail("the engine refuses what is registered under id " + id + ": " + e.getMessage(), e);
        } finally {
            providers.forEach(PaymentProvider::close); // loaded here; given to the engine, they stay ours
        }
    }

    /** The provider the factory creates from {@link #settings()}, as the engine creates it. */
    private PaymentProvider create(PaymentProviderFactory factory) {
        PaymentProvider created;
        try {
            created = factory.create(ProviderSettings.of(settings()));
        } catch (InvalidSettingException e) {
            return fail("the factory " + factory.getClass().getName() + " cannot create its provider from"
                    + " settings() (" + e.getMessage() + "); override settings() with what a host would give it", e);
        }
        assertNotNull(created, "the factory " + factory.getClass().getName() + " created null");
        return created;
    }

    /**
     * Creating a provider, directly or through its registered factory with {@link #settings()}, and asking
     * what it supports and declares (its {@link PaymentProvider#callLimits() call limits} included, which must
     * be a value whose limits per operation name only operations the provider performs) sends nothing to the
     * backend.
     */
    @Test
    public void constructionDoesNoNetworkWork() {
        int before = backend().requestsReceived();
        String id = null;
        for (int i = 0; i < 3; i++) {
            PaymentProvider provider = newProvider();
            id = provider.id();
            askWhatTheEngineReadsAtLoad(provider);
        }
        assertEquals(before, backend().requestsReceived(),
                "creating a provider and asking what it supports must not call the backend: the engine loads"
                        + " every provider at start, also when the backend is down");
        for (PaymentProviderFactory factory : registeredFactories(id)) {
            try (PaymentProvider created = factory.create(ProviderSettings.of(settings()))) {
                if (created != null) {
                    askWhatTheEngineReadsAtLoad(created);
                }
            } catch (InvalidSettingException e) {
                // theProviderIsRegisteredForServiceLoaderUnderItsId reports a factory that refuses settings().
            }
        }
        assertEquals(before, backend().requestsReceived(), "the factory registered under id " + id + " called the"
                + " backend while it created the provider: the engine creates every provider at start, also when"
                + " the backend is down; open connections lazily, at the first call");
    }

    /** What the engine reads of a provider when it loads it and plans a case. */
    private static void askWhatTheEngineReadsAtLoad(PaymentProvider provider) {
        provider.id();
        provider.requestedSpiVersion();
        provider.displayName();
        provider.capabilities();
        provider.terminalSerialPattern();
        provider.honoursIdempotencyKeys();
        provider.idempotencyKeyRetention();
        // The engine sizes the provider's call budget from this at load: a value, never null, and no network.
        ProviderLimits limits;
        try {
            limits = provider.callLimits();
        } catch (IllegalArgumentException e) {
            throw new AssertionError("callLimits() could not build its limits: " + e.getMessage() + "; a limit"
                    + " allows at least one call (leave an operation without a limit of its own to leave it"
                    + " unlimited)", e);
        }
        assertNotNull(limits, "callLimits() returned null: return ProviderLimits.unlimited() when"
                + " the provider's API publishes no limit");
        Set<OperationKind> performed = provider.supportedOperations();
        for (OperationKind limited : limits.operationLimits().keySet()) {
            assertTrue(performed.contains(limited), "callLimits() limits " + limited + ", an operation the provider"
                    + " does not perform (it performs " + performed + "): name the operation whose call reaches the"
                    + " limited endpoint");
        }
        provider.institutionApproval();
        provider.documentChecklist();
    }

    /** The factories {@link ServiceLoader} finds under the id; a factory that cannot be loaded is left out. */
    private List<PaymentProviderFactory> registeredFactories(String id) {
        List<PaymentProviderFactory> factories = new ArrayList<>();
        for (ServiceLoader.Provider<PaymentProviderFactory> candidate
                : ServiceLoader.load(PaymentProviderFactory.class, serviceClassLoader()).stream().toList()) {
            try {
                PaymentProviderFactory factory = candidate.get();
                if (factory.id().equals(id)) {
                    factories.add(factory);
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                // theProviderIsRegisteredForServiceLoaderUnderItsId reports what cannot be loaded.
            }
        }
        return factories;
    }

    /**
     * An operation of a returned adapter that the provider leaves out of {@link PaymentProvider#supportedOperations()}
     * is answered NotApplicable, with a reason free of secrets and clear numbers, rather than performed: the
     * engine plans without it, and an operator reads the reason when a case asks for it anyway.
     */
    @Test
    public void operationsLeftOutOfSupportedOperationsAnswerNotApplicableWithAReason() {
        PaymentProvider provider = newProvider();
        List<OperationKind> leftOut = new ArrayList<>();
        provider.capabilities().stream().filter(BINDINGS::contains)
                .forEach(capability -> capability.operations().stream()
                        .filter(kind -> kind != OperationKind.UNBIND_PERIPHERAL)
                        .filter(kind -> !provider.supportedOperations().contains(kind)).forEach(leftOut::add));
        assumeTrue(!leftOut.isEmpty(), "the provider declares every operation of the bindings it declares"
                + " (supportedOperations()): none to answer NotApplicable");
        SecretScan scan = new SecretScan(secrets());
        List<String> problems = new ArrayList<>();
        for (OperationKind kind : leftOut) {
            OperationContext context = OperationContext.of(SentOperation.of(
                    new IdempotencyKey("testkit-na-" + kind.name().toLowerCase(Locale.ROOT)), kind,
                    DEVICE_OPERATIONS.contains(kind) ? OperationTarget.terminal(MERCHANT, SERIAL)
                            : OperationTarget.merchant(MERCHANT), Map.of(), Instant.now()), "testkit-case-na");
            OperationOutcome outcome;
            try {
                outcome = send(provider, kind, context);
            } catch (RuntimeException e) {
                problems.add(kind + " threw " + e + "; answer NotApplicable with the reason");
                continue;
            }
            if (outcome instanceof OperationOutcome.NotApplicable notApplicable) {
                scan.scan(kind + " answered NotApplicable", notApplicable.reason());
            } else {
                problems.add(kind + " is left out of supportedOperations() but was answered " + outcome
                        + "; answer NotApplicable with the reason");
            }
        }
        problems.addAll(scan.findings());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static OperationOutcome send(PaymentProvider provider, OperationKind kind, OperationContext context) {
        return switch (kind) {
            case DISABLE_TERMINAL -> provider.deviceAdapter().orElseThrow().disableTerminal(context, SERIAL);
            case UNBIND_TERMINAL -> provider.deviceAdapter().orElseThrow().unbindTerminal(context, SERIAL);
            case DECOMMISSION_TERMINAL -> provider.deviceAdapter().orElseThrow().decommissionTerminal(context, SERIAL);
            case UNBIND_SETTLEMENT_ACCOUNT -> provider.accountAdapter().orElseThrow().unbindSettlementAccount(context,
                    MERCHANT, new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT, AccountNumber.of("0000"),
                            "test kit", "test kit"));
            case MODIFY_MERCHANT_INFO -> provider.merchantInfoAdapter().orElseThrow().detachTerminal(context, MERCHANT,
                    SERIAL);
            case DELETE_MERCHANT_INFO -> provider.merchantInfoAdapter().orElseThrow().deleteMerchantInfo(context,
                    MERCHANT);
            default -> throw new IllegalArgumentException(kind.name());
        };
    }
}
