package io.posunbind.spi;

import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.UnsettledFunds;
import java.util.Optional;

/**
 * Unbinds the settlement account (账户绑定) through the payment institution or bank.
 * Implementations must be thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface AccountUnbindAdapter extends OperationLookup {

    /** Reads the merchant's current settlement account, empty when none is bound. */
    Optional<SettlementAccount> readSettlementAccount(String merchantNumber);

    /**
     * Reads what is not yet settled for the merchant and terminal. The engine unbinds nothing while
     * funds are unsettled or transactions are in flight.
     */
    UnsettledFunds readUnsettledFunds(String merchantNumber, String terminalSerial);

    /**
     * How often the merchant may change its settlement account, and when it last did; empty when the
     * provider sets no limit. The engine refuses, before anything changes, an unbind that would break
     * the limit. Since SPI 1.1.
     */
    default Optional<io.posunbind.spi.model.AccountChangeLimit> accountChangeLimit(String merchantNumber) {
        return Optional.empty();
    }

    /** Unbinds the settlement account from the merchant. Often reviewed manually: answer pending. */
    OperationOutcome unbindSettlementAccount(OperationContext context, String merchantNumber,
            SettlementAccount account);
}
