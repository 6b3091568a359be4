package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.util.Optional;

/**
 * A callback was refused. The code says why, and each reason has its own:
 * <ul>
 *   <li>{@link CoreErrorCode#CALLBACK_SIGNATURE_INVALID} {@code UNB-CALLBACK-FORGED}: the signature does not match</li>
 *   <li>{@link CoreErrorCode#CALLBACK_UNKNOWN_SENDER} {@code UNB-CALLBACK-UNKNOWN-SENDER}: no key for that
 *       provider and scheme</li>
 *   <li>{@link CoreErrorCode#CALLBACK_STALE} {@code UNB-CALLBACK-STALE}: timestamp too old or in the future</li>
 *   <li>{@link CoreErrorCode#CALLBACK_REPLAYED} {@code UNB-CALLBACK-REPLAYED}: the nonce was used before</li>
 *   <li>{@link CoreErrorCode#CALLBACK_MALFORMED} {@code UNB-CALLBACK-MALFORMED}: a field missing or out of shape</li>
 *   <li>{@link CoreErrorCode#CALLBACK_REPLAY_CHECK_UNAVAILABLE}: the nonce store could not answer; retryable</li>
 *   <li>{@link CoreErrorCode#CALLBACK_WRONG_PROVIDER} {@code UNB-CALLBACK-WRONG-PROVIDER}: signed by another
 *       provider than the one carrying out the case it names</li>
 *   <li>{@link CoreErrorCode#CALLBACK_APPLICATION_MISMATCH} {@code UNB-CALLBACK-APPLICATION-MISMATCH}: a decision
 *       for another application than the case's, or for a case that has not applied yet</li>
 * </ul>
 * Record it in the audit trail with {@link #claimedProviderId()} and {@link #nonce()}: they are what the
 * sender claimed, not proven, and are present only when well-formed. Messages never contain the body,
 * the signature or a key.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class CallbackRejectedException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final String claimedProviderId;
    private final String nonce;

    /**
     * @param code              one of the callback codes
     * @param message           what was wrong and what the sender should do
     * @param claimedProviderId the provider id the callback claimed, or {@code null}
     * @param nonce             the callback's nonce, or {@code null}
     */
    public CallbackRejectedException(CoreErrorCode code, String message, String claimedProviderId, String nonce) {
        super(code, message);
        this.claimedProviderId = claimedProviderId;
        this.nonce = nonce;
    }

    /** The provider the callback claimed to come from, when it was well-formed; not proven. */
    public Optional<String> claimedProviderId() {
        return Optional.ofNullable(claimedProviderId);
    }

    /** The callback's nonce, when it was well-formed. */
    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }
}
