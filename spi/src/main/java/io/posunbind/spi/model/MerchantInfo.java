package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * The merchant information bound at the institution (商户信息).
 *
 * @param merchantNumber          the merchant number (商户号) the institution assigned
 * @param name                    the registered merchant name
 * @param unifiedSocialCreditCode the business licence's unified social credit code (统一社会信用代码)
 * @param legalRepresentativeName the legal representative's name
 * @param activeTerminalCount     how many active terminals the merchant has at this provider, this one included
 */
@API(status = API.Status.STABLE, since = "2.0")
public record MerchantInfo(String merchantNumber, String name, String unifiedSocialCreditCode,
        String legalRepresentativeName, int activeTerminalCount) {

    /** Checks the fields. */
    public MerchantInfo {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unifiedSocialCreditCode, "unifiedSocialCreditCode");
        Objects.requireNonNull(legalRepresentativeName, "legalRepresentativeName");
        if (activeTerminalCount < 0) {
            throw new IllegalArgumentException("activeTerminalCount must not be negative");
        }
    }
}
