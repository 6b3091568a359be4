package io.posunbind.testkit.scenarios;

import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A provider written in a language, or with a library, that throws checked exceptions undeclared
 * (Kotlin, Lombok's {@code @SneakyThrows}): the sandbox's, whose device adapter throws the exception a
 * test gives it once, after the sandbox acted, on the next {@code unbindTerminal}. Plain classes, not
 * proxies: a proxy would wrap the checked exception before posunbind saw it.
 */
final class SneakyDeviceProvider implements PaymentProvider {

    private final PaymentProvider real;
    private volatile Exception afterNextUnbind;

    SneakyDeviceProvider(PaymentProvider real) {
        this.real = real;
    }

    /** The next {@code unbindTerminal} takes effect, then throws {@code failure} undeclared. */
    void throwAfterNextUnbind(Exception failure) {
        afterNextUnbind = failure;
    }

    @Override
    public String id() {
        return real.id();
    }

    @Override
    public String displayName() {
        return real.displayName();
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return real.deviceAdapter().map(SneakyDevice::new);
    }

    @Override
    public Optional<AccountUnbindAdapter> accountAdapter() {
        return real.accountAdapter();
    }

    @Override
    public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
        return real.merchantInfoAdapter();
    }

    @Override
    public Optional<InstitutionApplicationAdapter> applicationAdapter() {
        return real.applicationAdapter();
    }

    @Override
    public Optional<FeeQuoteAdapter> feeQuoteAdapter() {
        return real.feeQuoteAdapter();
    }

    @Override
    public Optional<TerminalSetupAdapter> terminalSetupAdapter() {
        return real.terminalSetupAdapter();
    }

    @Override
    public Optional<ReplacementCatalog> replacementCatalog() {
        return real.replacementCatalog();
    }

    @Override
    public Optional<TerminalTransferAdapter> transferAdapter() {
        return real.transferAdapter();
    }

    @Override
    public Optional<VerificationAdapter> verificationAdapter() {
        return real.verificationAdapter();
    }

    @Override
    public Optional<CallbackParser> callbackParser() {
        return real.callbackParser();
    }

    @Override
    public Set<DocumentKind> additionalDocuments(String reason, Set<String> bindings, boolean withReplacement) {
        return real.additionalDocuments(reason, bindings, withReplacement);
    }

    @Override
    public Optional<Pattern> terminalSerialPattern() {
        return real.terminalSerialPattern();
    }

    @Override
    public boolean honoursIdempotencyKeys() {
        return real.honoursIdempotencyKeys();
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return real.capabilities();
    }

    /** Throws a checked exception without declaring it, as the JVM allows and Java's compiler does not. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    private final class SneakyDevice implements DeviceUnbindAdapter {

        private final DeviceUnbindAdapter device;

        SneakyDevice(DeviceUnbindAdapter device) {
            this.device = device;
        }

        @Override
        public Terminal readTerminal(String serialNumber) {
            return device.readTerminal(serialNumber);
        }

        @Override
        public TerminalDataExport exportTerminalData(String serialNumber) {
            return device.exportTerminalData(serialNumber);
        }

        @Override
        public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
            return device.unbindPeripheral(context, serialNumber, peripheral);
        }

        @Override
        public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
            return device.disableTerminal(context, serialNumber);
        }

        @Override
        public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
            return thenThrow(() -> device.unbindTerminal(context, serialNumber));
        }

        @Override
        public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
            return device.decommissionTerminal(context, serialNumber);
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation operation) {
            return device.lookup(operation);
        }

        @Override
        public Optional<String> prepare(SentOperation operation) {
            return device.prepare(operation);
        }

        private OperationOutcome thenThrow(Supplier<OperationOutcome> call) {
            OperationOutcome outcome = call.get();
            Exception failure = afterNextUnbind;
            if (failure != null) {
                afterNextUnbind = null;
                throw sneaky(failure);
            }
            return outcome;
        }
    }
}
