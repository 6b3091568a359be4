package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationLookup;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.model.SettlementAccount;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One binding the contract probes (device, settlement account, merchant info): which capability and
 * operation the provider must declare for its checks to run, how a target is seeded on the fake backend, and
 * how the probe operation is sent. The shared checks ({@link OutcomeChecks}, {@link LookupChecks}) run the
 * same way on each. Stateless apart from the device probe; thread-safe.
 */
abstract class Binding {

    private final String name;
    private final ProviderCapability capability;

    private Binding(String name, ProviderCapability capability) {
        this.name = name;
        this.capability = capability;
    }

    /** The device binding, probed with {@code probe}. */
    static Binding device(Probe probe) {
        return new Device(probe);
    }

    static Binding account() {
        return new Account();
    }

    static Binding merchantInfo() {
        return new MerchantInfo();
    }

    /** "device", "account", "merchant-info": for messages. */
    final String name() {
        return name;
    }

    final ProviderCapability capability() {
        return capability;
    }

    /**
     * The operation the checks send, among what the provider declares; the check is skipped with the reason
     * when the provider declares neither the capability nor such an operation, and fails when it declares the
     * capability without returning the adapter.
     */
    final OperationKind requireDeclared(PaymentProvider provider) {
        if (!provider.capabilities().contains(capability)) {
            abort("the provider does not declare " + capability + " (capabilities()): the " + name
                    + " checks do not apply");
        }
        if (adapter(provider).isEmpty()) {
            fail("the provider declares " + capability + " but returns no " + name + " adapter");
        }
        Optional<OperationKind> kind = kind(provider);
        if (kind.isEmpty()) {
            abort("the provider offers none of " + capability.operations() + " (supportedOperations()): the "
                    + name + " probe does not apply" + probeHint());
        }
        return kind.get();
    }

    /** The provider's adapter of this binding, looked up without checking declarations. */
    abstract Optional<? extends OperationLookup> adapter(PaymentProvider provider);

    /** The operation probed at this provider, if it offers one. */
    abstract Optional<OperationKind> kind(PaymentProvider provider);

    String probeHint() {
        return "";
    }

    /** Seeds a target the probe takes effect on; skips the check when the fake backend cannot. */
    final String seed(BackendFaults backend) {
        return call(backend, this::seedOn, seedHook());
    }

    /** Seeds a target on which the probe is refused for a business reason; skips when the backend cannot. */
    final String seedThatRefuses(BackendFaults backend) {
        return call(backend, this::seedRefusingOn, refusingHook());
    }

    private static String call(BackendFaults backend, Function<BackendFaults, String> hook, String name) {
        try {
            return hook.apply(backend);
        } catch (UnsupportedOperationException e) {
            return abort("the fake backend cannot seed what this check needs: implement BackendFaults." + name
                    + " to run it");
        }
    }

    abstract String seedOn(BackendFaults backend);

    abstract String seedRefusingOn(BackendFaults backend);

    abstract String seedHook();

    abstract String refusingHook();

    /** What the engine would persist for an operation on the seeded subject. */
    abstract OperationTarget target(PaymentProvider provider, BackendFaults backend, String subject,
            Optional<SettlementAccount> account);

    /** The arguments the engine sends with the operation. */
    Map<String, String> arguments(BackendFaults backend, OperationKind kind, String subject) {
        return Map.of();
    }

    /** The account the engine's inventory reads before an account operation; empty for other bindings. */
    Optional<SettlementAccount> accountOf(PaymentProvider provider, String subject) {
        return Optional.empty();
    }

    /** Sends the probe through the provider's adapter. */
    abstract OperationOutcome send(PaymentProvider provider, ProbeOperation operation, OperationContext context);

    /**
     * Whether a Pending must carry the provider's reference: an account change or merchant-info change is
     * reviewed by people, who quote it, and the engine can correlate by its key only where the provider
     * honours keys.
     */
    boolean pendingNeedsReference(PaymentProvider provider) {
        return !provider.honoursIdempotencyKeys();
    }

    private static final class Device extends Binding {
        private final Probe probe;

        Device(Probe probe) {
            super("device", ProviderCapability.DEVICE_UNBIND);
            this.probe = probe;
        }

        @Override
        Optional<DeviceUnbindAdapter> adapter(PaymentProvider provider) {
            return provider.deviceAdapter();
        }

        @Override
        Optional<OperationKind> kind(PaymentProvider provider) {
            return provider.supportedOperations().contains(probe.kind()) ? Optional.of(probe.kind()) : Optional.empty();
        }

        @Override
        String probeHint() {
            return "; override probe() with the device operation it offers";
        }

        @Override
        String seedOn(BackendFaults backend) {
            return backend.seedTerminal();
        }

        @Override
        String seedRefusingOn(BackendFaults backend) {
            return backend.seedTerminalThatRefuses();
        }

        @Override
        String seedHook() {
            return "seedTerminal";
        }

