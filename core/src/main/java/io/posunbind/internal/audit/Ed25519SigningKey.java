package io.posunbind.internal.audit;

import io.posunbind.audit.AuditPublicKey;
import io.posunbind.audit.AuditSigningKey;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** An Ed25519 private key held in memory. Immutable and thread-safe; {@link #toString()} shows the id only. */
public final class Ed25519SigningKey implements AuditSigningKey {

    private final String keyId;
    private final Ed25519PrivateKeyParameters key;
    private final AuditPublicKey publicKey;

    private Ed25519SigningKey(String keyId, Ed25519PrivateKeyParameters key) {
        this.keyId = AuditFields.keyId(keyId);
        this.key = Objects.requireNonNull(key, "key");
        this.publicKey = new AuditPublicKey(keyId, Ed25519Keys.publicKeyPem(key.generatePublicKey()));
    }

    /** A new random key. */
    public static Ed25519SigningKey generate(String keyId) {
        return new Ed25519SigningKey(keyId, Ed25519Keys.generate());
    }

    /** A key read from PKCS#8 PEM. */
    public static Ed25519SigningKey fromPem(String keyId, String pem) {
        Objects.requireNonNull(pem, "pem");
        return new Ed25519SigningKey(keyId, Ed25519Keys.readPrivateKeyPem(pem));
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public AuditPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        return Ed25519Keys.sign(key, Objects.requireNonNull(message, "message"));
    }

    /** The private key as PKCS#8 PEM, to write to the key's file. */
    public String privateKeyPem() {
        return Ed25519Keys.privateKeyPem(key);
    }

    @Override
    public String toString() {
        return "Ed25519SigningKey[" + keyId + "]";
    }
}
