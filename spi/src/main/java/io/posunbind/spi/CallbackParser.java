package io.posunbind.spi;

import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;

/**
 * Reads a provider's or institution's callbacks, in either of two formats:
 * <ul>
 *   <li><b>The engine's own signed format</b> ({@link #parse}): the engine verifies the signature, timestamp
 *       and nonce (headers {@code X-Provider}, {@code X-Nonce}, {@code X-Timestamp}, {@code X-Signature})
 *       and hands the parser only the verified body.</li>
 *   <li><b>The provider's own format</b> ({@link #verify}, declared by {@link #verifiesNativeNotifications()}):
 *       the parser receives the raw request and verifies it with the provider's scheme, for example Adyen's
 *       HMAC-SHA256 over the notification item's fields (base64 in {@code additionalData.hmacSignature}),
 *       Stripe's {@code Stripe-Signature: t=…,v1=…} (HMAC-SHA256 over {@code t + "." + body}), or WeChat Pay's
 *       {@code Wechatpay-Signature} (RSA or SM2 over {@code timestamp\nnonce\nbody\n}). The engine then checks
 *       the notification's time against its window and its id against the replay store, as for its own
 *       format.</li>
 * </ul>
 * Either way the answer may name the case by the engine's case id or only by the provider's own
 * reference (the application reference of a decision, the reference of a pending operation, or the
 * engine's idempotency key for an operation the provider accepted without a reference, see
 * {@link io.posunbind.spi.model.ProviderCallback.OperationFinished#byIdempotencyKey}): the engine finds the
 * case by it among the sending provider's open cases that wait for it. When none waits for it yet (the
 * notification overtook the engine's commit of the pending answer) the notification is refused for now and
 * accepted when the provider sends it again.
 *
 * <p>Optional. Thread-safe.
 *
 * @since SPI 1.1; {@link #verify} since SPI 2.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface CallbackParser {

    /**
     * Parses a body in the engine's own signed format, already verified by the engine.
     *
     * <p>The default refuses: a provider whose callbacks come only in its own format implements
     * {@link #verify} instead.
     *
     * @param body the body exactly as signed
     * @return the decision or operation outcome it carries
     * @throws ProviderException with {@link StandardErrorCode#INVALID_REQUEST} when the body cannot be read
     */
    default ProviderCallback parse(String body) {
        throw new ProviderException(StandardErrorCode.UNSUPPORTED_OPERATION, "NO-SIGNED-FORMAT",
                "This provider sends no callbacks in the engine's signed format");
    }

    /**
     * Whether this parser verifies notifications in the provider's own format with {@link #verify}. The
     * engine calls {@link #verify} only when this is {@code true}. Declared once; {@code false} by default.
     */
    default boolean verifiesNativeNotifications() {
        return false;
    }

    /**
     * Verifies a notification with the provider's own scheme and reads it. Verify before reading anything
     * the signature does not cover, compare signatures in constant time, accept every key configured during
     * a rotation, and do not check the time yourself: the engine checks {@link ProviderNotification#sentAt()}
     * against its window with its own clock. Never put a key, a signature or the body in an exception.
     *
     * @param request the request as received
     * @return who signed it, its id and time, and what it says
     * @throws ProviderException with a {@link NotificationErrorCode} when it does not verify or cannot be read;
     *         with a retryable code when it may verify later unchanged
     */
    default ProviderNotification verify(RawCallback request) {
        throw new ProviderException(StandardErrorCode.UNSUPPORTED_OPERATION, "NO-NATIVE-FORMAT",
                "This provider sends no notifications in a format of its own");
    }
}
