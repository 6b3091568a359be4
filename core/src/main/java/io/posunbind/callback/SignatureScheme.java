package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import java.util.Locale;

/** How a callback is signed. */
@API(status = API.Status.STABLE, since = "0.1")
public enum SignatureScheme {
    /** HMAC-SHA256 under a secret shared with the provider; the signature is 32 bytes, base64. */
    HMAC_SHA256("hmac-sha256", 32),
    /** Ed25519 (RFC 8032) under the provider's private key; the signature is 64 bytes, base64. */
    ED25519("ed25519", 64),
    /**
     * SM2 over SM3 (GM/T 0009, the 国密 signature of Chinese acquirers) under the provider's private key on the
     * curve {@code sm2p256v1}, with the user id {@code 1234567812345678} unless another was agreed. The
     * signature is the DER {@code SEQUENCE { r INTEGER, s INTEGER }}, 8 to 72 bytes, base64; the verifier
     * also accepts the 64 bytes r || s that hardware signers give out. Its length varies, so
     * {@link #signatureLength()} is 0.
     */
    SM2_SM3("sm2-sm3", 0),
    /**
     * The provider's own scheme, verified by its {@link CallbackParser}: a notification given
     * to {@code Unbinder.acceptNotification}. Never named by a header of the engine's own format.
     */
    PROVIDER_NATIVE("provider-native", 0);

    private final String id;
    private final int signatureLength;

    SignatureScheme(String id, int signatureLength) {
        this.id = id;
        this.signatureLength = signatureLength;
    }

    /** The scheme's name in headers, for example {@code "hmac-sha256"}. */
    public String id() {
        return id;
    }

    /**
     * The length of a signature in bytes, before base64; 0 when it varies: for {@link #SM2_SM3} (a DER
     * sequence) and {@link #PROVIDER_NATIVE}.
     */
    public int signatureLength() {
        return signatureLength;
    }

    /**
     * The scheme named in a header (case-insensitive).
     *
     * @throws CallbackRejectedException {@link CoreErrorCode#CALLBACK_MALFORMED} for a missing or unknown name
     */
    public static SignatureScheme fromId(String id) {
        if (id != null) {
            String lower = id.strip().toLowerCase(Locale.ROOT);
            for (SignatureScheme scheme : values()) {
                if (scheme != PROVIDER_NATIVE && scheme.id.equals(lower)) {
                    return scheme;
                }
            }
        }
        throw new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED,
                "The callback names no known signature scheme; use hmac-sha256, ed25519 or sm2-sm3", null, null);
    }
}
