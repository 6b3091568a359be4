package io.posunbind.spi;

import java.util.Optional;

/**
 * Binds a terminal to another merchant, the second half of a transfer (换绑): the engine first unbinds
 * it from the old merchant with the {@link DeviceUnbindAdapter}, then binds it here, so the terminal is
 * never bound to two merchants at once (PBOC 259号 forbids 一机多户). Optional. Thread-safe.
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface TerminalTransferAdapter extends OperationLookup {

    /**
     * Binds an unbound terminal to a merchant (and store, where the provider keeps stores).
     *
     * @param context        the engine's operation context
     * @param serialNumber   the terminal
     * @param merchantNumber the merchant that receives it
     * @param storeId        the store it is placed at, if any
     */
    OperationOutcome bindTerminal(OperationContext context, String serialNumber, String merchantNumber,
            Optional<String> storeId);
}
