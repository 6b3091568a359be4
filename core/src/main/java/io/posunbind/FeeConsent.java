package io.posunbind;

import io.posunbind.spi.model.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * The merchant's explicit agreement to one exact fee quote. A consent to another quote id or total
 * does not count.
 *
 * @param quoteId     the quote agreed to
 * @param total       the total agreed to, as shown to the merchant
 * @param consentedBy who agreed
 * @param consentedAt when
 */
public record FeeConsent(String quoteId, Money total, Actor consentedBy, Instant consentedAt) {

    /** Checks the fields. */
    public FeeConsent {
        Objects.requireNonNull(quoteId, "quoteId");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(consentedBy, "consentedBy");
        Objects.requireNonNull(consentedAt, "consentedAt");
    }
}
