package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import java.util.Locale;

/** How a callback is signed. */
@API(status = API.Status.STABLE, since = "0.1")
public enum SignatureScheme {
    /** HMAC-SHA256 under a secret shared with the provider; the signature is 32 bytes, base64. */
    HMAC_SHA256("hmac-sha256", 32),
    /** Ed25519 (RFC 8032) under the provider's private key; the signature is 64 bytes, base64. */
    ED25519("ed25519", 64),
    /**
     * The provider's own scheme, verified by its {@link io.posunbind.spi.CallbackParser}: a notification given
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

    /** The length of a signature in bytes, before base64; 0 for {@link #PROVIDER_NATIVE}, which varies. */
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
                "The callback names no known signature scheme; use hmac-sha256 or ed25519", null, null);
    }
}
