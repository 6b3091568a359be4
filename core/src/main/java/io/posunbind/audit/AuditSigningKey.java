package io.posunbind.audit;

import io.posunbind.internal.audit.Ed25519SigningKey;
import io.posunbind.spi.API;

/**
 * The key that signs checkpoints: an Ed25519 private key and its id. An interface so that a key kept in an
 * HSM or a cloud KMS can sign without its private part ever reaching the process; the built-in
 * implementation ({@link #generate}, {@link #fromPkcs8Pem}) holds the key in memory and never prints it.
 *
 * <p>Implementations must be thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface AuditSigningKey {

    /** The key's id, written into every checkpoint it signs. */
    String keyId();

    /** The public half, with the same id. */
    AuditPublicKey publicKey();

    /** The Ed25519 signature (64 bytes) of a message. */
    byte[] sign(byte[] message);

    /** A new random Ed25519 key. */
    static AuditSigningKey generate(String keyId) {
        return Ed25519SigningKey.generate(keyId);
    }

    /**
     * Reads an Ed25519 private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as written by
     * {@code openssl genpkey -algorithm ed25519}.
     *
     * @throws IllegalArgumentException when the text is not an unencrypted PKCS#8 Ed25519 private key
     */
    static AuditSigningKey fromPkcs8Pem(String keyId, String pem) {
        return Ed25519SigningKey.fromPem(keyId, pem);
    }
}
