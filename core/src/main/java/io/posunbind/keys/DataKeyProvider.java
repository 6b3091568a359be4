package io.posunbind.keys;

import io.posunbind.spi.API;
import java.util.Optional;

/**
 * Where posunbind finds the keys that encrypt backups and sensitive numbers at rest.
 *
 * <p>New data is always encrypted with {@link #currentKey()}; its id is stored next to the ciphertext.
 * Reading looks the key up again with {@link #key(String)}, so after a rotation the provider must keep
 * answering for retired ids as long as anything encrypted under them is kept (backups: the retention
 * period of the case; case documents: until they were rewritten under the new key).
 *
 * <p>Implementations must be thread-safe and should answer from memory: the engine asks for keys on
 * every stored document. Ship your own to fetch keys from a KMS or HSM at start-up; the built-in ones
 * are {@link StaticDataKeyProvider} and {@link DirectoryDataKeyProvider}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface DataKeyProvider {

    /** The key to encrypt new data with. */
    DataKey currentKey();

    /** The key with this id, current or retired, or empty when this provider does not know it. */
    Optional<DataKey> key(String keyId);
}
