package io.posunbind.spi;

import io.posunbind.spi.model.DocumentChecklist;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A payment provider's entry point, found with {@link java.util.ServiceLoader}. Register the
 * implementation both ways: {@code provides io.posunbind.spi.PaymentProvider with ...} in
 * {@code module-info.java} and a {@code META-INF/services/io.posunbind.spi.PaymentProvider} file.
 *
 * <p>A provider supports any subset of the bindings: it returns the adapters it has and
 * {@link Optional#empty()} for the rest; the engine plans only what is supported and reports a clear
 * error when a case asks for more. New optional capabilities arrive as {@code default} methods.
 *
 * <pre>{@code
 * public final class AcmeProvider implements PaymentProvider {
 *     public String id() { return "acme"; }
 *     public String requestedSpiVersion() { return SpiVersion.CURRENT; }
 *     public String displayName() { return "Acme Acquiring"; }
 *     public Optional<DeviceUnbindAdapter> deviceAdapter() { return Optional.of(new AcmeDevices()); }
 * }
 * }</pre>
 *
 * <p>A provider that needs settings (a base URL, credentials) is created by a
 * {@link PaymentProviderFactory}; one found directly by {@code ServiceLoader} needs a public no-argument
 * constructor. Either way it must be thread-safe and should do no network work until an adapter is first
 * used. A provider that opens resources (an HTTP client's threads, a connection pool) releases them in
 * {@link #close()}, which the engine calls when it closes for every provider it created.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface PaymentProvider extends AutoCloseable {

    /** A stable id, lower case, used to select the provider and stored with every case: {@code "acme"}. */
    String id();

    /** A name for people: {@code "Acme Acquiring"}. */
    String displayName();

    /**
     * The SPI version this provider was built against: return {@link SpiVersion#CURRENT}. It is a
     * compile-time constant, so its value is copied into your class file and stays what you built
     * against whatever posunbind-spi jar runs next to you; the engine refuses a provider of another major
     * version or of a newer minor version than its own. Since SPI 2.0 (it replaces {@code spiVersion()},
     * a default method that always answered the engine's own version).
     */
    String requestedSpiVersion();

    /** The device-binding adapter, if the provider supports device unbinding. */
    default Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.empty();
    }

    /** The account-binding adapter, if the provider supports settlement-account unbinding. */
    default Optional<AccountUnbindAdapter> accountAdapter() {
        return Optional.empty();
    }

    /** The merchant-info adapter, if the provider supports merchant-info unbinding. */
    default Optional<MerchantInfoAdapter> merchantInfoAdapter() {
        return Optional.empty();
    }

    /** The institution-application adapter, if the provider submits applications itself. */
    default Optional<InstitutionApplicationAdapter> applicationAdapter() {
        return Optional.empty();
    }

    /** The fee-quote adapter, if the provider charges for unbinding. */
    default Optional<FeeQuoteAdapter> feeQuoteAdapter() {
        return Optional.empty();
    }

    /** The terminal set-up adapter, if the provider can set up replacement terminals. */
    default Optional<TerminalSetupAdapter> terminalSetupAdapter() {
        return Optional.empty();
    }

    /** The replacement catalog, if the provider offers replacement terminals. */
    default Optional<ReplacementCatalog> replacementCatalog() {
        return Optional.empty();
    }

    /** The transfer adapter, if the provider can bind a terminal to another merchant. Since SPI 1.1. */
    default Optional<TerminalTransferAdapter> transferAdapter() {
        return Optional.empty();
    }

    /** The verification adapter, if the provider challenges merchants before some operations. Since SPI 1.1. */
    default Optional<VerificationAdapter> verificationAdapter() {
        return Optional.empty();
    }

    /** The parser for this provider's callbacks (decisions, finished operations), if it sends any. Since SPI 1.1. */
    default Optional<CallbackParser> callbackParser() {
        return Optional.empty();
    }

    /**
     * Documents this provider requires on top of the engine's own checklist, for example the legal
     * representative's identity for every account change. Since SPI 1.1.
     *
     * @param reason          the unbind reason's name, for example {@code "CLOSURE"}
     * @param bindings        the bindings to undo: {@code "DEVICE"}, {@code "ACCOUNT"}, {@code "MERCHANT_INFO"}
     * @param withReplacement whether a replacement terminal is set up
     * @return the extra kinds, empty by default
     */
    default Set<io.posunbind.spi.model.DocumentKind> additionalDocuments(String reason, Set<String> bindings,
            boolean withReplacement) {
        return Set.of();
    }

    /**
     * The shape of this provider's terminal serial numbers, checked before anything is sent; empty
     * accepts the engine's default shape. Since SPI 1.1.
     */
    default Optional<java.util.regex.Pattern> terminalSerialPattern() {
        return Optional.empty();
    }

    /**
     * Whether the provider performs an operation once however often it receives the same idempotency key.
     * When false the engine always reconciles with {@link OperationLookup#lookup} before resending.
     */
    default boolean honoursIdempotencyKeys() {
        return true;
    }

    /**
     * Releases what the provider opened (threads, connections, files). The engine calls it once, when it
     * closes, for every provider it created by a factory or by discovery; a provider handed to the
     * builder as an instance belongs to the caller, who closes it. Does nothing by default; must not
     * throw. Since SPI 2.0.
     */
    @Override
    default void close() {
    }

    /**
     * How long the provider remembers an idempotency key, if only for a while (Stripe: 24 hours); empty
     * when it remembers keys for as long as a case may run. Past the retention the engine never counts on
     * the provider to de-duplicate: it stores the operation before every call and
     * {@linkplain OperationLookup#lookup(SentOperation) looks it up} before sending it again. Since SPI 2.0.
     */
    default Optional<Duration> idempotencyKeyRetention() {
        return Optional.empty();
    }

    /**
     * The limits of the provider's API: calls per second and calls open at once, which the engine keeps
     * across all workers and commands of a process (see {@link ProviderLimits} for what counts as a call).
     * Unlimited by default. The application may override them per provider, since contracts differ per
     * merchant account. Whatever the limits, answer a 429 with {@link OperationOutcome#rateLimited} and the
     * provider's Retry-After: the engine then pauses every call to this provider until it passes. Since SPI 2.0.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    default ProviderLimits callLimits() {
        return ProviderLimits.unlimited();
    }

    /** The capabilities this provider declares; by default derived from the adapters it returns. */
    default Set<ProviderCapability> capabilities() {
        Set<ProviderCapability> capabilities = EnumSet.noneOf(ProviderCapability.class);
        deviceAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.DEVICE_UNBIND));
        accountAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.ACCOUNT_UNBIND));
        merchantInfoAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.MERCHANT_INFO_UNBIND));
        applicationAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.INSTITUTION_APPLICATION));
        feeQuoteAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.FEE_QUOTE));
        terminalSetupAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.TERMINAL_SETUP));
        replacementCatalog().ifPresent(adapter -> capabilities.add(ProviderCapability.REPLACEMENT_CATALOG));
        transferAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.TERMINAL_TRANSFER));
        verificationAdapter().ifPresent(adapter -> capabilities.add(ProviderCapability.VERIFICATION));
        return Set.copyOf(capabilities);
    }

    /**
     * The mutating operations this provider offers; the planner plans only these and lists the others as
     * skipped, with the reason, in previews and the case's history. By default every operation of the
     * adapters it returns (see {@link ProviderCapability#operations()}). Leave out what the provider's API
     * does not have: Adyen's Management API, for example, cannot disable or decommission a terminal apart
     * from reassigning it to the company inventory, so its adapter offers {@link OperationKind#UNBIND_TERMINAL}
     * but neither {@link OperationKind#DISABLE_TERMINAL} nor {@link OperationKind#DECOMMISSION_TERMINAL}.
     * Peripherals, disable, decommission and the replacement's software update may be left out; the
     * operation that undoes a binding in scope may not (the case is refused as not supported). An
     * operation that turns out not to apply only at run time is answered with
     * {@link OperationOutcome#notApplicable}. Since SPI 2.0.
     */
    default Set<OperationKind> supportedOperations() {
        Set<OperationKind> operations = EnumSet.noneOf(OperationKind.class);
        capabilities().forEach(capability -> operations.addAll(capability.operations()));
        return Set.copyOf(operations);
    }

    /**
     * Where the institution's approval happens. By default {@link InstitutionApproval#BY_ADAPTER} when the
     * provider returns an {@link #applicationAdapter()}, otherwise {@link InstitutionApproval#ELSEWHERE}
     * (the case waits until the decision is recorded). A provider whose unbinds need no approval declares
     * {@link InstitutionApproval#NOT_NEEDED}, and the approval step is not planned. Since SPI 2.0.
     */
    default InstitutionApproval institutionApproval() {
        return applicationAdapter().isPresent() ? InstitutionApproval.BY_ADAPTER : InstitutionApproval.ELSEWHERE;
    }

    /**
     * The documents cases at this provider need and the jurisdiction's checks on them; by default the
     * Chinese profile {@link DocumentChecklist#china()}. A provider for merchants
     * outside China returns {@link DocumentChecklist#international()} or its own.
     * {@link #additionalDocuments} is added on top; an application may override the checklist. Since SPI 2.0.
     */
    default DocumentChecklist documentChecklist() {
        return DocumentChecklist.china();
    }
}
