package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A POS terminal as the provider's terminal-management backend knows it.
 *
 * @param serialNumber         the tamper-proof serial number (SN)
 * @param model                the model name
 * @param status               its status
 * @param boundMerchantNumbers the merchant numbers it is bound to; exactly one when all is well
 *                             (PBOC 259号 forbids one terminal for several merchants)
 * @param storeId              the store it is placed at, if the provider keeps stores
 * @param peripherals          peripherals bound with it
 */
@API(status = API.Status.STABLE, since = "2.0")
public record Terminal(String serialNumber, String model, TerminalStatus status, List<String> boundMerchantNumbers,
        Optional<String> storeId, List<Peripheral> peripherals) {

    /** Checks and copies the fields. */
    public Terminal {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        boundMerchantNumbers = List.copyOf(boundMerchantNumbers);
        Objects.requireNonNull(storeId, "storeId");
        peripherals = List.copyOf(peripherals);
    }
}
