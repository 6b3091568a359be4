package io.posunbind.spi;

import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;

/**
 * Unbinds a terminal and its peripherals in the provider's terminal-management backend (设备绑定).
 *
 * <p>The engine calls the operations in this order, so that providers' state guards pass: peripherals,
 * {@link #disableTerminal disable}, {@link #unbindTerminal unbind}, and at the end
 * {@link #decommissionTerminal decommission}. Implementations must be thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface DeviceUnbindAdapter extends OperationLookup {

    /**
     * Reads the terminal with its peripherals and the merchants it is bound to.
     *
     * @throws ProviderException with {@link StandardErrorCode#TERMINAL_NOT_FOUND} when unknown
     */
    Terminal readTerminal(String serialNumber);

    /**
     * Reads the terminal's usage history and settings for the backup taken before anything is unbound.
     *
     * @throws ProviderException when the provider cannot answer now
     */
    TerminalDataExport exportTerminalData(String serialNumber);

    /** Unbinds one peripheral from the terminal. */
    OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral);

    /** Disables the terminal so it can no longer trade; providers allow deletion only after this. */
    OperationOutcome disableTerminal(OperationContext context, String serialNumber);

    /** Removes the terminal's binding to its merchant and store. */
    OperationOutcome unbindTerminal(OperationContext context, String serialNumber);

    /** Shuts the terminal down for good (关闭旧POS机) so it is no longer connected. */
    OperationOutcome decommissionTerminal(OperationContext context, String serialNumber);
}
