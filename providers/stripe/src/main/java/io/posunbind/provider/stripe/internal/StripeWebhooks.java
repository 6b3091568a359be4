package io.posunbind.provider.stripe.internal;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.Secret;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies Stripe's webhooks with stripe-java's own code ({@link Webhook#constructEvent}: HMAC-SHA256 over
 * {@code t + "." + body} under the endpoint's signing secret, compared in constant time), trying every
 * configured secret during a rotation.
 *
 * <p>The time of a webhook is the signed {@code t=}, checked by the engine against its window; stripe-java
 * checks it too, by the provider's clock, only when a positive tolerance is configured.
 *
 * <p>What a verified event can say: nothing a case waits for. Stripe's delete of a reader is synchronous
 * and Stripe sends no event for it (the Terminal events are {@code terminal.reader.action_succeeded},
 * {@code action_failed} and {@code action_updated}, about payment actions on a reader), so no case ever
 * waits on a Stripe notification. A verified event is therefore acknowledged as
 * {@link ProviderCallback.ConcernsNoCase} with its type (the engine answers it so that Stripe stops
 * resending it); a forged or altered one is refused with {@link NotificationErrorCode#SIGNATURE_INVALID}.
 * Thread-safe.
 */
final class StripeWebhooks implements CallbackParser {

    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private static final Pattern SIGNED_TIME = Pattern.compile("(?:^|,)\\s*t=(\\d{1,12})\\s*(?:,|$)");

    private final List<Secret> secrets;
    private final long toleranceSeconds;
    private final Clock clock;

    StripeWebhooks(List<Secret> secrets, Duration tolerance, Clock clock) {
        this.secrets = List.copyOf(secrets);
        this.toleranceSeconds = tolerance.toSeconds();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.secrets.isEmpty()) {
            throw new IllegalArgumentException("Webhooks need at least one signing secret");
        }
    }

    @Override
    public boolean verifiesNativeNotifications() {
        return true;
    }

    @Override
    public ProviderNotification verify(RawCallback request) {
        Objects.requireNonNull(request, "request");
        String header;
        try {
            header = request.header(SIGNATURE_HEADER).orElseThrow(() -> malformed("it has no " + SIGNATURE_HEADER
                    + " header"));
        } catch (IllegalArgumentException e) {
            throw malformed("its " + SIGNATURE_HEADER + " header came more than once");
        }
        Event event = verified(request.bodyText(), header);
        Instant sentAt = signedTime(header);
        String sender = Optional.ofNullable(event.getAccount())
                .orElse(Boolean.TRUE.equals(event.getLivemode()) ? "stripe:live" : "stripe:test");
        if (event.getId() == null || event.getType() == null) {
            throw malformed("it is not a Stripe event");
        }
        // Genuine, but no case waits on Stripe: a reader's delete finished when it was answered, and Stripe
        // sends no event for it. Acknowledged, so that Stripe stops resending it (it resends for days).
        return new ProviderNotification(sender, event.getId(), sentAt,
                new ProviderCallback.ConcernsNoCase(event.getType()));
    }

    /** The event, once one of the secrets verifies the signature; never shows the header or body. */
    private Event verified(String body, String header) {
        boolean wellFormed = false;
        for (Secret secret : secrets) {
            try {
                return Webhook.constructEvent(body, header, secret.reveal(), toleranceSeconds, clock);
            } catch (SignatureVerificationException e) {
                String reason = String.valueOf(e.getMessage());
                if (reason.startsWith("Unable to extract") || reason.startsWith("No signatures found with expected")) {
                    throw malformed("its " + SIGNATURE_HEADER + " header has no t= and v1= signature");
                }
                if (reason.startsWith("Timestamp outside")) {
                    throw new ProviderException(NotificationErrorCode.SIGNATURE_INVALID, "timestamp_outside_tolerance",
                            "A Stripe webhook's signature is older than the configured tolerance");
                }
                wellFormed = true;
            } catch (RuntimeException e) {
                // Gson's parse errors (gson is not on the compile path): the signed body is no event.
                throw malformed("its body is not a Stripe event");
            }
        }
        throw new ProviderException(NotificationErrorCode.SIGNATURE_INVALID,
                wellFormed ? "signature_mismatch" : "signature_missing",
                "A Stripe webhook's signature matches none of the configured signing secrets");
    }

    private static Instant signedTime(String header) {
        Matcher time = SIGNED_TIME.matcher(header);
        if (!time.find()) {
            throw malformed("its " + SIGNATURE_HEADER + " header has no t=");
        }
        return Instant.ofEpochSecond(Long.parseLong(time.group(1)));
    }

    private static ProviderException malformed(String why) {
        return new ProviderException(NotificationErrorCode.MALFORMED, "malformed",
                "A Stripe webhook cannot be verified: " + why);
    }

    @Override
    public String toString() {
        return "StripeWebhooks[secrets=" + secrets.size() + "]";
    }
}
