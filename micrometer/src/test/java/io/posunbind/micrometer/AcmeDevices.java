package io.posunbind.micrometer;

import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider's device API as the tests need it: takes effect, is unavailable for a number of calls, or
 * refuses for good.
 */
final class AcmeDevices implements DeviceUnbindAdapter {

    static final String ID = "acme";
    static final String MERCHANT = "898310058120001";

    final AtomicInteger unavailableFor = new AtomicInteger();
    volatile boolean refusing;

    PaymentProvider provider() {
        AcmeDevices devices = this;
        return new PaymentProvider() {
            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public String id() {
                return ID;
            }

            @Override
            public String displayName() {
                return "Acme";
            }

            @Override
            public Optional<DeviceUnbindAdapter> deviceAdapter() {
                return Optional.of(devices);
            }
        };
    }

    @Override
    public Terminal readTerminal(String serialNumber) {
        return new Terminal(serialNumber, "PAX A920", TerminalStatus.ACTIVE, List.of(MERCHANT), Optional.empty(),
                List.of());
    }

    @Override
    public TerminalDataExport exportTerminalData(String serialNumber) {
        return new TerminalDataExport(serialNumber, List.of(), Map.of());
    }

    @Override
    public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
        return answer(context);
    }

    @Override
    public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
        return answer(context);
    }

    @Override
    public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
        return answer(context);
    }

    @Override
    public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
        return answer(context);
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return Optional.empty();
    }

    private OperationOutcome answer(OperationContext context) {
        if (refusing) {
            return OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "422", "Terminal is locked");
        }
        return unavailableFor.getAndUpdate(left -> Math.max(0, left - 1)) > 0
                ? OperationOutcome.retryable("503", "Service unavailable")
                : OperationOutcome.done("ACME-" + context.idempotencyKey().value());
    }
}
