package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * The account that receives a merchant's settled funds.
 *
 * @param kind            bank card, bank account or third-party account
 * @param number          the account number, masked whenever shown
 * @param holderName      the account holder's name
 * @param institutionName the bank or payment institution holding the account
 */
@API(status = API.Status.STABLE, since = "2.0")
public record SettlementAccount(SettlementAccountKind kind, AccountNumber number, String holderName,
        String institutionName) {

    /** Checks the fields. */
    public SettlementAccount {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(holderName, "holderName");
        Objects.requireNonNull(institutionName, "institutionName");
    }
}
