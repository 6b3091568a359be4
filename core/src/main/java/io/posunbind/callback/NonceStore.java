package io.posunbind.callback;

import io.posunbind.spi.API;
import java.time.Instant;

/**
 * Remembers which callback nonces were spent, so that a replayed callback is refused. A nonce is spent
 * once its callback was acted on or refused for good; a callback refused for a passing reason (the case
 * was busy, a store was down) leaves its nonce unspent, so that the sender's retry is accepted. A nonce
 * must be remembered until its callback's timestamp has left the verifier's window; after that the window
 * refuses the replay by itself, so the store may forget it.
 *
 * <p>{@link InMemoryNonceStore} serves one process. Several processes behind a load balancer need a
 * shared store, such as {@code JdbcCaseStore.callbackNonces()}: a table with a primary key on provider
 * and nonce, inserting and treating a duplicate-key error as a replay.
 *
 * <p>Implementations must be thread-safe and {@link #markUsed} atomic: of two concurrent calls with the
 * same provider and nonce, at most one may answer {@code true}. That answer decides which of two
 * concurrent deliveries of one callback counts; the other is refused as a replay.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface NonceStore {

    /**
     * Whether a nonce was spent and has not expired; records nothing. A quick look before acting: only
     * {@link #markUsed} decides between two concurrent deliveries.
     *
     * @param providerId the provider whose nonce it is
     * @param nonce      the nonce
     * @param now        the verifier's current time: a nonce recorded to expire before it counts as unspent
     * @return {@code true} when the nonce is recorded and has not expired
     * @throws RuntimeException when the store cannot answer; the verifier then refuses the callback with
     *         the retryable {@code UNB-CALLBACK-NONCE-STORE-UNAVAILABLE}
     */
    boolean isUsed(String providerId, String nonce, Instant now);

    /**
     * Records a nonce as spent unless it already is, atomically.
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
