package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** A phone number, such as the merchant's registered mobile for SMS checks. Masked as {@code 138****5678}. */
@API(status = API.Status.STABLE, since = "2.0")
public final class PhoneNumber extends SensitiveNumber {

    /** Wraps a phone number; spaces and dashes are ignored. */
    public PhoneNumber(String value) {
        super(value, "phone number");
        if (!reveal().matches("\\+?\\d{5,20}")) {
            throw new IllegalArgumentException("A phone number has 5 to 20 digits, optionally after '+'");
        }
    }

    /** Creates a phone number. */
    public static PhoneNumber of(String value) {
        return new PhoneNumber(value);
    }

    @Override
    public String masked() {
        return mask(reveal(), 3, 4);
    }
}
