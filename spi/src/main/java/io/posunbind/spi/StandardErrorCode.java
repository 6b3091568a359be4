package io.posunbind.spi;

/**
 * Stable codes that an adapter maps its provider's own codes to. Keep the provider's raw code beside it
 * (see {@link OperationOutcome.Rejected#providerCode()}); the engine decides what to do from this one.
 */
@API(status = API.Status.STABLE, since = "2.0")
public enum StandardErrorCode implements ErrorCode {
    /** The request was malformed or incomplete for the provider. */
    INVALID_REQUEST("PRV-INVALID-REQUEST", false),
    /** The terminal is not known to the provider. */
    TERMINAL_NOT_FOUND("PRV-TERMINAL-NOT-FOUND", false),
    /** The terminal is active and must be disabled first (for example before deletion). */
    TERMINAL_ACTIVE("PRV-TERMINAL-ACTIVE", false),
    /** The terminal is in a state that does not allow the operation. */
    TERMINAL_STATE_CONFLICT("PRV-TERMINAL-STATE", false),
    /** The merchant is not known to the provider. */
    MERCHANT_NOT_FOUND("PRV-MERCHANT-NOT-FOUND", false),
    /** The merchant still has active terminals, so it can be modified but not deleted or disabled. */
    MERCHANT_HAS_ACTIVE_TERMINALS("PRV-MERCHANT-HAS-TERMINALS", false),
    /** Funds are unsettled or transactions are in flight; wait for settlement. */
    FUNDS_UNSETTLED("PRV-FUNDS-UNSETTLED", true),
    /** The settlement account was changed too recently (for example once per 30 days). */
    ACCOUNT_CHANGE_LIMIT("PRV-ACCOUNT-CHANGE-LIMIT", false),
    /** The account does not belong to the merchant (name, identity or card check failed). */
    ACCOUNT_OWNERSHIP_MISMATCH("PRV-ACCOUNT-OWNERSHIP", false),
    /** The idempotency key was reused with different parameters. */
    IDEMPOTENCY_KEY_REUSED("PRV-IDEMPOTENCY-REUSED", false),
    /** The provider refused our credentials or the operator's rights. */
    NOT_AUTHORIZED("PRV-NOT-AUTHORIZED", false),
    /** The provider does not offer this operation. */
    UNSUPPORTED_OPERATION("PRV-UNSUPPORTED", false),
    /** The provider is temporarily unavailable or throttling us. */
    PROVIDER_UNAVAILABLE("PRV-UNAVAILABLE", true),
    /** The provider answered with a code the adapter could not map. */
    UNMAPPED_PROVIDER_ERROR("PRV-UNMAPPED", false),
    /**
     * The provider throttled us (HTTP 429); nothing happened. Answer it with
     * {@link OperationOutcome#rateLimited} and the provider's Retry-After. Since SPI 2.0.
     */
    RATE_LIMITED("PRV-RATE-LIMITED", true),
    /**
     * The same operation, or another on the same terminal, is still being processed (HTTP 409 for a key in
     * use, a reassignment in progress); the engine waits and looks up before sending again. Since SPI 2.0.
     */
    OPERATION_IN_PROGRESS("PRV-IN-PROGRESS", true);

    private final String code;
    private final boolean retryable;

    StandardErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
