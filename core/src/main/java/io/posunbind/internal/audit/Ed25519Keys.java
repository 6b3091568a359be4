package io.posunbind.internal.audit;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 through BouncyCastle's lightweight API: key generation, signing, verification, and PEM files
 * in the standard forms OpenSSL also reads and writes (PKCS#8 {@code PRIVATE KEY}, X.509
 * SubjectPublicKeyInfo {@code PUBLIC KEY}). Stateless and thread-safe.
 */
public final class Ed25519Keys {

    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String PUBLIC_KEY = "PUBLIC KEY";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** id-Ed25519 (RFC 8410); BouncyCastle keeps its constant in a non-exported package. */
    private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    private Ed25519Keys() {
    }

    /** A new private key from a strong random source. */
    public static Ed25519PrivateKeyParameters generate() {
        return new Ed25519PrivateKeyParameters(RANDOM);
    }

    /** Signs a message; Ed25519 signatures are 64 bytes. */
    public static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Whether the signature is the key's signature of the message. */
    public static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /**
     * The key as a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), version 1 (RFC 8410 without the
     * optional public key): {@code PrivateKeyInfoFactory} writes version 2 with the public key inside, which
     * OpenSSL 3.0 refuses to read.
     */
    public static String privateKeyPem(Ed25519PrivateKeyParameters key) {
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(ID_ED25519),
                    new DEROctetString(key.getEncoded()));
            return pem(PRIVATE_KEY, info.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode an Ed25519 private key", e);
        }
    }

    /** The key as an X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public static String publicKeyPem(Ed25519PublicKeyParameters key) {
        return pem(PUBLIC_KEY, subjectPublicKeyInfo(key));
    }

    /**
     * Reads a PKCS#8 PEM private key.
     *
     * @throws IllegalArgumentException when the text is not a PEM private key or not an Ed25519 one
     */
    public static Ed25519PrivateKeyParameters readPrivateKeyPem(String pem) {
        byte[] der = readPem(pem, PRIVATE_KEY);
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a readable PKCS#8 private key", e);
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
            throw new IllegalArgumentException("Not an Ed25519 private key but " + key.getClass().getSimpleName());
        }
        return ed25519;
    }

    /**
     * Reads an X.509 SubjectPublicKeyInfo PEM public key.
     *
     * @throws IllegalArgumentException when the text is not a PEM public key or not an Ed25519 one
     */
    public static Ed25519PublicKeyParameters readPublicKeyPem(String pem) {
        byte[] der = readPem(pem, PUBLIC_KEY);
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a readable X.509 public key", e);
        }
        if (!(key instanceof Ed25519PublicKeyParameters ed25519)) {
            throw new IllegalArgumentException("Not an Ed25519 public key but " + key.getClass().getSimpleName());
        }
        return ed25519;
    }

    /** The SHA-256 of the key's SubjectPublicKeyInfo DER, in hex: what {@code openssl pkey -pubin -outform DER | sha256sum} prints. */
    public static String fingerprint(Ed25519PublicKeyParameters key) {
        byte[] der = subjectPublicKeyInfo(key);
        SHA256Digest digest = new SHA256Digest();
        digest.update(der, 0, der.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    private static byte[] subjectPublicKeyInfo(Ed25519PublicKeyParameters key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode an Ed25519 public key", e);
        }
    }

    private static String pem(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write PEM", e);
        }
        // PemWriter ends lines with the platform's separator; keys compare and hash the same everywhere with \n.
        return text.toString().replace("\r\n", "\n");
    }

    private static byte[] readPem(String pem, String expectedType) {
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not a readable PEM text", e);
        }
        if (object == null) {
            throw new IllegalArgumentException("No PEM object found (expected -----BEGIN " + expectedType + "-----)");
        }
        if (!object.getType().equals(expectedType)) {
            throw new IllegalArgumentException("Expected a PEM " + expectedType + ", found " + object.getType());
        }
        return object.getContent();
    }
}
