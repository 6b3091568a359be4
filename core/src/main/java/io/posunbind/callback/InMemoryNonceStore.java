package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link NonceStore} in memory, for one process, with bounded memory: it holds at most
 * {@code capacity} unexpired nonces and forgets each as soon as it expires. When full of unexpired
 * nonces it refuses new ones (the verifier answers the retryable {@code UNB-CALLBACK-NONCE-STORE-UNAVAILABLE})
 * rather than forget a nonce early, which would let a replay through. At about 200 bytes per entry the
 * default capacity of 100,000 costs some 20 MB, enough for over 300 callbacks a second in a 5-minute window.
 *
 * <p>Thread-safe; calls are serialized, each costs O(log n).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class InMemoryNonceStore implements NonceStore {

    /** The default capacity. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final Map<String, Instant> expiries = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>();

    /** A store holding up to {@value #DEFAULT_CAPACITY} nonces. */
    public InMemoryNonceStore() {
        this(DEFAULT_CAPACITY);
    }

    /** A store holding up to {@code capacity} unexpired nonces. */
    public InMemoryNonceStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean isUsed(String providerId, String nonce, Instant now) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(now, "now");
        forgetExpired(now);
        return expiries.containsKey(key(providerId, nonce));
    }

    @Override
    public synchronized boolean markUsed(String providerId, String nonce, Instant expiresAt, Instant now) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(now, "now");
        forgetExpired(now);
        String key = key(providerId, nonce);
        if (expiries.containsKey(key)) {
            return false;
        }
        if (expiries.size() >= capacity) {
            throw new PosUnbindException(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE, "The nonce store holds "
                    + capacity + " unexpired nonces and cannot take more; send the callback again later, or give the"
                    + " verifier a larger store");
        }
        expiries.put(key, expiresAt);
        byExpiry.add(new Entry(expiresAt, key));
        return true;
    }

    private static String key(String providerId, String nonce) {
        // The line feed cannot occur in a provider id, so the key is unambiguous.
        return providerId + "\n" + nonce;
    }

    /** How many nonces are held, expired ones included until the next call forgets them. */
    public synchronized int size() {
        return expiries.size();
    }

    private void forgetExpired(Instant now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt.isBefore(now)) {
            expiries.remove(byExpiry.poll().key);
        }
    }

    @Override
    public synchronized String toString() {
        return "InMemoryNonceStore[" + expiries.size() + "/" + capacity + "]";
    }

    private record Entry(Instant expiresAt, String key) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            return expiresAt.compareTo(other.expiresAt);
        }
    }
}
