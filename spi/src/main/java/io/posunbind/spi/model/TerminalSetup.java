package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Optional;

/**
 * How to set up a replacement terminal (设置新POS机).
 *
 * @param serialNumber      the new terminal's serial number
 * @param model             its model
 * @param merchantNumber    the merchant it is bound to
 * @param merchantName      the merchant's name to print on receipts
 * @param settlementAccount the account it settles to, when the set-up carries one
 */
@API(status = API.Status.STABLE, since = "2.0")
public record TerminalSetup(String serialNumber, String model, String merchantNumber, String merchantName,
        Optional<SettlementAccount> settlementAccount) {

    /** Checks the fields. */
    public TerminalSetup {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(merchantName, "merchantName");
        Objects.requireNonNull(settlementAccount, "settlementAccount");
    }
}