        @Override
        String refusingHook() {
            return "seedTerminalThatRefuses";
        }

        @Override
        OperationTarget target(PaymentProvider provider, BackendFaults backend, String serial,
                Optional<SettlementAccount> account) {
            return OperationTarget.terminal(backend.merchantOf(serial), serial);
        }

        @Override
        OperationOutcome send(PaymentProvider provider, ProbeOperation operation, OperationContext context) {
            return probe.send(provider.deviceAdapter().orElseThrow(), context, operation.subject());
        }
    }

    private static final class Account extends Binding {
        Account() {
            super("account", ProviderCapability.ACCOUNT_UNBIND);
        }

        @Override
        Optional<AccountUnbindAdapter> adapter(PaymentProvider provider) {
            return provider.accountAdapter();
        }

        @Override
        Optional<OperationKind> kind(PaymentProvider provider) {
            return provider.supportedOperations().contains(OperationKind.UNBIND_SETTLEMENT_ACCOUNT)
                    ? Optional.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT) : Optional.empty();
        }

        @Override
        String seedOn(BackendFaults backend) {
            return backend.seedMerchantWithAccount();
        }

        @Override
        String seedRefusingOn(BackendFaults backend) {
            return backend.seedMerchantWithAccountThatRefuses();
        }

        @Override
        String seedHook() {
            return "seedMerchantWithAccount";
        }

        @Override
        String refusingHook() {
            return "seedMerchantWithAccountThatRefuses";
        }

        /** As the engine's inventory does: the account is read before it is changed. */
        @Override
        Optional<SettlementAccount> accountOf(PaymentProvider provider, String merchant) {
            Optional<SettlementAccount> account = provider.accountAdapter().orElseThrow().readSettlementAccount(merchant);
            if (account.isEmpty()) {
                fail("readSettlementAccount of a merchant from BackendFaults.seedMerchantWithAccount answered empty;"
                        + " the engine reads the account before it changes it");
            }
            return account;
        }

        @Override
        OperationTarget target(PaymentProvider provider, BackendFaults backend, String merchant,
                Optional<SettlementAccount> account) {
            return OperationTarget.account(merchant, account.orElseThrow().number());
        }

        @Override
        OperationOutcome send(PaymentProvider provider, ProbeOperation operation, OperationContext context) {
            return provider.accountAdapter().orElseThrow().unbindSettlementAccount(context, operation.subject(),
                    operation.account().orElseThrow());
        }

        @Override
        boolean pendingNeedsReference(PaymentProvider provider) {
            return true;
        }
    }

    private static final class MerchantInfo extends Binding {
        MerchantInfo() {
            super("merchant-info", ProviderCapability.MERCHANT_INFO_UNBIND);
        }

        @Override
        Optional<MerchantInfoAdapter> adapter(PaymentProvider provider) {
            return provider.merchantInfoAdapter();
        }

        /** Deleting the merchant info where offered, else detaching a terminal from it. */
        @Override
        Optional<OperationKind> kind(PaymentProvider provider) {
            return provider.supportedOperations().contains(OperationKind.DELETE_MERCHANT_INFO)
                    ? Optional.of(OperationKind.DELETE_MERCHANT_INFO)
                    : provider.supportedOperations().contains(OperationKind.MODIFY_MERCHANT_INFO)
                            ? Optional.of(OperationKind.MODIFY_MERCHANT_INFO) : Optional.empty();
        }

        @Override
        String seedOn(BackendFaults backend) {
            return backend.seedMerchantInfo();
        }

        @Override
        String seedRefusingOn(BackendFaults backend) {
            return backend.seedMerchantInfoThatRefuses();
        }

        @Override
        String seedHook() {
            return "seedMerchantInfo";
        }

        @Override
        String refusingHook() {
            return "seedMerchantInfoThatRefuses";
        }

        @Override
        OperationTarget target(PaymentProvider provider, BackendFaults backend, String merchant,
                Optional<SettlementAccount> account) {
            return OperationTarget.merchant(merchant);
        }

        @Override
        Map<String, String> arguments(BackendFaults backend, OperationKind kind, String merchant) {
            if (kind != OperationKind.MODIFY_MERCHANT_INFO) {
                return Map.of();
            }
            return Map.of("detachTerminal", call(backend, b -> b.terminalToDetach(merchant), "terminalToDetach"));
        }

        @Override
        OperationOutcome send(PaymentProvider provider, ProbeOperation operation, OperationContext context) {
            MerchantInfoAdapter adapter = provider.merchantInfoAdapter().orElseThrow();
            return operation.kind() == OperationKind.DELETE_MERCHANT_INFO
                    ? adapter.deleteMerchantInfo(context, operation.subject())
                    : adapter.detachTerminal(context, operation.subject(),
                            context.operation().argument("detachTerminal").orElseThrow());
        }

        @Override
        boolean pendingNeedsReference(PaymentProvider provider) {
            return true;
        }
    }
}
