package io.posunbind.spi.model;

import io.posunbind.spi.API;

/**
 * A payment card number (PAN). Masked as PCI DSS allows: at most the first six and the last four digits.
 * Checksums are the core's business; here only the shape is checked (12 to 19 digits).
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class CardNumber extends SensitiveNumber {

    /** Wraps a card number; spaces and dashes are ignored. */
    public CardNumber(String digits) {
        super(digits, "card number");
        if (!reveal().matches("\\d{12,19}")) {
            throw new IllegalArgumentException("A card number has 12 to 19 digits");
        }
    }

    /** Creates a card number. */
    public static CardNumber of(String digits) {
        return new CardNumber(digits);
    }

    @Override
    public String masked() {
        return mask(reveal(), 6, 4);
    }
}
