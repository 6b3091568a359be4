package io.posunbind.audit;

import io.posunbind.internal.audit.AuditFields;
import io.posunbind.internal.audit.Ed25519Keys;
import io.posunbind.spi.API;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * An Ed25519 public key that verifies checkpoints, with the id its checkpoints name. The key is kept as an
 * X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), the form {@code openssl pkey -pubout}
 * writes, so people can compare it with the key the operator published.
 *
 * <p>Immutable and thread-safe.
 *
 * @param keyId the key's id: 1 to 64 of {@code [A-Za-z0-9._-]}, starting with a letter or digit
 * @param pem   the key as PEM; normalised to the canonical form (64-character lines, {@code \n} line ends)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record AuditPublicKey(String keyId, String pem) {

    /**
     * Checks the id and reads the key.
     *
     * @throws IllegalArgumentException when the id is malformed or the PEM is not an Ed25519 public key
     */
    public AuditPublicKey {
        AuditFields.keyId(keyId);
        Objects.requireNonNull(pem, "pem");
        pem = Ed25519Keys.publicKeyPem(Ed25519Keys.readPublicKeyPem(pem));
    }

    /** Reads a key from its PEM text. */
    public static AuditPublicKey fromPem(String keyId, String pem) {
        return new AuditPublicKey(keyId, pem);
    }

    /**
     * The SHA-256 of the key's DER encoding in hex, to compare with a published fingerprint; the same as
     * {@code openssl pkey -pubin -in key.pub.pem -outform DER | sha256sum}.
     */
    public String fingerprint() {
        return Ed25519Keys.fingerprint(parameters());
    }

    /** Whether the signature is this key's Ed25519 signature of the message. */
    public boolean verifies(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        return Ed25519Keys.verify(parameters(), message, signature);
    }

    /** Whether both keys are the same key, whatever their ids. */
    public boolean sameKeyAs(AuditPublicKey other) {
        return pem.equals(other.pem);
    }

    Ed25519PublicKeyParameters parameters() {
        return Ed25519Keys.readPublicKeyPem(pem);
    }
}
