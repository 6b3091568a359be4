package io.posunbind.keys;

import io.posunbind.spi.API;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keys given in code: the current key plus any retired ones still needed to read old data. Use it when
 * the application fetches or unwraps its keys itself (a KMS, a vault, an environment variable).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * DataKeyProvider keys = StaticDataKeyProvider.of(
 *         DataKey.fromBase64("2025-06", kms.decrypt(wrapped2025_06)),   // current
 *         DataKey.fromBase64("2025-01", kms.decrypt(wrapped2025_01)));  // retired, still readable
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class StaticDataKeyProvider implements DataKeyProvider {

    private final DataKey current;
    private final Map<String, DataKey> byId;

    private StaticDataKeyProvider(DataKey current, List<DataKey> retired) {
        this.current = Objects.requireNonNull(current, "current");
        Map<String, DataKey> keys = new LinkedHashMap<>();
        keys.put(current.id(), current);
        for (DataKey key : retired) {
            Objects.requireNonNull(key, "retired key");
            DataKey previous = keys.putIfAbsent(key.id(), key);
            if (previous != null && !previous.equals(key)) {
                throw new IllegalArgumentException("Two different data keys have the id " + key.id()
                        + "; a key id must always name the same key");
            }
        }
        this.byId = Map.copyOf(keys);
    }

    /** A provider with a current key and the retired keys that old data may still name. */
    public static StaticDataKeyProvider of(DataKey current, DataKey... retired) {
        Objects.requireNonNull(retired, "retired");
        return new StaticDataKeyProvider(current, List.of(retired));
    }

    /** A provider with a current key and the retired keys that old data may still name. */
    public static StaticDataKeyProvider of(DataKey current, List<DataKey> retired) {
        Objects.requireNonNull(retired, "retired");
        return new StaticDataKeyProvider(current, List.copyOf(retired));
    }

    @Override
    public DataKey currentKey() {
        return current;
    }

    @Override
    public Optional<DataKey> key(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return Optional.ofNullable(byId.get(keyId));
    }

    /** The key ids, never the keys. */
    @Override
    public String toString() {
        return "StaticDataKeyProvider[current=" + current.id() + ", keys=" + byId.keySet().stream().sorted().toList()
                + "]";
    }
}
