package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The fees an unbind will incur, as quoted by the provider. The merchant consents to one exact quote;
 * a different quote needs a new consent.
 *
 * @param quoteId    the provider's id of this quote
 * @param items      its lines, all in one currency
 * @param validUntil when the quote lapses
 */
@API(status = API.Status.STABLE, since = "2.0")
public record FeeQuote(String quoteId, List<FeeItem> items, Instant validUntil) {

    /** Checks and copies the fields; all items must share one currency. */
    public FeeQuote {
        Objects.requireNonNull(quoteId, "quoteId");
        items = List.copyOf(items);
        Objects.requireNonNull(validUntil, "validUntil");
        if (items.stream().map(item -> item.amount().currency()).distinct().count() > 1) {
            throw new IllegalArgumentException("All items of a fee quote must share one currency");
        }
    }

    /** The sum of all items; zero CNY for an empty quote. */
    public Money total() {
        return items.stream().map(FeeItem::amount).reduce(Money::plus).orElse(Money.cny(0));
    }

    /** Whether the merchant pays anything (refunds alone need no consent). */
    public boolean chargesMerchant() {
        return items.stream().anyMatch(item -> item.amount().minorUnits() > 0);
    }
}
