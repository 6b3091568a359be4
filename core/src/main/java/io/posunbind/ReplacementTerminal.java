package io.posunbind;

import io.posunbind.spi.model.SettlementAccount;
import java.util.Objects;
import java.util.Optional;

/**
 * The terminal that replaces the old one, set up, updated and tested before the case completes.
 *
 * @param serialNumber      the new terminal's serial number, registered at the provider
 * @param model             its model
 * @param settlementAccount the account it settles to when the old one is being unbound; empty keeps
 *                          the merchant's current account
 */
public record ReplacementTerminal(String serialNumber, String model, Optional<SettlementAccount> settlementAccount) {

    /** Checks the fields. */
    public ReplacementTerminal {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settlementAccount, "settlementAccount");
    }

    /** A replacement that keeps the merchant's settlement account. */
    public static ReplacementTerminal of(String serialNumber, String model) {
        return new ReplacementTerminal(serialNumber, model, Optional.empty());
    }
}
