package io.posunbind.callback;

import static io.posunbind.callback.CallbackShape.describe;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link CallbackVerifier}'s replay check on its {@link NonceStore}: whether a nonce was spent, and spending
 * it, with the verifier's refusals. It fails closed: a store that cannot answer refuses the callback with the
 * retryable {@code UNB-CALLBACK-NONCE-STORE-UNAVAILABLE}. Thread-safe as its store is.
 */
final class SpentNonces {

    private final NonceStore store;

    SpentNonces(NonceStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Refuses a nonce spent before.
     *
     * @throws CallbackRejectedException {@code UNB-CALLBACK-REPLAYED}, or the store's unavailability
     */
    void requireUnspent(String providerId, String nonce, Instant now) {
        boolean used;
        try {
            used = store.isUsed(providerId, nonce, now);
        } catch (RuntimeException e) {
            throw storeUnavailable(providerId, nonce, e);
        }
        if (used) {
            throw replayed(providerId, nonce);
        }
    }

    /**
     * Spends a nonce, kept until {@code keepUntil}; of two concurrent spends exactly one succeeds.
     *
     * @throws CallbackRejectedException {@code UNB-CALLBACK-REPLAYED}, or the store's unavailability
     */
    void spend(String providerId, String nonce, Instant keepUntil, Instant now) {
        boolean fresh;
        try {
            fresh = store.markUsed(providerId, nonce, keepUntil, now);
        } catch (RuntimeException e) {
            throw storeUnavailable(providerId, nonce, e);
        }
        if (!fresh) {
            throw replayed(providerId, nonce);
        }
    }

    @Override
    public String toString() {
        return store.toString();
    }

    private static CallbackRejectedException replayed(String providerId, String nonce) {
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAYED, describe(providerId, nonce)
                + ": this nonce was used before; a callback is accepted once", providerId, nonce);
    }

    private static CallbackRejectedException storeUnavailable(String providerId, String nonce, RuntimeException e) {
        // Fail closed: without a replay check the callback cannot be accepted.
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE,
                describe(providerId, nonce) + ": the nonce store cannot check for a replay ("
                        + (e instanceof PosUnbindException coded ? coded.errorCode().code()
                        : e.getClass().getSimpleName()) + "); send it again later", providerId, nonce);
    }
}
