package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.DocumentKind;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A payment provider with id {@code "sandbox"} that behaves like a real acquirer: it keeps its own state in
 * a {@link SandboxBackend}, honours idempotency keys, guards terminal and merchant states with provider
 * codes, reviews account unbinds and applications asynchronously, quotes fees, offers replacement
 * terminals, binds unbound terminals to other merchants (换绑), challenges merchants before the operations a
 * test guards (SMS code, own-account deposit), limits settlement-account changes, asks for the documents
 * a test requires, and fails on request. It supports every capability of the SPI.
 *
 * <p>Three ways to get one:
 * <ul>
 *   <li>{@link java.util.ServiceLoader}, through {@link SandboxProviderFactory} (or
 *       {@code new SandboxProvider()}): backed by the process-wide
 *       {@link SandboxBackend#shared()} backend, which starts with {@link SandboxDemoData}. Reach it with
 *       {@link #backend()} (cast the loaded provider) or {@link SandboxBackend#shared()}.</li>
 *   <li>{@link #withDemoData()} / {@link #withDemoData(Clock)}: a fresh backend with the demo data.</li>
 *   <li>{@code new SandboxProvider(backend)}: a backend the caller seeded.</li>
 * </ul>
 *
 * <pre>{@code
 * SandboxProvider sandbox = SandboxProvider.withDemoData(SandboxClock.at(Instant.parse("2025-03-03T01:00:00Z")));
 * sandbox.backend().setCompletionPolicy(CompletionPolicy.immediate()); // benchmarks: no pending phase
 * sandbox.backend().faults().failNextTransiently(OperationKind.DISABLE_TERMINAL, 2);
 * }</pre>
 *
 * <p>Thread-safe: the adapters share the backend, which serialises all access.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxProvider implements PaymentProvider {

    /** The provider id. */
    public static final String ID = "sandbox";

    /**
     * The sandbox's terminal serial numbers: 2 to 32 upper-case letters, digits and hyphens, starting
     * with a letter or digit. Loose on purpose, because tests seed serials of many makers' shapes
     * ({@code 0820000001}, {@code SN00000001}, {@code T7}); a real acquirer publishes a tighter one.
     */
    private static final Pattern TERMINAL_SERIAL = Pattern.compile("[0-9A-Z][0-9A-Z-]{1,31}");

    private final SandboxBackend backend;
    private final SandboxDeviceAdapter devices;
    private final SandboxAccountAdapter accounts;
    private final SandboxMerchantInfoAdapter merchantInfo;
    private final SandboxApplicationAdapter applications;
    private final SandboxFeeQuoteAdapter fees;
    private final SandboxTerminalSetupAdapter terminalSetup;
    private final SandboxTransferAdapter transfers;
    private final SandboxVerificationAdapter verification;
    private final ReplacementCatalog catalog;

    /** The provider {@link java.util.ServiceLoader} creates: backed by {@link SandboxBackend#shared()}. */
    public SandboxProvider() {
        this(SandboxBackend.shared());
    }

    /** A provider on the given backend. */
    public SandboxProvider(SandboxBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.devices = new SandboxDeviceAdapter(backend);
        this.accounts = new SandboxAccountAdapter(backend);
        this.merchantInfo = new SandboxMerchantInfoAdapter(backend);
        this.applications = new SandboxApplicationAdapter(backend);
        this.fees = new SandboxFeeQuoteAdapter(backend);
        this.terminalSetup = new SandboxTerminalSetupAdapter(backend);
        this.transfers = new SandboxTransferAdapter(backend);
        this.verification = new SandboxVerificationAdapter(backend);
        // Every merchant is offered the same models; the catalog is read under the backend's lock.
        this.catalog = merchantNumber -> {
            Objects.requireNonNull(merchantNumber, "merchantNumber");
            return backend.gateway().catalog();
        };
    }

    /** A provider on a fresh backend seeded with {@link SandboxDemoData}, on the system clock. */
    public static SandboxProvider withDemoData() {
        return new SandboxProvider(SandboxDemoData.seed(new SandboxBackend()));
    }

    /** A provider on a fresh backend seeded with {@link SandboxDemoData}, on the given clock. */
    public static SandboxProvider withDemoData(Clock clock) {
        return new SandboxProvider(SandboxDemoData.seed(new SandboxBackend(clock)));
    }

    /** The backend, to seed, steer and inspect the sandbox. */
    public SandboxBackend backend() {
        return backend;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String displayName() {
        return "Sandbox Acquiring (test)";
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.of(devices);
    }

    @Override
    public Optional<AccountUnbindAdapter> accountAdapter() {
        return Optional.of(accounts);
    }

    @Override
    public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
        return Optional.of(merchantInfo);
    }

    @Override
    public Optional<InstitutionApplicationAdapter> applicationAdapter() {
        return Optional.of(applications);
    }

    @Override
    public Optional<FeeQuoteAdapter> feeQuoteAdapter() {
        return Optional.of(fees);
    }

    @Override
    public Optional<TerminalSetupAdapter> terminalSetupAdapter() {
        return Optional.of(terminalSetup);
    }

    @Override
    public Optional<ReplacementCatalog> replacementCatalog() {
        return Optional.of(catalog);
    }

    @Override
    public Optional<TerminalTransferAdapter> transferAdapter() {
        return Optional.of(transfers);
    }

    @Override
    public Optional<VerificationAdapter> verificationAdapter() {
        return Optional.of(verification);
    }

    /** The documents set with {@link SandboxBackend#requireDocuments}, whatever the case; none by default. */
    @Override
    public Set<DocumentKind> additionalDocuments(String reason, Set<String> bindings, boolean withReplacement) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(bindings, "bindings");
        return backend.gateway().requiredDocuments();
    }

    /** 2 to 32 upper-case letters, digits and hyphens, starting with a letter or digit. */
    @Override
    public Optional<Pattern> terminalSerialPattern() {
        return Optional.of(TERMINAL_SERIAL);
    }

    /** Whether the backend deduplicates by key; see {@link SandboxRequests#setHonoursIdempotencyKeys}. */
    @Override
    public boolean honoursIdempotencyKeys() {
        return backend.requests().honoursIdempotencyKeys();
    }

    @Override
    public String toString() {
        return "SandboxProvider[" + ID + "]";
    }

    /** The sandbox's notification bodies: decisions and finished operations. */
    @Override
    public Optional<CallbackParser> callbackParser() {
        return Optional.of(new SandboxCallbacks());
    }
}
