package io.posunbind.spi;

import java.util.Set;

/** What a provider can do. The engine plans only steps whose capability the provider declares. */
@API(status = API.Status.STABLE, since = "2.0")
public enum ProviderCapability {
    /** Device binding: read terminals, unbind peripherals, disable, unbind and decommission terminals. */
    DEVICE_UNBIND,
    /** Account binding: read the settlement account and unsettled funds, unbind the account. */
    ACCOUNT_UNBIND,
    /** Merchant-info binding: read, modify or delete merchant info. */
    MERCHANT_INFO_UNBIND,
    /** Submit the unbind application to the institution and read its decision. */
    INSTITUTION_APPLICATION,
    /** Quote the fees an unbind incurs. */
    FEE_QUOTE,
    /** List replacement terminals the provider offers. */
    REPLACEMENT_CATALOG,
    /** Set up, update and test a replacement terminal. */
    TERMINAL_SETUP,
    /** Bind a terminal to another merchant, for transfers (换绑). Since SPI 1.1. */
    TERMINAL_TRANSFER,
    /** Challenge the merchant before sensitive operations (SMS code, own-account check). Since SPI 1.1. */
    VERIFICATION;

    /**
     * The mutating operations this capability's adapter performs: what a provider offers by default
     * when it returns the adapter (see {@link PaymentProvider#supportedOperations()}). Since SPI 2.0.
     */
    public Set<OperationKind> operations() {
        return switch (this) {
            case DEVICE_UNBIND -> Set.of(OperationKind.UNBIND_PERIPHERAL, OperationKind.DISABLE_TERMINAL,
                    OperationKind.UNBIND_TERMINAL, OperationKind.DECOMMISSION_TERMINAL);
            case ACCOUNT_UNBIND -> Set.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
            case MERCHANT_INFO_UNBIND -> Set.of(OperationKind.MODIFY_MERCHANT_INFO, OperationKind.DELETE_MERCHANT_INFO);
            case INSTITUTION_APPLICATION -> Set.of(OperationKind.SUBMIT_APPLICATION);
            case TERMINAL_SETUP -> Set.of(OperationKind.SET_UP_TERMINAL, OperationKind.UPDATE_TERMINAL_SOFTWARE,
                    OperationKind.RUN_TEST_TRANSACTION, OperationKind.VOID_TEST_TRANSACTION);
            case TERMINAL_TRANSFER -> Set.of(OperationKind.BIND_TERMINAL);
            case VERIFICATION -> Set.of(OperationKind.ISSUE_VERIFICATION);
            case FEE_QUOTE, REPLACEMENT_CATALOG -> Set.of();
        };
    }
}
