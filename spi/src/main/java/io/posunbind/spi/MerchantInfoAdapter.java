package io.posunbind.spi;

import io.posunbind.spi.model.MerchantInfo;
import java.util.Optional;

/**
 * Modifies or deletes the merchant information bound at the institution (商户信息绑定).
 * Implementations must be thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface MerchantInfoAdapter extends OperationLookup {

    /** Reads the merchant info, empty when the merchant is unknown. */
    Optional<MerchantInfo> readMerchantInfo(String merchantNumber);

    /**
     * Detaches the terminal from the merchant info while the merchant stays (it has other terminals, or
     * only this terminal leaves).
     */
    OperationOutcome detachTerminal(OperationContext context, String merchantNumber, String terminalSerial);

    /**
     * Deletes the merchant info binding altogether. Providers refuse this while the merchant has active
     * terminals; the engine only asks once none is left.
     */
    OperationOutcome deleteMerchantInfo(OperationContext context, String merchantNumber);
}
