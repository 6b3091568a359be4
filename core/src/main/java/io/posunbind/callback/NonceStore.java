package io.posunbind.callback;

import java.time.Instant;

/**
 * Remembers which callback nonces were used, so that a replayed callback is refused. A nonce must be
 * remembered until its callback's timestamp has left the verifier's window; after that the window
 * refuses the replay by itself, so the store may forget it.
 *
 * <p>{@link InMemoryNonceStore} serves one process. Several processes behind a load balancer need a
 * shared store (for example a table with a primary key on provider and nonce, inserting and treating a
 * duplicate-key error as a replay).
 *
 * <p>Implementations must be thread-safe and atomic: of two concurrent calls with the same provider and
 * nonce, at most one may answer {@code true}.
 */
public interface NonceStore {

    /**
     * Records a nonce as used unless it already is.
     *
     * @param providerId the provider whose nonce it is (nonces are unique per provider only)
     * @param nonce      the nonce
     * @param expiresAt  when the store may forget it
     * @param now        the verifier's current time, to expire older entries by
     * @return {@code true} when the nonce was new and is now recorded; {@code false} when it was recorded
     *         before and has not expired: a replay
     * @throws RuntimeException when the store cannot answer (full, unreachable); the verifier then refuses
     *         the callback with the retryable {@code UNB-CALLBACK-NONCE-STORE-UNAVAILABLE}
     */
    boolean markUsed(String providerId, String nonce, Instant expiresAt, Instant now);
}
