package io.posunbind.callback;

import io.posunbind.spi.API;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs callbacks the way {@link CallbackVerifier} expects (see {@link Callback} for the canonical content):
 * for tests, sandboxes and the examples, and as a reference for provider engineers.
 *
 * <pre>{@code
 * byte[] secret = CallbackSigner.newHmacSecret(new SecureRandom());
 * CallbackSigner signer = CallbackSigner.hmacSha256("acme", secret);
 * Callback callback = signer.sign("7c1f0e2a", clock.instant(), "{\"status\":\"APPROVED\"}");
 * }</pre>
 *
 * <p>Immutable and thread-safe; the key is copied in and never shown.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class CallbackSigner {

    private final String providerId;
    private final SignatureScheme scheme;
    private final byte[] key;

    private CallbackSigner(String providerId, SignatureScheme scheme, byte[] key) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.scheme = scheme;
        this.key = key.clone();
    }

    /** A signer using HMAC-SHA256 under a shared secret. */
    public static CallbackSigner hmacSha256(String providerId, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < CallbackVerifier.MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("An HMAC secret has at least " + CallbackVerifier.MIN_HMAC_SECRET_BYTES
                    + " bytes");
        }
        return new CallbackSigner(providerId, SignatureScheme.HMAC_SHA256, secret);
    }

    /** A signer using Ed25519 under a private key given as its 32-byte seed (RFC 8032). */
    public static CallbackSigner ed25519(String providerId, byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("An Ed25519 private key has 32 bytes");
        }
        return new CallbackSigner(providerId, SignatureScheme.ED25519, privateKey);
    }

    /** 32 random bytes for a new HMAC secret. */
    public static byte[] newHmacSecret(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return secret;
    }

    /** A new Ed25519 private key (32 bytes). */
    public static byte[] newEd25519PrivateKey(SecureRandom random) {
        return new Ed25519PrivateKeyParameters(random).getEncoded();
    }

    /** The raw 32-byte public key of an Ed25519 private key, to configure a verifier with. */
    public static byte[] ed25519PublicKey(byte[] privateKey) {
        return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }

    /** The provider this signer signs for. */
    public String providerId() {
        return providerId;
    }

    /** The scheme this signer uses. */
    public SignatureScheme scheme() {
        return scheme;
    }

    /**
     * A signed callback. The timestamp is truncated to whole seconds, as it is signed.
     */
    public Callback sign(String nonce, Instant timestamp, String body) {
        Instant seconds = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.SECONDS);
        return new Callback(providerId, nonce, seconds, body, signature(nonce, seconds, body), scheme);
    }

    /** The base64 signature of a callback's canonical content. */
    public String signature(String nonce, Instant timestamp, String body) {
        byte[] content = Callback.canonicalBytes(providerId, nonce, timestamp, body);
        byte[] signature;
        if (scheme == SignatureScheme.HMAC_SHA256) {
            HMac mac = new HMac(new SHA256Digest());
            mac.init(new KeyParameter(key));
            mac.update(content, 0, content.length);
            signature = new byte[mac.getMacSize()];
            mac.doFinal(signature, 0);
        } else {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(key, 0));
            signer.update(content, 0, content.length);
            signature = signer.generateSignature();
        }
        return Base64.getEncoder().encodeToString(signature);
    }

    /** The provider and scheme, never the key. */
    @Override
    public String toString() {
        return "CallbackSigner[" + providerId + ", " + scheme.id() + "]";
    }
}
