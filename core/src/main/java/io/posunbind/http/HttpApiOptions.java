package io.posunbind.http;

import io.posunbind.spi.API;

/**
 * What an {@link UnbindHttpApi} accepts: the largest request body, and whether the case commands and the
 * provider callbacks are served at all (a host may expose the callbacks on a public address and the
 * commands only on an internal one, with two instances).
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxBodyBytes     the largest request body in bytes, answered 413 above it; at least 1 (default 64 KiB)
 * @param commandsEnabled  whether the {@code /cases} routes are served (404 otherwise)
 * @param callbacksEnabled whether the {@code /callbacks/{providerId}} route is served (404 otherwise)
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record HttpApiOptions(int maxBodyBytes, boolean commandsEnabled, boolean callbacksEnabled) {

    /** The default body limit: 64 KiB, as much as a callback may carry. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    /**
     * Checks the limit.
     *
     * @throws IllegalArgumentException when {@code maxBodyBytes} is below 1
     */
    public HttpApiOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
        }
    }

    /**
     * Returns 64 KiB bodies, commands and callbacks both served.
     *
     * @return the default options
     */
    public static HttpApiOptions defaults() {
        return new HttpApiOptions(DEFAULT_MAX_BODY_BYTES, true, true);
    }
}
