package io.posunbind.spi;

import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.UnsettledFunds;
import java.util.Optional;

/**
 * Unbinds the settlement account (账户绑定) through the payment institution or bank.
 * Implementations must be thread-safe.
 */
public interface AccountUnbindAdapter extends OperationLookup {

    /** Reads the merchant's current settlement account, empty when none is bound. */
    Optional<SettlementAccount> readSettlementAccount(String merchantNumber);

    /**
     * Reads what is not yet settled for the merchant and terminal. The engine unbinds nothing while
     * funds are unsettled or transactions are in flight.
     */
    UnsettledFunds readUnsettledFunds(String merchantNumber, String terminalSerial);

    /** Unbinds the settlement account from the merchant. Often reviewed manually: answer pending. */
    OperationOutcome unbindSettlementAccount(OperationContext context, String merchantNumber,
            SettlementAccount account);
}
