package io.posunbind.spi;

/** The kinds of mutating operation the engine asks a provider to perform. */
@API(status = API.Status.STABLE, since = "2.0")
public enum OperationKind {
    UNBIND_PERIPHERAL,
    DISABLE_TERMINAL,
    UNBIND_TERMINAL,
    DECOMMISSION_TERMINAL,
    UNBIND_SETTLEMENT_ACCOUNT,
    MODIFY_MERCHANT_INFO,
    DELETE_MERCHANT_INFO,
    SUBMIT_APPLICATION,
    SET_UP_TERMINAL,
    UPDATE_TERMINAL_SOFTWARE,
    RUN_TEST_TRANSACTION,
    VOID_TEST_TRANSACTION,
    /** Bind a terminal to another merchant (换绑). Since SPI 1.1. */
    BIND_TERMINAL,
    /** Send a verification challenge (an SMS code to the merchant's registered phone). Since SPI 1.1. */
    ISSUE_VERIFICATION
}
