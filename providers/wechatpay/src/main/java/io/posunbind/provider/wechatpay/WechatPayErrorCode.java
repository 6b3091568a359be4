package io.posunbind.provider.wechatpay;

import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;

/**
 * The WeChat Pay adapter's own stable codes, for answers no {@link io.posunbind.spi.StandardErrorCode} names.
 * WeChat Pay's own code is kept beside it as the provider code.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum WechatPayErrorCode implements ErrorCode {
    /**
     * WeChat Pay's review refused the settlement-account change ({@code verify_result} {@code AUDIT_FAIL}); the
     * message carries {@code verify_fail_reason}. The merchant corrects the account and an operator retries.
     */
    SETTLEMENT_CHANGE_REFUSED("WXP-SETTLEMENT-CHANGE-REFUSED"),
    /**
     * An answer's signature did not verify with the WeChat Pay public key: it was not trusted, so what the
     * request did is unknown.
     */
    ANSWER_NOT_TRUSTED("WXP-ANSWER-NOT-TRUSTED");

    private final String code;

    WechatPayErrorCode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** Never: the same request gets the same answer. */
    @Override
    public boolean retryable() {
        return false;
    }
}
