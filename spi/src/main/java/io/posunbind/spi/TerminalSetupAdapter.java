package io.posunbind.spi;

import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalSetup;

/**
 * Sets up, updates and tests a replacement terminal before the merchant trades on it.
 *
 * <p>Test transactions must be tiny and voided afterwards: some providers' "test" environments run on
 * production data. Implementations must be thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface TerminalSetupAdapter extends OperationLookup {

    /** Binds the new terminal to the merchant and configures it (设置新POS机). */
    OperationOutcome setUpTerminal(OperationContext context, TerminalSetup setup);

    /** Brings the new terminal's software up to date (更新软件). */
    OperationOutcome updateSoftware(OperationContext context, String serialNumber);

    /**
     * Runs a test transaction (测试交易). On success the {@link OperationOutcome.Done#providerReference()}
     * is the transaction reference passed later to {@link #voidTestTransaction}.
     */
    OperationOutcome runTestTransaction(OperationContext context, String serialNumber, Money amount);

    /** Voids a test transaction so no money moves. */
    OperationOutcome voidTestTransaction(OperationContext context, String serialNumber, String transactionReference);
}
