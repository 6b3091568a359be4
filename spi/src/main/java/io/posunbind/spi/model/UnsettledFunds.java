package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is not yet settled for a merchant's terminal. Nothing is unbound while either part is non-zero.
 *
 * @param amount                 funds captured but not yet settled to the account
 * @param inFlightTransactions   transactions started but not finished
 * @param expectedSettlementTime when the provider expects to settle (for example T+1), if it says
 */
@API(status = API.Status.STABLE, since = "2.0")
public record UnsettledFunds(Money amount, int inFlightTransactions, Optional<Instant> expectedSettlementTime) {

    /** Checks the fields. */
    public UnsettledFunds {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(expectedSettlementTime, "expectedSettlementTime");
        if (inFlightTransactions < 0) {
            throw new IllegalArgumentException("inFlightTransactions must not be negative");
        }
    }

    /** Nothing unsettled. */
    public static UnsettledFunds none(java.util.Currency currency) {
        return new UnsettledFunds(Money.zero(currency), 0, Optional.empty());
    }

    /** Whether everything is settled and nothing is in flight. */
    public boolean settled() {
        return amount.isZero() && inFlightTransactions == 0;
    }
}
