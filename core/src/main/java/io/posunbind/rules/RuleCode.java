package io.posunbind.rules;

import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;

/** Stable codes of the unbinding rules' violations. */
@API(status = API.Status.STABLE, since = "0.1")
public enum RuleCode implements ErrorCode {
    /** A document the reason, scope or provider requires was not submitted. */
    DOCUMENT_MISSING("RULE-DOCUMENT-MISSING", false),
    /** A submitted document or field is invalid. */
    DOCUMENT_INVALID("RULE-DOCUMENT-INVALID", false),
    /** A submitted document does not match what the provider reports (name, serial, licence). */
    DOCUMENT_MISMATCH("RULE-DOCUMENT-MISMATCH", false),
    /** Funds are unsettled or transactions in flight; the unbind waits until they settle. */
    FUNDS_UNSETTLED("RULE-FUNDS-UNSETTLED", true),
    /** A fee would be incurred without the merchant's consent to the exact quote. */
    FEE_CONSENT_REQUIRED("RULE-FEE-CONSENT-REQUIRED", false),
    /** The terminal is bound to several merchants (一机多户), which PBOC 259号 forbids. */
    TERMINAL_BOUND_TO_SEVERAL_MERCHANTS("RULE-ONE-TERMINAL-ONE-MERCHANT", false),
    /** The terminal is not bound to the merchant the case names. */
    TERMINAL_NOT_BOUND_TO_MERCHANT("RULE-TERMINAL-MERCHANT-MISMATCH", false),
    /** The terminal is already unbound or decommissioned. */
    TERMINAL_NOT_BOUND("RULE-TERMINAL-NOT-BOUND", false),
    /** The replacement terminal was not tested before the case would complete. */
    REPLACEMENT_NOT_TESTED("RULE-REPLACEMENT-NOT-TESTED", false),
    /** The provider cannot unbind a binding the case asks for. */
    BINDING_NOT_SUPPORTED("RULE-BINDING-NOT-SUPPORTED", false),
    /** The provider allows no settlement-account change yet (for example once per 30 days). */
    ACCOUNT_CHANGE_TOO_SOON("RULE-ACCOUNT-CHANGE-TOO-SOON", false),
    /** The merchant that should receive a transferred terminal is unknown to the provider. */
    TRANSFER_TARGET_UNKNOWN("RULE-TRANSFER-TARGET-UNKNOWN", false),
    /**
     * Make-before-break cannot move the settlement account: the new terminal would be set up with an
     * account that is unbound afterwards.
     */
    MAKE_BEFORE_BREAK_ACCOUNT_CONFLICT("RULE-MAKE-BEFORE-BREAK-ACCOUNT", false),
    /** A terminal serial number does not have the provider's shape. */
    SERIAL_NUMBER_INVALID("RULE-SERIAL-NUMBER-INVALID", false),
    /** The merchant failed the provider's verification (wrong answers, expired challenges). */
    VERIFICATION_FAILED("RULE-VERIFICATION-FAILED", false);

    private final String code;
    private final boolean retryable;

    RuleCode(String code, boolean retryable) {
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
