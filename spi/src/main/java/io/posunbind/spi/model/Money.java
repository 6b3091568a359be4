package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount in minor units (分 for CNY) with its currency. Negative amounts are refunds.
 *
 * @param minorUnits the amount in the currency's minor unit
 * @param currency   the currency
 */
@API(status = API.Status.STABLE, since = "2.0")
public record Money(long minorUnits, Currency currency) {

    /** Checks the currency. */
    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    /** An amount in Chinese yuan, given in fen. */
    public static Money cny(long fen) {
        return new Money(fen, Currency.getInstance("CNY"));
    }

    /** Zero in the given currency. */
    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /** Adds an amount of the same currency. */
    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    /** Whether the amount is zero. */
    public boolean isZero() {
        return minorUnits == 0;
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Cannot add " + other.currency + " to " + currency);
        }
    }

    @Override
    public String toString() {
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        if (digits == 0) {
            return minorUnits + " " + currency.getCurrencyCode();
        }
        return java.math.BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + currency.getCurrencyCode();
    }
}
