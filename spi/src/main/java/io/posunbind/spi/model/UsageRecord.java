package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a terminal's usage history (交易明细), exported before anything is unbound.
 *
 * @param transactionReference the provider's transaction reference
 * @param time                 when it happened
 * @param amount               its amount
 * @param type                 the provider's transaction type (sale, refund, void, ...)
 * @param status               the provider's status (settled, ...)
 * @param maskedCardNumber     the card as the provider shows it, already masked (first 6 / last 4 at most)
 */
@API(status = API.Status.STABLE, since = "2.0")
public record UsageRecord(String transactionReference, Instant time, Money amount, String type, String status,
        String maskedCardNumber) {

    /** Checks the fields. */
    public UsageRecord {
        Objects.requireNonNull(transactionReference, "transactionReference");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(maskedCardNumber, "maskedCardNumber");
    }
}
