package io.posunbind.spi;

import java.util.Objects;

/**
 * A credential read from {@link ProviderSettings}: an API key, an HMAC key, a client secret. Its
 * {@link #toString()} never shows the value, so a secret logged by accident, put in an exception message
 * or dumped with its provider stays hidden; only {@link #reveal()} hands it out, at the point where the
 * adapter signs or authenticates a request.
 *
 * <p>Immutable and thread-safe. Equality is identity: compare revealed values yourself where you must,
 * in constant time.
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a credential.
     *
     * @throws IllegalArgumentException when it is empty (the message does not contain it)
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("A secret must not be empty");
        }
        return new Secret(value);
    }

    /** The credential itself; use it where the provider's API needs it and keep it out of logs. */
    public String reveal() {
        return value;
    }

    /** Always {@code "Secret[****]"}, whatever the value. */
    @Override
    public String toString() {
        return "Secret[****]";
    }
}
