package io.posunbind.audit;

import io.posunbind.internal.audit.AuditHashing;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed statement that the audit trail had {@code headHash} as the hash of its record {@code sequence}:
 * every record up to it is then fixed, since changing one changes the head. Signed with Ed25519 over
 * {@code enc("posunbind/audit/checkpoint/v1", sequence, headHash, time, keyId)} (see {@link AuditRecord}
 * for {@code enc}), so neither the key id nor the time can be swapped without breaking the signature.
 *
 * <p>Immutable. Only nulls are refused, so that a tampered checkpoint can be read and reported.
 *
 * @param sequence  the sequence of the last record covered
 * @param headHash  that record's hash
 * @param time      when the checkpoint was signed
 * @param keyId     the id of the signing key
 * @param signature the Ed25519 signature, base64 (standard alphabet, padded)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Checkpoint(long sequence, String headHash, Instant time, String keyId, String signature) {

    /** Checks that no field is null. */
    public Checkpoint {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
    }

    /** Signs a chain head with a key. */
    public static Checkpoint sign(long sequence, String headHash, Instant time, AuditSigningKey key) {
        Objects.requireNonNull(key, "key");
        byte[] signature = key.sign(AuditHashing.checkpointMessage(sequence, headHash, time, key.keyId()));
        return new Checkpoint(sequence, headHash, time, key.keyId(), Base64.getEncoder().encodeToString(signature));
    }

    /** The bytes the signature covers. */
    public byte[] signedMessage() {
        return AuditHashing.checkpointMessage(sequence, headHash, time, keyId);
    }

    /**
     * Whether the key has this checkpoint's key id and the signature is its signature; false also when the
     * signature is not valid base64.
     */
    public boolean isSignedBy(AuditPublicKey key) {
        Objects.requireNonNull(key, "key");
        if (!key.keyId().equals(keyId)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return key.verifies(signedMessage(), decoded);
    }
}
