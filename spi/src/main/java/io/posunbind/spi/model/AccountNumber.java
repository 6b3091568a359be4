package io.posunbind.spi.model;

import io.posunbind.spi.API;

/**
 * A settlement account number: a bank account, a bank card used as settlement account, or a third-party
 * payment account id. Masked to the last four characters (the first six as well when it is long enough
 * to be a card number).
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class AccountNumber extends SensitiveNumber {

    /** Wraps an account number; spaces and dashes are ignored. */
    public AccountNumber(String value) {
        super(value, "account number");
        if (reveal().length() > 64) {
            throw new IllegalArgumentException("An account number has at most 64 characters");
        }
    }

    /** Creates an account number. */
    public static AccountNumber of(String value) {
        return new AccountNumber(value);
    }

    @Override
    public String masked() {
        String clear = reveal();
        return clear.length() >= 16 ? mask(clear, 6, 4) : mask(clear, 0, 4);
    }
}
