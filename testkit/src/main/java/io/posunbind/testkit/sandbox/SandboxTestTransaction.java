package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.model.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * A test transaction (测试交易) run on a replacement terminal, as the sandbox keeps it.
 *
 * @param reference    the transaction reference returned by {@code runTestTransaction}
 * @param serialNumber the terminal it ran on
 * @param amount       its amount
 * @param ranAt        when it ran, on the sandbox clock
 * @param voided       whether it has been voided, so that no money moves
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record SandboxTestTransaction(String reference, String serialNumber, Money amount, Instant ranAt,
        boolean voided) {

    /** Checks the fields. */
    public SandboxTestTransaction {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(ranAt, "ranAt");
    }

    SandboxTestTransaction markVoided() {
        return new SandboxTestTransaction(reference, serialNumber, amount, ranAt, true);
    }
}
