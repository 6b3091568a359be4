package io.posunbind.callback;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.audit.Ed25519Keys;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.testing.MovableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Chinese acquirer signs its callbacks with SM2 over SM3 (GM/T 0009): accepted when signed by its key with
 * the agreed user id, refused with the verifier's codes otherwise. The fixed vectors were made with OpenSSL
 * 3.0 ({@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2}, then
 * {@code openssl dgst -sm3 -sign key.pem -sigopt distid:1234567812345678}), an implementation independent
 * of BouncyCastle.
 */
class Sm2CallbackTest {

    private static final Instant NOW = Instant.parse("2025-06-03T08:15:30Z");
    private static final String BODY = "{\"status\":\"APPROVED\"}";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A test key made by OpenSSL; used nowhere else. */
    static final String OPENSSL_PRIVATE_KEY = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQgOlqE4ux/WNvt5fMl
            Py4E02mqj9HeTTfQZK3doqVExg6hRANCAARDr0+nrbusR9t5eqJsQXc1ig3S+cri
            CH0uJgZ3EkA3zmmZxmLLIprzrUoy+aVnRzAYrrhS9E9ESZ6E1c7JJ3jX
            -----END PRIVATE KEY-----
            """;
    static final String OPENSSL_PUBLIC_KEY = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEQ69Pp627rEfbeXqibEF3NYoN0vnK
            4gh9LiYGdxJAN85pmcZiyyKa861KMvmlZ0cwGK64UvRPREmehNXOySd41w==
            -----END PUBLIC KEY-----
            """;
    /** OpenSSL's signature of the callback (acquirer-cn, 7c1f0e2a, NOW, BODY) with the default user id. */
    private static final String OPENSSL_SIGNATURE =
            "MEQCIC9gdM/cPFK3WdSgSpbkjk+pkinIILJD9EMImOFUWH8LAiBRWDrIeHGBJ+GkWGhJ3E2bBU//9HcV7I2qYgIlQaD7pw==";
    /** The same signature as r || s, read off {@code openssl asn1parse}. */
    private static final String OPENSSL_SIGNATURE_R_S =
            "2F6074CFDC3C52B759D4A04A96E48E4FA99229C820B243F4430898E154587F0B"
            + "51583AC878718127E1A4586849DC4D9B054FFFF47715EC8DAA62022541A0FBA7";
    /** OpenSSL's signature of the same callback with the user id {@code merchant-7788@acquirer.cn}. */
    private static final String OPENSSL_SIGNATURE_OWN_USER_ID =
            "MEYCIQCf15W+uQgGJpaiwmiOPDmbQUfz7gEyuIuiCgQ7iC/LegIhAJOb2rC/ZhHgLBtqr9GhFvxFoPDwkvLw7+Ua8R6Oi1/e";
    /** A NIST P-256 key: an EC key, but not on the SM2 curve. */
    private static final String P256_PUBLIC_KEY = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhlcyVqsVxS7Lvk3gXenlYCJX9gJP
            laDFTOOEs9J0MElwVKEXk/nFalzPwDUBG5zoCvaPOQ301IO2bKTuTRQ4wQ==
            -----END PUBLIC KEY-----
            """;

    private final MovableClock clock = new MovableClock(NOW);
    private final CallbackVerifier verifier = CallbackVerifier.builder()
            .sm2Sm3("acquirer-cn", OPENSSL_PUBLIC_KEY)
            .clock(clock)
            .build();

    // --- accepted ------------------------------------------------------------------------------------------

    @Test
    void acceptsACallbackTheAcquirerSignedWithOpenSslUnderTheDefaultUserId() {
        CallbackVerdict verdict = verifier.verify(openSslCallback(OPENSSL_SIGNATURE));

        assertEquals("acquirer-cn", verdict.providerId());
        assertEquals(SignatureScheme.SM2_SM3, verdict.scheme());
        assertEquals(BODY, verdict.body());
    }

    @Test
    void acceptsTheSameSignatureSentAsRawRAndSInSixtyFourBytes() {
        String raw = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(OPENSSL_SIGNATURE_R_S));

        assertEquals("acquirer-cn", verifier.verify(openSslCallback(raw)).providerId());
    }

    @Test
    void acceptsASignatureUnderTheUserIdAgreedWithTheAcquirer() {
        CallbackVerifier ownUserId = CallbackVerifier.builder()
                .sm2Sm3("acquirer-cn", OPENSSL_PUBLIC_KEY, "merchant-7788@acquirer.cn").clock(clock).build();

        assertEquals("acquirer-cn", ownUserId.verify(openSslCallback(OPENSSL_SIGNATURE_OWN_USER_ID)).providerId());
    }

    @Test
    void ourSignerSignsWhatTheVerifierAcceptsWithAFreshKOnEveryCall() {
        CallbackSigner signer = CallbackSigner.sm2Sm3("acquirer-cn", OPENSSL_PRIVATE_KEY);
        Callback first = signer.sign("n-1", NOW, BODY);
        Callback second = signer.sign("n-1", NOW, BODY);

        assertNotEquals(first.signature(), second.signature(), "SM2 draws a new random k per signature");
        assertEquals(SignatureScheme.SM2_SM3, first.scheme());
        assertEquals(0x30, Base64.getDecoder().decode(first.signature())[0], "a DER SEQUENCE");
        // check spends no nonce, so both spellings of the one callback can be checked.
        verifier.check(first);
        verifier.check(second);
    }

    @Test
    void aNewKeyPairSignsAndVerifiesAndItsPemIsWhatOpenSslWrites() {
        String privateKey = CallbackSigner.newSm2PrivateKeyPem(RANDOM);
        String publicKey = CallbackSigner.sm2PublicKeyPem(privateKey);
        CallbackVerifier ownKey = CallbackVerifier.builder().sm2Sm3("acquirer-cn", publicKey).clock(clock).build();

        ownKey.verify(CallbackSigner.sm2Sm3("acquirer-cn", privateKey).sign("n-1", NOW, BODY));
        assertTrue(privateKey.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(publicKey.startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals(OPENSSL_PUBLIC_KEY, CallbackSigner.sm2PublicKeyPem(OPENSSL_PRIVATE_KEY),
                "the public key of OpenSSL's private key, encoded as OpenSSL encodes it");
    }

    @Test
    void keysRotateSideBySide() {
        String newKey = CallbackSigner.newSm2PrivateKeyPem(RANDOM);
        CallbackVerifier rotating = CallbackVerifier.builder().sm2Sm3("acquirer-cn", OPENSSL_PUBLIC_KEY)
                .sm2Sm3("acquirer-cn", CallbackSigner.sm2PublicKeyPem(newKey)).clock(clock).build();

        rotating.verify(openSslCallback(OPENSSL_SIGNATURE));
        rotating.verify(CallbackSigner.sm2Sm3("acquirer-cn", newKey).sign("n-new", NOW, BODY));
    }

    // --- refused -------------------------------------------------------------------------------------------

    @Test
    void refusesACallbackSignedWithAnotherKeyAsForged() {
        CallbackSigner impostor = CallbackSigner.sm2Sm3("acquirer-cn", CallbackSigner.newSm2PrivateKeyPem(RANDOM));

        assertRefused(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, impostor.sign("n-1", NOW, BODY));
    }

    @Test
    void refusesATamperedBodyAsForged() {
        assertRefused(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, new Callback("acquirer-cn", "7c1f0e2a", NOW,
                BODY.replace("APPROVED", "REJECTED"), OPENSSL_SIGNATURE, SignatureScheme.SM2_SM3));
    }

    @Test
    void refusesASignatureUnderAnotherUserIdAsForged() {
        // Signed with merchant-7788@acquirer.cn, checked with the default user id: Z differs, so does the digest.
        assertRefused(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, openSslCallback(OPENSSL_SIGNATURE_OWN_USER_ID));
        CallbackVerifier otherUserId = CallbackVerifier.builder()
                .sm2Sm3("acquirer-cn", OPENSSL_PUBLIC_KEY, "1234567812345679").clock(clock).build();
        assertEquals(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, assertThrows(CallbackRejectedException.class,
                () -> otherUserId.verify(openSslCallback(OPENSSL_SIGNATURE))).errorCode());
    }

    @Test
    void refusesAnSm2CallbackFromAProviderWithoutAnSm2KeyAsAnUnknownSender() {
        CallbackVerifier hmacOnly = CallbackVerifier.builder().hmacSha256("acquirer-cn", CallbackSignerTest.SECRET)
                .clock(clock).build();

        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, assertThrows(CallbackRejectedException.class,
                () -> hmacOnly.verify(openSslCallback(OPENSSL_SIGNATURE))).errorCode());
    }

    @Test
    void refusesAnSm2SignatureNamedAsAnotherSchemeAndTheOtherWayRound() {
        CallbackVerifier both = CallbackVerifier.builder().sm2Sm3("acquirer-cn", OPENSSL_PUBLIC_KEY)
                .hmacSha256("acquirer-cn", CallbackSignerTest.SECRET).clock(clock).build();
        Callback hmac = CallbackSigner.hmacSha256("acquirer-cn", CallbackSignerTest.SECRET).sign("n-1", NOW, BODY);

        assertAll(
                () -> assertEquals(CoreErrorCode.CALLBACK_MALFORMED, assertThrows(CallbackRejectedException.class,
                        () -> both.verify(new Callback("acquirer-cn", "n-1", NOW, BODY, hmac.signature(),
                                SignatureScheme.SM2_SM3))).errorCode(), "32 bytes are neither DER nor r || s"),
                () -> assertEquals(CoreErrorCode.CALLBACK_MALFORMED, assertThrows(CallbackRejectedException.class,
                        () -> both.verify(new Callback("acquirer-cn", "7c1f0e2a", NOW, BODY, OPENSSL_SIGNATURE,
                                SignatureScheme.HMAC_SHA256))).errorCode()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "MAA=",                                                    // an empty SEQUENCE
        "MAYCAQECAQE=",                                            // SEQUENCE { 1, 1 }: well-formed, but forged
        "MQYCAQECAQE=",                                            // SET { 1, 1 }
        "MEUCIQAvYHTP3DxSt1nUoEqW5I5PqZIpyCCyQ/RDCJjhVFh/CwIgUVg6yHhxgSfhpFhoSdxNmwVP//R3FeyNqmICJUGg+6c=",
        "MEQCIC9gdM/cPFK3WdSgSpbkjk+pkinIILJD9EMImOFUWH8LAiBRWDrIeHGBJ+GkWGhJ3E2bBU//9HcV7I2qYgIlQaD7pwA=",
        "MEQCIC9gdM/cPFK3WdSgSpbkjk+pkinIILJD9EMImOFUWH8LAiBRWDrIeHGBJ+GkWGhJ3E2bBU//9HcV7I2qYgIlQaD7",
        "/////////////////////////////////////////////////////////////////////////////////////w==",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
    })
    void refusesMalformedOrOutOfRangeSignaturesWithACodeNeverAnException(String signature) {
        CallbackRejectedException e = assertThrows(CallbackRejectedException.class,
                () -> verifier.verify(openSslCallback(signature)));

        assertTrue(e.errorCode() == CoreErrorCode.CALLBACK_MALFORMED
                || e.errorCode() == CoreErrorCode.CALLBACK_SIGNATURE_INVALID, e.getMessage());
    }

    @Test
    void tellsMalformedFromForgedSignatures() {
        assertAll(
                () -> assertRefused(CoreErrorCode.CALLBACK_MALFORMED, openSslCallback("MAA=")),
                // a SET { 1, 1 } instead of a SEQUENCE, which the mutation test found escaping as a ClassCastException
                () -> assertRefused(CoreErrorCode.CALLBACK_MALFORMED, openSslCallback("MQYCAQECAQE=")),
                // DER with a needless leading zero: BER, not DER, so one signature has one spelling
                () -> assertRefused(CoreErrorCode.CALLBACK_MALFORMED, openSslCallback("MEUCIQAvYHTP3DxSt1nUoEqW5I5P"
                        + "qZIpyCCyQ/RDCJjhVFh/CwIgUVg6yHhxgSfhpFhoSdxNmwVP//R3FeyNqmICJUGg+6c=")),
                () -> assertRefused(CoreErrorCode.CALLBACK_MALFORMED, openSslCallback(Base64.getEncoder()
                        .encodeToString(new byte[73]))),
                // 64 bytes of 0xFF: r and s above the order, neither DER nor a valid r || s
                () -> assertRefused(CoreErrorCode.CALLBACK_MALFORMED, openSslCallback(Base64.getEncoder()
                        .encodeToString(filled(64, (byte) 0xFF)))),
                () -> assertRefused(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, openSslCallback("MAYCAQECAQE=")),
                // 64 zero bytes decode as r = s = 0, which no signature has
                () -> assertRefused(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, openSslCallback(Base64.getEncoder()
                        .encodeToString(new byte[64]))));
    }

    @Test
    void refusesMalformedKeysWithTheKeyCodeAndNeverQuotesThem() {
        String notOnTheCurve = flipLastByteOfTheKey(OPENSSL_PUBLIC_KEY);
        List<String> badPublicKeys = List.of("", "not a key", OPENSSL_PRIVATE_KEY, P256_PUBLIC_KEY, notOnTheCurve,
                Ed25519Keys.publicKeyPem(Ed25519Keys.generate().generatePublicKey()),
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        for (String key : badPublicKeys) {
            PosUnbindException e = assertThrows(PosUnbindException.class,
                    () -> CallbackVerifier.builder().sm2Sm3("acquirer-cn", key), key);
            assertEquals(CoreErrorCode.CALLBACK_KEY_INVALID, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("acquirer-cn"), e.getMessage());
            assertFalse(e.getMessage().contains("MFkw") || e.getMessage().contains("MIGH"), e.getMessage());
        }
        String emptyPrivateKey = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
        for (String key : List.of("", OPENSSL_PUBLIC_KEY, emptyPrivateKey)) {
            assertEquals(CoreErrorCode.CALLBACK_KEY_INVALID, assertThrows(PosUnbindException.class,
                    () -> CallbackSigner.sm2Sm3("acquirer-cn", key)).errorCode());
        }
        assertEquals(CoreErrorCode.CALLBACK_KEY_INVALID, assertThrows(PosUnbindException.class,
                () -> CallbackVerifier.builder().sm2Sm3("acquirer-cn", OPENSSL_PUBLIC_KEY, "")).errorCode());
        assertEquals(CoreErrorCode.CALLBACK_KEY_INVALID, assertThrows(PosUnbindException.class,
                () -> CallbackSigner.sm2Sm3("acquirer-cn", OPENSSL_PRIVATE_KEY, "x".repeat(8192))).errorCode());
    }

    @Test
    void everyCorruptedKeyIsEitherStillAKeyOrRefusedWithTheKeyCode() {
        // Fuzz-ish, with a fixed seed: one to three random bytes of the DER changed, 500 times per key kind.
        Random random = new Random(32918L);
        for (String pem : List.of(OPENSSL_PUBLIC_KEY, OPENSSL_PRIVATE_KEY)) {
            boolean publicKey = pem.contains("PUBLIC");
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            for (int i = 0; i < 500; i++) {
                byte[] corrupted = der.clone();
                for (int c = 0, changes = 1 + random.nextInt(3); c < changes; c++) {
                    corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
                }
                String type = publicKey ? "PUBLIC KEY" : "PRIVATE KEY";
                String text = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(corrupted)
                        + "\n-----END " + type + "-----\n";
                try {
                    if (publicKey) {
                        CallbackVerifier.builder().sm2Sm3("acquirer-cn", text);
                    } else {
                        CallbackSigner.sm2Sm3("acquirer-cn", text).sign("n-1", NOW, BODY);
                    }
                } catch (PosUnbindException e) {
                    assertEquals(CoreErrorCode.CALLBACK_KEY_INVALID, e.errorCode(), e.getMessage());
                } catch (RuntimeException e) {
                    throw new AssertionError("corrupted " + type + " " + i + " escaped uncoded", e);
                }
            }
        }
    }

    @Test
    void neitherSignerNorVerifierShowsTheKey() {
        CallbackSigner signer = CallbackSigner.sm2Sm3("acquirer-cn", OPENSSL_PRIVATE_KEY);

        assertEquals("CallbackSigner[acquirer-cn, sm2-sm3]", signer.toString());
        assertFalse(verifier.toString().contains("MFkw"), verifier.toString());
        assertTrue(verifier.toString().contains("sm2Sm3=[acquirer-cn]"), verifier.toString());
    }

    @Test
    void theSchemeIsNamedSm2Sm3InHeaders() {
        assertEquals(SignatureScheme.SM2_SM3, SignatureScheme.fromId("SM2-SM3"));
        assertEquals("sm2-sm3", SignatureScheme.SM2_SM3.id());
        assertEquals(0, SignatureScheme.SM2_SM3.signatureLength(), "its length varies");
    }

    private Callback openSslCallback(String signature) {
        return new Callback("acquirer-cn", "7c1f0e2a", NOW, BODY, signature, SignatureScheme.SM2_SM3);
    }

    private CallbackRejectedException assertRefused(CoreErrorCode code, Callback callback) {
        CallbackRejectedException e = assertThrows(CallbackRejectedException.class, () -> verifier.verify(callback));
        assertEquals(code, e.errorCode(), e.getMessage());
        return e;
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /** The same PEM with the last byte of the point's y changed: almost surely no longer on the curve. */
    private static String flipLastByteOfTheKey(String pem) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replace("\n", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 1] ^= 0x01;
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }
}
