package io.posunbind.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The canonical content and signatures, against values computed independently with Python's
 * {@code hmac} module and the {@code cryptography} package (OpenSSL) for the example in {@link Callback}.
 */
class CallbackSignerTest {

    static final byte[] SECRET = "posunbind-test-secret-32-bytes!!".getBytes(StandardCharsets.US_ASCII);
    /** The private key of RFC 8032 section 7.1, TEST 1. */
    static final byte[] ED25519_PRIVATE = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static final byte[] ED25519_PUBLIC = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    static final Instant EXAMPLE_TIME = Instant.parse("2025-06-03T08:15:30Z");
    static final String EXAMPLE_BODY = "{\"status\":\"APPROVED\"}";

    @Test
    void canonicalContentIsFourLines() {
        assertEquals("acme\n7c1f0e2a\n1748938530\n{\"status\":\"APPROVED\"}",
                Callback.canonicalContent("acme", "7c1f0e2a", EXAMPLE_TIME, EXAMPLE_BODY));
    }

    @Test
    void hmacMatchesAnIndependentImplementation() {
        CallbackSigner signer = CallbackSigner.hmacSha256("acme", SECRET);
        assertEquals("Q1klFzi9vZ2uNkBNUmj4sYm0laa+jLIAFKRm2aZ6KGs=",
                signer.signature("7c1f0e2a", EXAMPLE_TIME, EXAMPLE_BODY));
        assertEquals("IRqzqJXP9q1cfIFFWh8UbdgLpJnqRTnRE876lzHji5Y=",
                signer.signature("7c1f0e2a", EXAMPLE_TIME, "{\"商户\":\"上海\"}"), "the body is signed as UTF-8");
    }

    @Test
    void ed25519MatchesAnIndependentImplementation() {
        CallbackSigner signer = CallbackSigner.ed25519("acme", ED25519_PRIVATE);
        assertEquals("amNQqB2NFun456gvgxGzvLruoKUDmhRjcBBMTPCD5pbdGe7PrM5GUOX1W7JeMBFbi6QH6p7g/xBOKAa3YsPACg==",
                signer.signature("7c1f0e2a", EXAMPLE_TIME, EXAMPLE_BODY));
        assertEquals(HexFormat.of().formatHex(ED25519_PUBLIC),
                HexFormat.of().formatHex(CallbackSigner.ed25519PublicKey(ED25519_PRIVATE)));
    }

    @Test
    void signTruncatesTheTimestampToTheSecondItSigns() {
        Callback callback = CallbackSigner.hmacSha256("acme", SECRET)
                .sign("n1", EXAMPLE_TIME.plusMillis(999), EXAMPLE_BODY);
        assertEquals(EXAMPLE_TIME, callback.timestamp());
        assertEquals(SignatureScheme.HMAC_SHA256, callback.scheme());
        assertEquals(32, Base64.getDecoder().decode(callback.signature()).length);
    }

    @Test
    void toStringsHideKeysBodiesAndSignatures() {
        CallbackSigner signer = CallbackSigner.hmacSha256("acme", SECRET);
        Callback callback = signer.sign("n1", EXAMPLE_TIME, "{\"account\":\"6212345678901265\"}");
        String text = signer + " " + callback;
        assertEquals("CallbackSigner[acme, hmac-sha256]", signer.toString());
        assertFalse(text.contains("6212345678901265"));
        assertFalse(text.contains(callback.signature()));
        assertFalse(text.contains("posunbind-test-secret"));
    }

    @Test
    void refusesWeakKeys() {
        assertThrows(IllegalArgumentException.class, () -> CallbackSigner.hmacSha256("acme", new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> CallbackSigner.ed25519("acme", new byte[31]));
    }

    @Test
    void schemeNamesParseCaseInsensitively() {
        assertEquals(SignatureScheme.ED25519, SignatureScheme.fromId(" Ed25519 "));
        assertEquals(SignatureScheme.HMAC_SHA256, SignatureScheme.fromId("HMAC-SHA256"));
        CallbackRejectedException e = assertThrows(CallbackRejectedException.class,
                () -> SignatureScheme.fromId("rsa"));
        assertEquals("UNB-CALLBACK-MALFORMED", e.errorCode().code());
        assertThrows(CallbackRejectedException.class, () -> SignatureScheme.fromId(null));
    }
}
