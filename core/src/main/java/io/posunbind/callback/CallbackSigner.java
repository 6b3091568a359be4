package io.posunbind.callback;

import io.posunbind.internal.crypto.Sm2WithSm3;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.util.BigIntegers;

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
 * <p>An SM2 signer ({@link #sm2Sm3}) signs with a fresh random k from a {@link SecureRandom} each time, so
 * two signatures of the same callback differ; both verify.
 *
 * <p>Immutable and thread-safe; the key is copied in and never shown.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class CallbackSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String providerId;
    private final SignatureScheme scheme;
    /** The HMAC secret, the Ed25519 seed, or the SM2 private scalar (32 bytes, big-endian). */
    private final byte[] key;
    /** The SM2 user id's bytes; empty for the other schemes. */
    private final byte[] sm2UserId;

    private CallbackSigner(String providerId, SignatureScheme scheme, byte[] key, byte[] sm2UserId) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.scheme = scheme;
        this.key = key.clone();
        this.sm2UserId = sm2UserId.clone();
    }

    private CallbackSigner(String providerId, SignatureScheme scheme, byte[] key) {
        this(providerId, scheme, key, new byte[0]);
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

    /**
     * A signer using SM2 over SM3 (GM/T 0009) with the default user id
     * {@value CallbackVerifier#SM2_DEFAULT_USER_ID}; see {@link #sm2Sm3(String, String, String)}.
     */
    public static CallbackSigner sm2Sm3(String providerId, String privateKeyPem) {
        return sm2Sm3(providerId, privateKeyPem, CallbackVerifier.SM2_DEFAULT_USER_ID);
    }

    /**
     * A signer using SM2 over SM3 (GM/T 0009) under a private key on the curve {@code sm2p256v1}, given as a
     * PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey -algorithm EC -pkeyopt
     * ec_paramgen_curve:SM2} writes it), with this user id in Z. Signatures are DER {@code SEQUENCE { r, s }}.
     *
     * @throws PosUnbindException {@code UNB-CALLBACK-KEY-INVALID} when the key or user id cannot be used; the
     *         message never quotes the key
     */
    public static CallbackSigner sm2Sm3(String providerId, String privateKeyPem, String userId) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(userId, "userId");
        ECPrivateKeyParameters key = Sm2Key.readOrRefuse(providerId, "private key",
                () -> Sm2WithSm3.readPrivateKeyPem(privateKeyPem));
        byte[] scalar = BigIntegers.asUnsignedByteArray(32, key.getD());
        try {
            return new CallbackSigner(providerId, SignatureScheme.SM2_SM3, scalar,
                    Sm2Key.userIdOrRefuse(providerId, userId));
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /** A new SM2 private key on {@code sm2p256v1}, as a PKCS#8 PEM. */
    public static String newSm2PrivateKeyPem(SecureRandom random) {
        return Sm2WithSm3.privateKeyPem(Sm2WithSm3.generate(random));
    }

    /**
     * The X.509 PEM public key of an SM2 private key, to configure a verifier with.
     *
     * @throws PosUnbindException {@code UNB-CALLBACK-KEY-INVALID} when the private key cannot be read
     */
    public static String sm2PublicKeyPem(String privateKeyPem) {
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        ECPrivateKeyParameters key = Sm2Key.readOrRefuse("this signer", "private key",
                () -> Sm2WithSm3.readPrivateKeyPem(privateKeyPem));
        return Sm2WithSm3.publicKeyPem(Sm2WithSm3.publicKey(key));
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
        } else if (scheme == SignatureScheme.ED25519) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(key, 0));
            signer.update(content, 0, content.length);
            signature = signer.generateSignature();
        } else {
            ECPrivateKeyParameters sm2 = new ECPrivateKeyParameters(new BigInteger(1, key), Sm2WithSm3.curve());
            signature = Sm2WithSm3.sign(sm2, sm2UserId, content, RANDOM);
        }
        return Base64.getEncoder().encodeToString(signature);
    }

    /** The provider and scheme, never the key. */
    @Override
    public String toString() {
        return "CallbackSigner[" + providerId + ", " + scheme.id() + "]";
    }
}
