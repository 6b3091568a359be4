package io.posunbind.callback;

import io.posunbind.spi.API;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A callback as received from a provider or institution, not yet trusted. Build it from the request
 * (typically the body plus headers such as {@code X-Provider}, {@code X-Nonce}, {@code X-Timestamp},
 * {@code X-Signature}, {@code X-Signature-Scheme}) and pass it to {@link CallbackVerifier#verify}.
 *
 * <p><b>What is signed.</b> The canonical content is four lines joined by a line feed ({@code \n}),
 * encoded in UTF-8, with no trailing line feed:
 * <pre>
 * providerId \n nonce \n timestamp in epoch seconds (decimal) \n body
 * </pre>
 * For example, provider {@code acme}, nonce {@code 7c1f0e2a}, 2025-06-03T08:15:30Z and body
 * {@code {"status":"APPROVED"}} sign the bytes of
 * <pre>
 * acme
 * 7c1f0e2a
 * 1748938530
 * {"status":"APPROVED"}
 * </pre>
 * The signature is HMAC-SHA256 of those bytes under the shared secret, their Ed25519 signature, or their
 * SM2-with-SM3 signature (GM/T 0009, DER; see {@link SignatureScheme#SM2_SM3}), in standard base64 with
 * padding (RFC 4648 section 4). In a shell:
 * {@code printf 'acme\n7c1f0e2a\n1748938530\n{"status":"APPROVED"}' | openssl dgst -sha256 -hmac "$SECRET" -binary | base64},
 * or for SM2 {@code ... | openssl dgst -sm3 -sign key.pem -sigopt distid:1234567812345678 | base64 -w0}.
 * The body is signed exactly as sent: do not re-format the JSON before verifying.
 *
 * <p><b>Rules.</b> The provider id has 1 to 64 characters from {@code [A-Za-z0-9._-]}; the nonce 1 to
 * 128 visible ASCII characters (no spaces), unique per callback (a provider's notification id does); the
 * timestamp is whole seconds; the body at most {@value CallbackVerifier#MAX_BODY_BYTES} bytes of UTF-8.
 *
 * <p>Immutable. Components may be null because this is untrusted input; {@link #toString()} shows
 * neither the body nor the signature.
 *
 * @param providerId who claims to have sent it
 * @param nonce      the callback's unique id, used once
 * @param timestamp  when it was signed, whole seconds
 * @param body       the body exactly as received, usually JSON
 * @param signature  the signature in base64
 * @param scheme     how it was signed
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Callback(String providerId, String nonce, Instant timestamp, String body, String signature,
        SignatureScheme scheme) {

    /**
     * The canonical content that is signed, as a string; sign its UTF-8 bytes.
     *
     * @throws NullPointerException when a part is missing
     */
    public static String canonicalContent(String providerId, String nonce, Instant timestamp, String body) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
        return providerId + "\n" + nonce + "\n" + timestamp.getEpochSecond() + "\n" + body;
    }

    /** The canonical content's UTF-8 bytes, which the signature covers. */
    static byte[] canonicalBytes(String providerId, String nonce, Instant timestamp, String body) {
        return canonicalContent(providerId, nonce, timestamp, body).getBytes(StandardCharsets.UTF_8);
    }

    /** Who, which nonce, when, and the body's length; never the body or the signature. */
    @Override
    public String toString() {
        return "Callback[providerId=" + CallbackShape.printable(providerId) + ", nonce="
                + CallbackShape.printable(nonce) + ", timestamp=" + timestamp + ", scheme=" + scheme + ", body="
                + (body == null ? "null" : body.length() + " chars") + "]";
    }
}
