package io.posunbind.audit;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.util.List;
import java.util.Optional;

/**
 * Where the audit trail's keys come from: the key that signs new checkpoints, and the public keys of every
 * key that ever signed one, so that old checkpoints stay verifiable after a rotation.
 * {@link FileAuditKeyProvider} is the file-based default; implement this interface to keep keys in an HSM
 * or a KMS (return an {@link AuditSigningKey} that signs remotely).
 *
 * <p>Implementations must be thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface AuditKeyProvider {

    /**
     * The key that signs new checkpoints.
     *
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} when
     *         there is no signing key (a provider for verification only) or it cannot be read
     */
    AuditSigningKey currentSigningKey();

    /** The public key with this id, current or retired. */
    Optional<AuditPublicKey> publicKey(String keyId);

    /** Every public key, current and retired, ordered by key id. */
    List<AuditPublicKey> publicKeys();
}
