package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * A number that must never be shown in clear: a card, account, identity or phone number.
 * {@link #toString()} returns {@link #masked()}; the clear value is only reachable through
 * {@link #reveal()}, which an adapter calls when it talks to its provider.
 *
 * <p>Not a record on purpose: record accessors and serializers that walk them would print the value.
 * Immutable and thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public abstract sealed class SensitiveNumber permits CardNumber, AccountNumber, IdentityNumber, PhoneNumber {

    private final String value;

    SensitiveNumber(String value, String what) {
        Objects.requireNonNull(value, what);
        String compact = value.replace(" ", "").replace("-", "");
        if (compact.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        this.value = compact;
    }

    /** The clear value, without spaces or dashes. Send it to the provider; never log it. */
    public final String reveal() {
        return value;
    }

    /** The form that may be shown, logged and stored in clear. */
    public abstract String masked();

    /** Masks all but the first {@code head} and last {@code tail} characters with {@code *}. */
    static String mask(String clear, int head, int tail) {
        if (clear.length() <= head + tail) {
            // Too short to keep both ends without revealing most of it: keep at most the last quarter.
            int keep = Math.min(tail, clear.length() / 4);
            return "*".repeat(clear.length() - keep) + clear.substring(clear.length() - keep);
        }
        return clear.substring(0, head) + "*".repeat(clear.length() - head - tail)
                + clear.substring(clear.length() - tail);
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((SensitiveNumber) other).value.equals(value);
    }

    @Override
    public final int hashCode() {
        return value.hashCode();
    }

    @Override
    public final String toString() {
        return masked();
    }
}
