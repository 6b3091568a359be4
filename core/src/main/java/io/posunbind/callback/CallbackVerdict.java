package io.posunbind.callback;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/**
 * A callback that passed every check: the signature matched a key of its provider, the timestamp was
 * inside the window, and the nonce was not spent. Act on {@link #body()}. Immutable.
 *
 * @param providerId the provider that sent it, proven by the signature
 * @param nonce      its nonce: spent when {@link CallbackVerifier#verify} gave the verdict, not yet when
 *                   {@link CallbackVerifier#check} did
 * @param timestamp  when the provider signed it
 * @param body       the body, authentic
 * @param scheme     the scheme the signature used
 * @param acceptedAt when the verifier accepted it, by the verifier's clock
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CallbackVerdict(String providerId, String nonce, Instant timestamp, String body,
        SignatureScheme scheme, Instant acceptedAt) {

    /** Checks the fields. */
    public CallbackVerdict {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }

    /** Everything but the body, which may hold business data. */
    @Override
    public String toString() {
        return "CallbackVerdict[providerId=" + providerId + ", nonce=" + nonce + ", timestamp=" + timestamp
                + ", scheme=" + scheme + ", acceptedAt=" + acceptedAt + ", body=" + body.length() + " chars]";
    }
}
