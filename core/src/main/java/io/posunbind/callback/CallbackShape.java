package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.crypto.Sm2WithSm3;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A callback found well-formed, the first of a {@link CallbackVerifier}'s checks, before any key is tried:
 * its parts, the signature decoded, and for SM2 the DER forms it may stand for. Also the texts of the
 * verifier's refusals, which quote a sender and a nonce only when they are well-formed. Immutable.
 *
 * @param providerId    the sender, 1 to 64 characters from {@code [A-Za-z0-9._-]}
 * @param nonce         1 to 128 visible ASCII characters
 * @param timestamp     whole epoch seconds
 * @param body          at most {@value CallbackVerifier#MAX_BODY_BYTES} bytes of UTF-8
 * @param scheme        a scheme of the engine's own format, never {@link SignatureScheme#PROVIDER_NATIVE}
 * @param signature     the signature's bytes, of the scheme's length
 * @param sm2Signatures for {@link SignatureScheme#SM2_SM3}, the signature as DER candidates; empty otherwise
 */
record CallbackShape(String providerId, String nonce, Instant timestamp, String body, SignatureScheme scheme,
        byte[] signature, List<byte[]> sm2Signatures) {

    static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern NONCE = Pattern.compile("[\\x21-\\x7E]{1,128}");

    /**
     * Reads a callback's shape.
     *
     * @throws CallbackRejectedException {@code UNB-CALLBACK-MALFORMED} naming the first problem
     */
    static CallbackShape read(Callback callback) {
        if (callback == null) {
            throw malformed("no callback was given", null, null);
        }
        // Quote the claimed sender and nonce in messages and the exception only when they are well-formed.
        String providerId = wellFormed(PROVIDER_ID, callback.providerId());
        String nonce = wellFormed(NONCE, callback.nonce());
        if (providerId == null) {
            throw malformed("the provider id is missing or not 1 to 64 characters from [A-Za-z0-9._-]", null, nonce);
        }
        if (nonce == null) {
            throw malformed("the nonce is missing or not 1 to 128 visible ASCII characters", providerId, null);
        }
        Instant timestamp = callback.timestamp();
        if (timestamp == null) {
            throw malformed("the timestamp is missing", providerId, nonce);
        }
        if (timestamp.getNano() != 0) {
            throw malformed("the timestamp has a fraction of a second; it is signed as whole epoch seconds",
                    providerId, nonce);
        }
        String body = callback.body();
        if (body == null) {
            throw malformed("the body is missing", providerId, nonce);
        }
        int maxBytes = CallbackVerifier.MAX_BODY_BYTES;
        // Every char takes at least one UTF-8 byte: a long string is refused before it is encoded.
        int bodyBytes = body.length() > maxBytes ? maxBytes + 1 : utf8Length(body);
        if (bodyBytes > maxBytes) {
            throw malformed("the body is larger than " + maxBytes + " bytes", providerId, nonce);
        }
        if (bodyBytes < 0) {
            // A lone surrogate would be signed as '?' and so match other bodies: refuse it.
            throw malformed("the body is not valid Unicode text (a lone surrogate)", providerId, nonce);
        }
        SignatureScheme scheme = callback.scheme();
        if (scheme == null || scheme == SignatureScheme.PROVIDER_NATIVE) {
            throw malformed("the signature scheme is missing or not hmac-sha256, ed25519 or sm2-sm3", providerId,
                    nonce);
        }
        byte[] signature = canonicalBase64(callback.signature());
        if (signature == null) {
            throw malformed("the signature is missing or not canonical base64", providerId, nonce);
        }
        if (scheme.signatureLength() != 0 && signature.length != scheme.signatureLength()) {
            throw malformed("a " + scheme.id() + " signature has " + scheme.signatureLength() + " bytes, this one "
                    + signature.length, providerId, nonce);
        }
        List<byte[]> sm2Signatures = scheme == SignatureScheme.SM2_SM3 ? Sm2WithSm3.signatureCandidates(signature)
                : List.of();
        if (scheme == SignatureScheme.SM2_SM3 && sm2Signatures.isEmpty()) {
            throw malformed("an sm2-sm3 signature is the DER SEQUENCE of r and s (8 to 72 bytes) or r || s in 64"
                    + " bytes, each below the curve's order; this one is " + signature.length + " bytes of neither",
                    providerId, nonce);
        }
        return new CallbackShape(providerId, nonce, timestamp, body, scheme, signature, sm2Signatures);
    }

    /** The bytes the sender signed. */
    byte[] signedContent() {
        return Callback.canonicalBytes(providerId, nonce, timestamp, body);
    }

    /** The text if it has the pattern's shape (and at most 128 characters), else null. */
    static String wellFormed(Pattern pattern, String text) {
        return text != null && text.length() <= 128 && pattern.matcher(text).matches() ? text : null;
    }

    /** Text fit for a log line: the value if it is short visible ASCII, otherwise a placeholder. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        return NONCE.matcher(text).matches() ? text : "(" + text.length() + " chars, not printable)";
    }

    /** How a refusal names the callback. */
    static String describe(String providerId, String nonce) {
        return "Callback " + nonce + " from " + providerId;
    }

    /** The refusal of a callback that is not well-formed. */
    static CallbackRejectedException malformed(String problem, String providerId, String nonce) {
        String who = providerId == null ? "A callback" : describe(providerId, nonce == null ? "(no nonce)" : nonce);
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED,
                who + " is malformed: " + problem, providerId, nonce);
    }

    /** Decodes standard padded base64 and insists on the one canonical spelling, so a signature has one form. */
    private static byte[] canonicalBase64(String text) {
        if (text == null || text.isEmpty() || text.length() > 256) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The UTF-8 length of the text, or -1 when it holds a lone surrogate (which UTF-8 cannot carry). */
    private static int utf8Length(String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return encoded.remaining();
        } catch (CharacterCodingException e) {
            return -1;
        }
    }
}
