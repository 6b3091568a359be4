package io.posunbind.http;

import io.posunbind.spi.API;

/**
 * What an {@link UnbindHttpApi} accepts: the largest request body, the largest batch upload, and whether the
 * case and batch commands and the provider callbacks are served at all (a host may expose the callbacks on a
 * public address and the commands only on an internal one, with two instances).
 *
 * <p>A batch upload ({@code POST /batches}) is the one body that is legitimately large: up to
 * {@link io.posunbind.batch.Batches#MAX_ROWS} rows, about 100 to 250 bytes each as CSV, so it has its own
 * limit, {@value #DEFAULT_MAX_BATCH_BODY_BYTES} bytes by default. A host that forwards batch uploads reads at
 * most {@link #largestBodyBytes()} {@code + 1} bytes of a body; every other route is still held to
 * {@code maxBodyBytes}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxBodyBytes     the largest request body in bytes, answered 413 above it; at least 1 (default 64 KiB)
 * @param commandsEnabled  whether the {@code /cases} and {@code /batches} routes are served (404 otherwise)
 * @param callbacksEnabled whether the {@code /callbacks/{providerId}} route is served (404 otherwise)
 * @param maxBatchBodyBytes the largest body of {@code POST /batches} in bytes, answered 413 above it; at least 1
 *                          (default {@value #DEFAULT_MAX_BATCH_BODY_BYTES}, 32 MiB)
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record HttpApiOptions(int maxBodyBytes, boolean commandsEnabled, boolean callbacksEnabled,
        int maxBatchBodyBytes) {

    /** The default body limit: 64 KiB, as much as a callback may carry. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    /**
     * The default limit of a batch upload: 32 MiB, room for {@code Batches.MAX_ROWS} rows of some 330 bytes as
     * CSV (fleet files have 100 to 250), or of the same rows as JSON with shorter notes. It is held in memory
     * while the rows are read, as the rows are.
     */
    public static final int DEFAULT_MAX_BATCH_BODY_BYTES = 32 * 1024 * 1024;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when {@code maxBodyBytes} or {@code maxBatchBodyBytes} is below 1
     */
    public HttpApiOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
        }
        if (maxBatchBodyBytes < 1) {
            throw new IllegalArgumentException("maxBatchBodyBytes must be at least 1, was " + maxBatchBodyBytes);
        }
    }

    /**
     * Options with the default batch upload limit, {@value #DEFAULT_MAX_BATCH_BODY_BYTES} bytes.
     *
     * @param maxBodyBytes     the largest request body of every route but {@code POST /batches}
     * @param commandsEnabled  whether the {@code /cases} and {@code /batches} routes are served
     * @param callbacksEnabled whether the {@code /callbacks/{providerId}} route is served
     * @throws IllegalArgumentException when {@code maxBodyBytes} is below 1
     */
    public HttpApiOptions(int maxBodyBytes, boolean commandsEnabled, boolean callbacksEnabled) {
        this(maxBodyBytes, commandsEnabled, callbacksEnabled, DEFAULT_MAX_BATCH_BODY_BYTES);
    }

    /**
     * These options with another limit for batch uploads.
     *
     * @param bytes the largest body of {@code POST /batches}, at least 1
     * @return the new options
     */
    public HttpApiOptions withMaxBatchBodyBytes(int bytes) {
        return new HttpApiOptions(maxBodyBytes, commandsEnabled, callbacksEnabled, bytes);
    }

    /**
     * The most bytes any route accepts: a host reads at most one byte more of a body, so that a larger one is
     * answered 413 without being held.
     *
     * @return the larger of the two limits
     */
    public int largestBodyBytes() {
        return Math.max(maxBodyBytes, maxBatchBodyBytes);
    }

    /**
     * Returns 64 KiB bodies, 32 MiB batch uploads, commands and callbacks both served.
     *
     * @return the default options
     */
    public static HttpApiOptions defaults() {
        return new HttpApiOptions(DEFAULT_MAX_BODY_BYTES, true, true);
    }
}
