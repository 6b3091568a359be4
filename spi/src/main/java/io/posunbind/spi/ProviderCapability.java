package io.posunbind.spi;

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
    VERIFICATION
}
