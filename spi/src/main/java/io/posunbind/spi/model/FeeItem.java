package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * One line of a fee quote.
 *
 * @param kind        what the fee is for
 * @param amount      the amount; negative for refunds
 * @param description the provider's words for it
 */
@API(status = API.Status.STABLE, since = "2.0")
public record FeeItem(FeeKind kind, Money amount, String description) {

    /** Checks the fields. */
    public FeeItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(description, "description");
    }
}
