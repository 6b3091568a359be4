package io.posunbind.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/**
 * SM3, SM4 and SM2 as posunbind uses them (BouncyCastle's lightweight classes, our {@link Sm2WithSm3}), against
 * the examples the Chinese national standards publish. Every expected value is compared in full, so any bit
 * error fails.
 */
class GuomiStandardVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    // --- GB/T 32905-2016 (SM3), appendix A ---------------------------------------------------------------

    @Test
    void sm3OfAbcIsTheStandardsFirstExample() {
        assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", sm3Hex("abc"));
    }

    @Test
    void sm3OfAbcdRepeatedSixteenTimesIsTheStandardsSecondExample() {
        // 512 bits: the padding then fills a whole second block.
        assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
                sm3Hex("abcd".repeat(16)));
    }

    // --- GB/T 32907-2016 (SM4), appendix A ---------------------------------------------------------------

    @Test
    void sm4EncryptsTheStandardsFirstExampleAndDecryptsItBack() {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        byte[] block = key.clone();

        SM4Engine encrypt = new SM4Engine();
        encrypt.init(true, new KeyParameter(key));
        encrypt.processBlock(block, 0, block, 0);
        assertEquals("681edf34d206965e86b3e94f536e4246", HEX.formatHex(block));

        SM4Engine decrypt = new SM4Engine();
        decrypt.init(false, new KeyParameter(key));
        decrypt.processBlock(block, 0, block, 0);
        assertArrayEquals(key, block);
    }

    @Test
    void sm4EncryptingTheFirstExampleAMillionTimesGivesTheStandardsSecondExample() {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        byte[] block = key.clone();
        SM4Engine engine = new SM4Engine();
        engine.init(true, new KeyParameter(key));
        for (int i = 0; i < 1_000_000; i++) {
            engine.processBlock(block, 0, block, 0);
        }
        assertEquals("595298c7c6fd271f0402f804c33d3f66", HEX.formatHex(block));
    }

    // --- GB/T 32918.2-2016 (SM2 digital signature), appendix A: the example on the 256-bit test curve ------

    private static final ECDomainParameters TEST_CURVE = testCurve();
    private static final BigInteger EXAMPLE_PRIVATE_KEY =
            new BigInteger("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263", 16);
    private static final byte[] EXAMPLE_K = HEX.parseHex(
            "6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F");
    private static final byte[] EXAMPLE_USER_ID = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXAMPLE_MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sm2SignsTheStandardsExampleWithItsFixedRandomKToItsPublishedRAndS() {
        ECPrivateKeyParameters key = new ECPrivateKeyParameters(EXAMPLE_PRIVATE_KEY, TEST_CURVE);

        byte[] signature = Sm2WithSm3.sign(key, EXAMPLE_USER_ID, EXAMPLE_MESSAGE, new FixedRandom(EXAMPLE_K));

        ASN1Sequence sequence = ASN1Sequence.getInstance(signature);
        assertEquals(2, sequence.size());
        assertEquals("40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1",
                hex32(ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue()), "r");
        assertEquals("6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7",
                hex32(ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()), "s");
    }

    @Test
    void sm2VerifiesTheStandardsExampleUnderItsPublishedPublicKeyAndNothingElse() {
        ECPublicKeyParameters publicKey = Sm2WithSm3.publicKey(new ECPrivateKeyParameters(EXAMPLE_PRIVATE_KEY,
                TEST_CURVE));
        assertEquals("0ae4c7798aa0f119471bee11825be46202bb79e2a5844495e97c04ff4df2548a",
                hex32(publicKey.getQ().getAffineXCoord().toBigInteger()), "xA");
        assertEquals("7c0240f88f1cd4e16352a73c17b7f16f07353e53a176d684a9fe0c6bb798e857",
                hex32(publicKey.getQ().getAffineYCoord().toBigInteger()), "yA");
        byte[] signature = Sm2WithSm3.sign(new ECPrivateKeyParameters(EXAMPLE_PRIVATE_KEY, TEST_CURVE),
                EXAMPLE_USER_ID, EXAMPLE_MESSAGE, new FixedRandom(EXAMPLE_K));

        assertTrue(Sm2WithSm3.verify(publicKey, EXAMPLE_USER_ID, EXAMPLE_MESSAGE, signature));
        assertFalse(Sm2WithSm3.verify(publicKey, "ALICE123@YAHOO.CON".getBytes(StandardCharsets.US_ASCII),
                EXAMPLE_MESSAGE, signature), "the user id is part of Z");
        assertFalse(Sm2WithSm3.verify(publicKey, EXAMPLE_USER_ID, "message digesT".getBytes(StandardCharsets.US_ASCII),
                signature), "another message");
    }

    @Test
    void aSignatureOnTheRecommendedCurveVerifiesAsDerAndAsRawRAndS() {
        ECPrivateKeyParameters key = Sm2WithSm3.generate(new SecureRandom());
        byte[] message = "acme\n7c1f0e2a\n1748938530\n{}".getBytes(StandardCharsets.UTF_8);
        byte[] der = Sm2WithSm3.sign(key, Sm2WithSm3.userId(Sm2WithSm3.DEFAULT_USER_ID), message, new SecureRandom());
        byte[] raw = Sm2WithSm3.toRaw(der);

        assertEquals(64, raw.length);
        assertEquals(1, Sm2WithSm3.signatureCandidates(der).size());
        byte[] fromRaw = Sm2WithSm3.signatureCandidates(raw).get(0);
        assertArrayEquals(der, fromRaw, "r || s re-encodes to the same DER");
        assertTrue(Sm2WithSm3.verify(Sm2WithSm3.publicKey(key), Sm2WithSm3.userId("1234567812345678"), message,
                fromRaw));
    }

    private static String hex32(BigInteger value) {
        return HEX.formatHex(BigIntegers.asUnsignedByteArray(32, value));
    }

    private static String sm3Hex(String text) {
        byte[] input = text.getBytes(StandardCharsets.US_ASCII);
        SM3Digest digest = new SM3Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return HEX.formatHex(out);
    }

    /** The test curve F_p-256 of GB/T 32918 (the examples' curve, not the recommended sm2p256v1). */
    private static ECDomainParameters testCurve() {
        BigInteger p = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3", 16);
        BigInteger a = new BigInteger("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498", 16);
        BigInteger b = new BigInteger("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A", 16);
        BigInteger n = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7", 16);
        BigInteger gx = new BigInteger("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D", 16);
        BigInteger gy = new BigInteger("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2", 16);
        ECCurve curve = new ECCurve.Fp(p, a, b, n, BigInteger.ONE);
        ECPoint g = curve.createPoint(gx, gy);
        return new ECDomainParameters(curve, g, n, BigInteger.ONE);
    }

    /**
     * Hands out the standard's k: the signer draws k as one 32-byte block of random bytes (as many bytes as
     * the order has), so filling that block with k makes the signature the example's.
     */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] value;

        FixedRandom(byte[] value) {
            this.value = value.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != value.length) {
                throw new IllegalStateException("asked for " + bytes.length + " random bytes, not " + value.length);
            }
            System.arraycopy(value, 0, bytes, 0, value.length);
        }
    }
}
