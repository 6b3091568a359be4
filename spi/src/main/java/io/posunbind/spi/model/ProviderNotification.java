package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;

/**
 * A provider's notification that its {@link io.posunbind.spi.CallbackParser} verified with the provider's
 * own scheme: who signed it, its own id and time, and what it says. The engine then checks, as for a
 * callback in the engine's own format, that the time lies inside the window and that the id was not
 * acted on before, and finds the case by {@link ProviderCallback#caseId()} or by the provider's reference.
 *
 * @param sender         who signed it, as the provider names it: an account, a merchant account, a key or
 *                       certificate serial; recorded in the audit trail
 * @param notificationId the notification's own id, unique per provider (Adyen's event code and PSP
 *                       reference, Stripe's event id, WeChat Pay's {@code Wechatpay-Nonce}): 1 to 128 visible
 *                       ASCII characters, used once
 * @param sentAt         when the provider signed or sent it, from the signed content where the scheme
 *                       signs one (Stripe's {@code t=}, WeChat Pay's {@code Wechatpay-Timestamp})
 * @param content        what it says: a decision or a finished operation
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ProviderNotification(String sender, String notificationId, Instant sentAt, ProviderCallback content) {

    /** Checks the fields. */
    public ProviderNotification {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(content, "content");
    }
}
