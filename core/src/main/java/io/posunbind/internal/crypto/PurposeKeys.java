package io.posunbind.internal.crypto;

import io.posunbind.CoreErrorCode;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.PosUnbindException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys for one purpose (backups, encrypted fields), derived with HKDF-SHA256 from the application's
 * {@link DataKey}s. One data key can so serve several purposes without the same AES key ever encrypting
 * two kinds of data, and each purpose spends its own budget of random nonces.
 *
 * <p>Thread-safe; derived keys are cached per key id.
 */
public final class PurposeKeys {

    private static final byte[] SALT = "posunbind data key v1".getBytes(StandardCharsets.US_ASCII);

    private final DataKeyProvider provider;
    private final byte[] info;
    private final ConcurrentMap<String, Derived> cache = new ConcurrentHashMap<>();

    /**
     * @param provider the application's data keys
     * @param purpose  a fixed label for the purpose, for example {@code "posunbind/backup"}
     */
    public PurposeKeys(DataKeyProvider provider, String purpose) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.info = Objects.requireNonNull(purpose, "purpose").getBytes(StandardCharsets.UTF_8);
    }

    /** A derived key with the id of the data key it comes from. */
    public record Key(String id, byte[] material) {

        /** The id only. */
        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /** The derived key of the provider's current data key. */
    public Key current() {
        DataKey key = Objects.requireNonNull(provider.currentKey(), "the key provider's current key");
        return new Key(key.id(), derived(key));
    }

    /**
     * The derived key of the data key with this id.
     *
     * @throws PosUnbindException {@link CoreErrorCode#DATA_KEY_UNKNOWN} when the provider does not know the id
     */
    public Key byId(String keyId, String whatNeedsIt) {
        DataKey key = provider.key(keyId).orElseThrow(() -> new PosUnbindException(CoreErrorCode.DATA_KEY_UNKNOWN,
                whatNeedsIt + " was encrypted with data key " + keyId + ", which the key provider does not have;"
                        + " give the provider that key again (keep retired keys as long as their data is kept)"));
        return new Key(key.id(), derived(key));
    }

    /** Whether the provider knows a key with this id. */
    public boolean knows(String keyId) {
        return provider.key(keyId).isPresent();
    }

    private byte[] derived(DataKey key) {
        Derived cached = cache.get(key.id());
        // Re-derive if a provider ever hands out other material under a cached id.
        if (cached == null || !cached.source.equals(key)) {
            cached = new Derived(key, derive(key));
            cache.put(key.id(), cached);
        }
        return cached.material;
    }

    private byte[] derive(DataKey key) {
        byte[] input = key.material();
        try {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(input, SALT, info));
            byte[] out = new byte[AesGcm.KEY_BYTES];
            hkdf.generateBytes(out, 0, out.length);
            return out;
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    private record Derived(DataKey source, byte[] material) {
    }
}
