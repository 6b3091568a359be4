package io.posunbind.spi.model;

import io.posunbind.spi.API;

/**
 * A person's identity document number, such as the resident identity number of a legal representative.
 * Masked to its first and last characters only.
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class IdentityNumber extends SensitiveNumber {

    /** Wraps an identity number. */
    public IdentityNumber(String value) {
        super(value, "identity number");
        if (reveal().length() > 32) {
            throw new IllegalArgumentException("An identity number has at most 32 characters");
        }
    }

    /** Creates an identity number. */
    public static IdentityNumber of(String value) {
        return new IdentityNumber(value);
    }

    @Override
    public String masked() {
        return mask(reveal(), 1, 1);
    }
}
