package io.posunbind.internal.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * SM2 signatures over SM3 as GM/T 0009 (GB/T 35276) specifies them, through BouncyCastle's lightweight
 * API ({@link SM2Signer}, {@link SM3Digest}, {@link ParametersWithID}), with no JCE provider registered.
 * The signed digest is SM3(Z || message), where Z = SM3(ENTL || user id || a || b || xG || yG || xA || yA)
 * binds the signer's user id and public key; the user id is {@value #DEFAULT_USER_ID} unless the parties
 * agreed on another.
 *
 * <p>Keys are on the recommended curve {@code sm2p256v1} (GB/T 32918.5) and read from PEM in the forms
 * OpenSSL 3 writes for {@code -pkeyopt ec_paramgen_curve:SM2}: PKCS#8 {@code PRIVATE KEY} and X.509
 * SubjectPublicKeyInfo {@code PUBLIC KEY}, both with algorithm id-ecPublicKey and the named curve
 * 1.2.156.10197.1.301. A signature is written as the DER {@code SEQUENCE { r INTEGER, s INTEGER }} of
 * GM/T 0009; {@link #signatureCandidates} also reads the 64 bytes r || s that hardware signers (GM/T 0018)
 * give out.
 *
 * <p>Stateless and thread-safe: every call builds its own signer.
 */
public final class Sm2WithSm3 {

    /** The user id GM/T 0009 prescribes when the parties agreed on none. */
    public static final String DEFAULT_USER_ID = "1234567812345678";
    /** The longest user id: its bit length must fit ENTL's two bytes. */
    public static final int MAX_USER_ID_BYTES = 8191;
    /** The longest DER signature on a 256-bit curve: two 33-byte integers in a sequence. */
    public static final int MAX_DER_SIGNATURE_BYTES = 72;
    /** The shortest DER signature: two one-byte integers in a sequence. */
    public static final int MIN_DER_SIGNATURE_BYTES = 8;
    /** r || s, 32 bytes each, big-endian. */
    public static final int RAW_SIGNATURE_BYTES = 64;

    private static final ECNamedDomainParameters SM2P256V1 = new ECNamedDomainParameters(
            GMObjectIdentifiers.sm2p256v1, GMNamedCurves.getByOID(GMObjectIdentifiers.sm2p256v1));
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String PUBLIC_KEY = "PUBLIC KEY";

    private Sm2WithSm3() {
    }

    /** The domain parameters of the recommended curve {@code sm2p256v1}. */
    public static ECDomainParameters curve() {
        return SM2P256V1;
    }

    /**
     * A user id as the bytes that go into Z: its UTF-8 encoding.
     *
     * @throws IllegalArgumentException when it is empty or longer than {@value #MAX_USER_ID_BYTES} bytes
     */
    public static byte[] userId(String userId) {
        Objects.requireNonNull(userId, "userId");
        byte[] bytes = userId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_USER_ID_BYTES) {
            throw new IllegalArgumentException("An SM2 user id has 1 to " + MAX_USER_ID_BYTES + " bytes of UTF-8");
        }
        return bytes;
    }

    /** A new key pair's private half on {@code sm2p256v1}. */
    public static ECPrivateKeyParameters generate(SecureRandom random) {
        BigInteger upper = SM2P256V1.getN().subtract(BigInteger.TWO);
        BigInteger d;
        do {
            // GB/T 32918.1: the private key lies in [1, n-2].
            d = new BigInteger(SM2P256V1.getN().bitLength(), random);
        } while (d.signum() == 0 || d.compareTo(upper) > 0);
        return new ECPrivateKeyParameters(d, SM2P256V1);
    }

    /** The public key of a private key. */
    public static ECPublicKeyParameters publicKey(ECPrivateKeyParameters key) {
        return new ECPublicKeyParameters(key.getParameters().getG().multiply(key.getD()).normalize(),
                key.getParameters());
    }

    /**
     * Signs a message: the DER {@code SEQUENCE { r, s }} of SM2 over SM3(Z || message).
     *
     * @param key     the signer's private key, on any SM2 curve (the standards' examples use a test curve)
     * @param userId  the user id's bytes that go into Z
     * @param random  the source of the per-signature secret k; a {@link SecureRandom}, never predictable
     */
    public static byte[] sign(ECPrivateKeyParameters key, byte[] userId, byte[] message, SecureRandom random) {
        SM2Signer signer = new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
        signer.init(true, new ParametersWithID(new ParametersWithRandom(key, random), userId));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("SM2 signing failed", e);
        }
    }

    /**
     * Whether the DER signature is the key's signature of the message under this user id. Never throws for
     * a malformed signature: it simply does not verify.
     */
    public static boolean verify(ECPublicKeyParameters key, byte[] userId, byte[] message, byte[] derSignature) {
        SM2Signer verifier = new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
        verifier.init(false, new ParametersWithID(key, userId));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(derSignature);
    }

    /**
     * The DER signatures a received signature may stand for: itself when it is strict DER of two integers
     * in [1, n-1]; for exactly 64 bytes also r || s re-encoded as DER. Empty when it is neither, so the
     * caller can call it malformed rather than forged. A 64-byte text can be both (a DER signature of two
     * short integers): then both readings are tried, each a full verification, so neither can be abused.
     */
    public static List<byte[]> signatureCandidates(byte[] signature) {
        BigInteger n = SM2P256V1.getN();
        List<byte[]> candidates = new ArrayList<>(2);
        if (signature.length >= MIN_DER_SIGNATURE_BYTES && signature.length <= MAX_DER_SIGNATURE_BYTES) {
            try {
                // decode insists on the one DER spelling and on 0 <= r, s < n; zero is left to the verifier.
                StandardDSAEncoding.INSTANCE.decode(n, signature);
                candidates.add(signature.clone());
            } catch (IOException | RuntimeException e) {
                // Not DER (BouncyCastle answers some shapes, a SET for one, with a ClassCastException): maybe r || s.
            }
        }
        if (signature.length == RAW_SIGNATURE_BYTES) {
            try {
                BigInteger[] rs = PlainDSAEncoding.INSTANCE.decode(n, signature);
                candidates.add(StandardDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]));
            } catch (IllegalArgumentException e) {
                // r or s not below n
            } catch (IOException e) {
                throw new UncheckedIOException("Could not encode an SM2 signature", e);
            }
        }
        return candidates;
    }

    /** A DER signature as the 64 bytes r || s. */
    public static byte[] toRaw(byte[] derSignature) {
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(SM2P256V1.getN(), derSignature);
            return PlainDSAEncoding.INSTANCE.encode(SM2P256V1.getN(), rs[0], rs[1]);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a DER SM2 signature", e);
        }
    }

    /**
     * Reads a PKCS#8 PEM private key on {@code sm2p256v1}.
     *
     * @throws IllegalArgumentException when the text is not such a key; the message never quotes it
     */
    public static ECPrivateKeyParameters readPrivateKeyPem(String pem) {
        byte[] der = readPem(pem, PRIVATE_KEY);
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable PKCS#8 private key");
        }
        if (!(key instanceof ECPrivateKeyParameters ec) || !onSm2Curve(ec.getParameters())) {
            throw new IllegalArgumentException("not an SM2 private key on the curve sm2p256v1");
        }
        BigInteger d = ec.getD();
        if (d.signum() <= 0 || d.compareTo(SM2P256V1.getN().subtract(BigInteger.ONE)) >= 0) {
            throw new IllegalArgumentException("the private key lies outside [1, n-2]");
        }
        return new ECPrivateKeyParameters(d, SM2P256V1);
    }

    /**
     * Reads an X.509 SubjectPublicKeyInfo PEM public key on {@code sm2p256v1}; the point is checked to lie
     * on the curve.
     *
     * @throws IllegalArgumentException when the text is not such a key
     */
    public static ECPublicKeyParameters readPublicKeyPem(String pem) {
        byte[] der = readPem(pem, PUBLIC_KEY);
        AsymmetricKeyParameter key;
        try {
            // Decoding the point validates it: off the curve, at infinity or of small order is refused.
            key = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable X.509 public key, or its point is not on its curve");
        }
        if (!(key instanceof ECPublicKeyParameters ec) || !onSm2Curve(ec.getParameters())) {
            throw new IllegalArgumentException("not an SM2 public key on the curve sm2p256v1");
        }
        return new ECPublicKeyParameters(ec.getQ(), SM2P256V1);
    }

    /** The private key as a PKCS#8 PEM, as OpenSSL 3 writes it. */
    public static String privateKeyPem(ECPrivateKeyParameters key) {
        try {
            return pem(PRIVATE_KEY, PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode an SM2 private key", e);
        }
    }

    /** The public key as an X.509 SubjectPublicKeyInfo PEM. */
    public static String publicKeyPem(ECPublicKeyParameters key) {
        try {
            return pem(PUBLIC_KEY, SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode an SM2 public key", e);
        }
    }

    private static boolean onSm2Curve(ECDomainParameters parameters) {
        // Compared by value, so a key that spells the curve out instead of naming it is read too.
        return parameters.getCurve().equals(SM2P256V1.getCurve()) && parameters.getG().equals(SM2P256V1.getG())
                && parameters.getN().equals(SM2P256V1.getN());
    }

    private static String pem(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write PEM", e);
        }
        return text.toString().replace("\r\n", "\n");
    }

    private static byte[] readPem(String pem, String expectedType) {
        Objects.requireNonNull(pem, "pem");
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable PEM text");
        }
        if (object == null) {
            throw new IllegalArgumentException("no PEM block found (expected -----BEGIN " + expectedType + "-----)");
        }
        if (!object.getType().equals(expectedType)) {
            throw new IllegalArgumentException("expected a PEM " + expectedType + ", found a PEM "
                    + (object.getType().length() <= 40 ? object.getType() : "block of another type"));
        }
        return object.getContent();
    }
}
