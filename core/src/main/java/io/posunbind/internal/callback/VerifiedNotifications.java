package io.posunbind.internal.callback;

import io.posunbind.callback.CallbackVerdict;
import io.posunbind.callback.CallbackVerifier;
import java.time.Instant;
import java.util.Objects;

/**
 * The engine's access to the {@link CallbackVerifier}'s check of a notification that a provider's own parser
 * verified. That check issues a verdict for content it did not verify itself, so it is no part of the
 * verifier's public API: only the engine, which calls the parser first, may ask for it. The verifier hands
 * its implementation over here when its class is initialised (as the JDK's shared-secrets pattern does);
 * this package is not exported.
 */
public final class VerifiedNotifications {

    /** The verifier's check; see {@code CallbackVerifier.checkVerifiedNotification}. */
    @FunctionalInterface
    public interface Check {
        CallbackVerdict check(CallbackVerifier verifier, String providerId, String notificationId, Instant sentAt,
                String body);
    }

    private static volatile Check check;

    private VerifiedNotifications() {
    }

    /** Called once, by the verifier's class initialiser. */
    public static void register(Check implementation) {
        Objects.requireNonNull(implementation, "implementation");
        if (check != null) {
            throw new IllegalStateException("The verified-notification check is registered already");
        }
        check = implementation;
    }

    /**
     * Checks a notification the provider's parser verified: that the provider's own format is accepted from it,
     * its time lies inside the provider's window, and its id is unspent.
     */
    public static CallbackVerdict check(CallbackVerifier verifier, String providerId, String notificationId,
            Instant sentAt, String body) {
        // An instance exists, so its class is initialised and has registered its check.
        Objects.requireNonNull(verifier, "verifier");
        return check.check(verifier, providerId, notificationId, sentAt, body);
    }
}
