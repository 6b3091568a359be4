package io.posunbind.callback;

import io.posunbind.internal.crypto.Sm2WithSm3;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.Arrays;

/**
 * The keys a {@link CallbackVerifier} trusts, per provider and per scheme (several during a rotation), and
 * whether a signature matches one of them. A {@link CallbackVerifier.Builder} adds to a mutable instance;
 * {@link #frozen()} gives the verifier an immutable, thread-safe copy. {@link #toString()} names providers,
 * never keys.
 */
final class ProviderKeys {

    private final Map<String, List<byte[]>> hmacSecrets;
    private final Map<String, List<Ed25519PublicKeyParameters>> ed25519Keys;
    private final Map<String, List<Sm2Key>> sm2Keys;

    /** An empty, mutable set of keys, for a builder. */
    ProviderKeys() {
        this(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    private ProviderKeys(Map<String, List<byte[]>> hmacSecrets,
            Map<String, List<Ed25519PublicKeyParameters>> ed25519Keys, Map<String, List<Sm2Key>> sm2Keys) {
        this.hmacSecrets = hmacSecrets;
        this.ed25519Keys = ed25519Keys;
        this.sm2Keys = sm2Keys;
    }

    /** An immutable copy, which later additions to this one do not change. */
    ProviderKeys frozen() {
        return new ProviderKeys(copy(hmacSecrets), copy(ed25519Keys), copy(sm2Keys));
    }

    /** Adds an HMAC-SHA256 secret of at least {@value CallbackVerifier#MIN_HMAC_SECRET_BYTES} bytes, copied. */
    void addHmacSha256(String providerId, byte[] secret) {
        if (secret.length < CallbackVerifier.MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("An HMAC secret for " + providerId + " has at least "
                    + CallbackVerifier.MIN_HMAC_SECRET_BYTES + " bytes");
        }
        hmacSecrets.computeIfAbsent(providerId, id -> new ArrayList<>()).add(secret.clone());
    }

    /** Adds an Ed25519 public key: the raw 32 bytes, or an X.509 {@code SubjectPublicKeyInfo} in DER. */
    void addEd25519(String providerId, byte[] publicKey) {
        ed25519Keys.computeIfAbsent(providerId, id -> new ArrayList<>()).add(ed25519Key(providerId, publicKey));
    }

    /** Adds an SM2 public key (PEM) with the user id the provider signs under. */
    void addSm2Sm3(String providerId, String publicKeyPem, String userId) {
        sm2Keys.computeIfAbsent(providerId, id -> new ArrayList<>()).add(Sm2Key.read(providerId, publicKeyPem, userId));
    }

    /** Whether no key of any scheme was added. */
    boolean isEmpty() {
        return hmacSecrets.isEmpty() && ed25519Keys.isEmpty() && sm2Keys.isEmpty();
    }

    /** Whether a key of this scheme is configured for the provider. */
    boolean knows(String providerId, SignatureScheme scheme) {
        return !keysOf(providerId, scheme).isEmpty();
    }

    /**
     * Whether the signature over the content matches a key of the provider in this scheme.
     *
     * @param sm2Signatures for {@link SignatureScheme#SM2_SM3}, the DER forms the signature may stand for
     */
    boolean verifies(String providerId, SignatureScheme scheme, byte[] content, byte[] signature,
            List<byte[]> sm2Signatures) {
        return switch (scheme) {
            case HMAC_SHA256 -> hmacMatches(hmacSecrets.getOrDefault(providerId, List.of()), content, signature);
            case ED25519 -> ed25519Matches(ed25519Keys.getOrDefault(providerId, List.of()), content, signature);
            case SM2_SM3 -> sm2Matches(sm2Keys.getOrDefault(providerId, List.of()), content, sm2Signatures);
            case PROVIDER_NATIVE -> false;
        };
    }

    private List<?> keysOf(String providerId, SignatureScheme scheme) {
        return switch (scheme) {
            case HMAC_SHA256 -> hmacSecrets.getOrDefault(providerId, List.of());
            case ED25519 -> ed25519Keys.getOrDefault(providerId, List.of());
            case SM2_SM3 -> sm2Keys.getOrDefault(providerId, List.of());
            case PROVIDER_NATIVE -> List.of();
        };
    }

    /** The providers per scheme, never a key. */
    @Override
    public String toString() {
        return "hmacSha256=" + hmacSecrets.keySet() + ", ed25519=" + ed25519Keys.keySet() + ", sm2Sm3="
                + sm2Keys.keySet();
    }

    private static boolean hmacMatches(List<byte[]> secrets, byte[] content, byte[] signature) {
        boolean matched = false;
        for (byte[] secret : secrets) {
            HMac mac = new HMac(new SHA256Digest());
            mac.init(new KeyParameter(secret));
            mac.update(content, 0, content.length);
            byte[] expected = new byte[mac.getMacSize()];
            mac.doFinal(expected, 0);
            // Every secret is tried and compared in constant time, so timing says nothing about the tag.
            matched |= Arrays.constantTimeAreEqual(expected, signature);
        }
        return matched;
    }

    private static boolean ed25519Matches(List<Ed25519PublicKeyParameters> keys, byte[] content, byte[] signature) {
        for (Ed25519PublicKeyParameters key : keys) {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key);
            verifier.update(content, 0, content.length);
            if (verifier.verifySignature(signature)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sm2Matches(List<Sm2Key> keys, byte[] content, List<byte[]> signatures) {
        for (Sm2Key key : keys) {
            for (byte[] signature : signatures) {
                if (Sm2WithSm3.verify(key.publicKey(), key.userId(), content, signature)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Ed25519PublicKeyParameters ed25519Key(String providerId, byte[] encoded) {
        if (encoded.length == Ed25519PublicKeyParameters.KEY_SIZE) {
            return new Ed25519PublicKeyParameters(encoded, 0);
        }
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(encoded);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The Ed25519 key for " + providerId
                    + " is neither 32 raw bytes nor an X.509 SubjectPublicKeyInfo", e);
        }
        if (!(key instanceof Ed25519PublicKeyParameters ed25519)) {
            throw new IllegalArgumentException("The key for " + providerId + " is not an Ed25519 public key");
        }
        return ed25519;
    }

    private static <T> Map<String, List<T>> copy(Map<String, List<T>> keys) {
        Map<String, List<T>> copy = new HashMap<>();
        keys.forEach((provider, list) -> copy.put(provider, List.copyOf(list)));
        return Map.copyOf(copy);
    }
}
