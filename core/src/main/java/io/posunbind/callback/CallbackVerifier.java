package io.posunbind.callback;

import static io.posunbind.callback.CallbackShape.describe;
import static io.posunbind.callback.CallbackShape.malformed;
import static io.posunbind.callback.CallbackShape.printable;
import static io.posunbind.callback.CallbackShape.wellFormed;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.callback.VerifiedNotifications;
import io.posunbind.internal.crypto.Sm2WithSm3;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.PosUnbindException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Accepts a callback only when it is well-formed, signed by a key of the provider it names, timestamped
 * inside the window, and carries a nonce not spent before; otherwise throws a
 * {@link CallbackRejectedException} whose code says which of these failed.
 *
 * <p>The checks run in this order, so the code names the first failure: shape
 * ({@code UNB-CALLBACK-MALFORMED}), sender and scheme ({@code UNB-CALLBACK-UNKNOWN-SENDER}), signature
 * ({@code UNB-CALLBACK-FORGED}), timestamp ({@code UNB-CALLBACK-STALE}), nonce
 * ({@code UNB-CALLBACK-REPLAYED}). The signature comes before time and nonce so that unsigned traffic
 * never fills the nonce store and a forgery is called a forgery even when it is also stale.
 *
 * <p><b>When a nonce is spent.</b> {@link #verify} spends it at once. {@link #check} only looks whether it
 * was spent; the caller then acts and calls {@link #spend} once the action is committed or the callback
 * is refused for good. A callback refused for a passing reason (the case was busy, a store was down) is
 * thus accepted when the sender sends it again. {@code Unbinder.acceptCallback} works this way.
 *
 * <pre>{@code
 * CallbackVerifier verifier = CallbackVerifier.builder()
 *         .hmacSha256("acme", acmeSecret)              // shared secret, at least 16 bytes
 *         .ed25519("unionpay-demo", unionPayPublicKey) // raw 32 bytes or X.509 DER
 *         .sm2Sm3("acquirer-cn", acquirerPublicKeyPem)  // SM2 PEM on sm2p256v1, user id 1234567812345678
 *         .window(Duration.ofMinutes(5))
 *         .build();
 * try {
 *     CallbackVerdict verdict = verifier.verify(new Callback(provider, nonce, timestamp, body, signature,
 *             SignatureScheme.fromId(schemeHeader)));
 *     act(verdict.providerId(), verdict.body());
 * } catch (CallbackRejectedException e) {
 *     audit(e.errorCode(), e.claimedProviderId(), e.nonce());   // answer 401, or 503 when e.retryable()
 * }
 * }</pre>
 *
 * <p>Several keys per provider and scheme are accepted, so a provider can rotate its secret or key:
 * configure the new one beside the old, and drop the old when the provider stopped using it. HMAC tags
 * are compared in constant time. Immutable and thread-safe; secrets are copied in and never shown.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class CallbackVerifier {

    /** The largest body accepted, in UTF-8 bytes: 64 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The default window around the verifier's clock: a callback's timestamp may be 5 minutes off. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    /** How long a nonce is kept beyond its window, to absorb clock differences between verifiers. */
    static final Duration NONCE_RETENTION_MARGIN = Duration.ofMinutes(1);
    /** The shortest HMAC secret accepted: 128 bits. */
    public static final int MIN_HMAC_SECRET_BYTES = 16;
    /** The SM2 user id GM/T 0009 prescribes when none was agreed, for {@link SignatureScheme#SM2_SM3}. */
    public static final String SM2_DEFAULT_USER_ID = Sm2WithSm3.DEFAULT_USER_ID;

    private final ProviderKeys keys;
    private final Set<String> nativeProviders;
    private final Duration window;
    /** Providers whose notifications may be older than the window (a sender that retries for days). */
    private final Map<String, Duration> freshnessWindows;
    private final Clock clock;
    private final SpentNonces nonces;

    static {
        // The engine's access to checkVerifiedNotification, which is not public: see VerifiedNotifications.
        VerifiedNotifications.register(CallbackVerifier::checkVerifiedNotification);
    }

    private CallbackVerifier(Builder builder) {
        this.keys = builder.keys.frozen();
        this.nativeProviders = Set.copyOf(builder.nativeProviders);
        this.window = builder.window;
        this.freshnessWindows = Map.copyOf(builder.freshnessWindows);
        this.clock = builder.clock;
        this.nonces = new SpentNonces(builder.nonces != null ? builder.nonces : new InMemoryNonceStore());
    }

    /** Starts a verifier; configure at least one provider key or provider-native sender. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a callback and, when it passes, spends its nonce at once. Fit for a callback whose handling
     * cannot fail for a passing reason; otherwise {@link #check} it, act, and {@link #spend} it once the
     * action is committed or refused for good, so that a sender's retry after a passing failure is not
     * taken for a replay.
     *
     * @param callback the callback as received; {@code null} and null components are rejected as malformed
     * @return the verdict with the authentic body
     * @throws CallbackRejectedException with a callback code when it does not pass
     */
    public CallbackVerdict verify(Callback callback) {
        CallbackVerdict verdict = check(callback);
        spend(verdict);
        return verdict;
    }

    /**
     * Verifies a callback without spending its nonce: well-formed, signed by a key of its provider, inside
     * the window, and its nonce not spent yet. Act on the verdict, then {@link #spend} it.
     *
     * @param callback the callback as received; {@code null} and null components are rejected as malformed
     * @return the verdict with the authentic body
     * @throws CallbackRejectedException with a callback code when it does not pass
     */
    public CallbackVerdict check(Callback callback) {
        CallbackShape shape = CallbackShape.read(callback);
        String providerId = shape.providerId();
        String nonce = shape.nonce();
        SignatureScheme scheme = shape.scheme();
        if (!keys.knows(providerId, scheme)) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, describe(providerId, nonce)
                    + ": no " + scheme.id() + " key is configured for provider " + providerId
                    + "; configure the provider's key, or have it sign with the scheme agreed", providerId, nonce);
        }
        if (!keys.verifies(providerId, scheme, shape.signedContent(), shape.signature(), shape.sm2Signatures())) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, describe(providerId, nonce)
                    + ": the " + scheme.id() + " signature does not match its content; it was forged, altered on"
                    + " the way, or signed with a key not configured here", providerId, nonce);
        }

        Instant now = clock.instant();
        checkWindow(providerId, nonce, shape.timestamp(), now);
        nonces.requireUnspent(providerId, nonce, now);
        return new CallbackVerdict(providerId, nonce, shape.timestamp(), shape.body(), scheme, now);
    }

    private void checkWindow(String providerId, String nonce, Instant timestamp, Instant now) {
        Duration offset = Duration.between(now, timestamp);
        // How old a callback may be is the provider's window; how far ahead of our clock, the clock skew
        // the global window allows, also for a provider whose window spans its days of retries.
        Duration allowed = offset.isNegative() ? freshnessWindow(providerId) : window;
        if (offset.abs().compareTo(allowed) > 0) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_STALE, describe(providerId, nonce)
                    + ": its timestamp " + timestamp + " is " + offset.abs().toSeconds() + " s "
                    + (offset.isNegative() ? "old" : "ahead of our clock") + ", outside the window of "
                    + allowed.toSeconds() + " s; send a freshly signed callback and check the sender's clock",
                    providerId, nonce);
        }
    }

    /**
     * How old a callback or notification of this provider may be: its own window when one was configured
     * ({@link Builder#freshnessWindow}), else the verifier's window.
     */
    public Duration freshnessWindow(String providerId) {
        return providerId == null ? window : freshnessWindows.getOrDefault(providerId, window);
    }

    /**
     * Whether notifications in this provider's own format are accepted ({@link Builder#nativeNotifications}).
     */
    public boolean acceptsNativeNotifications(String providerId) {
        return providerId != null && nativeProviders.contains(providerId);
    }

    /**
     * Checks a notification whose signature its provider's {@link CallbackParser} verified in
     * the provider's own scheme: that the provider's own format is accepted from it, that its time lies
     * inside the window, and that its id was not spent; the id is not spent yet. Act on the verdict, then
     * {@link #spend} it. The signature itself is not checked here, so this is not public: the engine calls it
     * (through an internal accessor) only with what the provider's parser answered after verifying it; an
     * application hands the raw request to {@code Unbinder.acceptNotification}.
     *
     * @param providerId     the provider whose parser verified it
     * @param notificationId the notification's own id, its nonce: 1 to 128 visible ASCII characters
     * @param sentAt         when the provider signed or sent it; fractions of a second are kept
     * @param body           the body as text, kept in the verdict (its length only is ever shown)
     * @return the verdict, with scheme {@link SignatureScheme#PROVIDER_NATIVE}
     * @throws CallbackRejectedException {@code UNB-CALLBACK-UNKNOWN-SENDER} when the provider's own format is
     *         not accepted from it, {@code UNB-CALLBACK-MALFORMED}, {@code UNB-CALLBACK-STALE},
     *         {@code UNB-CALLBACK-REPLAYED}, or the retryable {@code UNB-CALLBACK-NONCE-STORE-UNAVAILABLE}
     */
    CallbackVerdict checkVerifiedNotification(String providerId, String notificationId, Instant sentAt,
            String body) {
        String provider = wellFormed(CallbackShape.PROVIDER_ID, providerId);
        String nonce = wellFormed(CallbackShape.NONCE, notificationId);
        if (provider == null) {
            throw malformed("the provider id is missing or not 1 to 64 characters from [A-Za-z0-9._-]", null, nonce);
        }
        if (!nativeProviders.contains(provider)) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, describe(provider, printable(
                    notificationId)) + ": notifications in the provider's own format are not accepted from "
                    + provider + "; enable them with CallbackVerifier.builder().nativeNotifications(\"" + provider
                    + "\")", provider, nonce);
        }
        if (nonce == null) {
            throw malformed("its notification id is missing or not 1 to 128 visible ASCII characters", provider, null);
        }
        Objects.requireNonNull(body, "body");
        if (sentAt == null) {
            throw malformed("its time is missing", provider, nonce);
        }
        Instant now = clock.instant();
        checkWindow(provider, nonce, sentAt, now);
        nonces.requireUnspent(provider, nonce, now);
        return new CallbackVerdict(provider, nonce, sentAt, body, SignatureScheme.PROVIDER_NATIVE, now);
    }

    /**
     * Spends a verified callback's nonce: from now on the same callback is refused as a replay. Of two
     * concurrent spends of one nonce exactly one succeeds; the other is refused, so of two deliveries of
     * one callback only one counts.
     *
     * @param verdict a verdict of {@link #check}
     * @throws CallbackRejectedException {@code UNB-CALLBACK-REPLAYED} when the nonce was spent before, or the
     *         retryable {@code UNB-CALLBACK-NONCE-STORE-UNAVAILABLE} when the nonce store cannot answer
     */
    public void spend(CallbackVerdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        // Kept as long as the callback could still pass the time check: the provider's freshness window
        // after the time it was signed with, which is never shorter than the window.
        nonces.spend(verdict.providerId(), verdict.nonce(), verdict.timestamp()
                .plus(freshnessWindow(verdict.providerId())).plus(NONCE_RETENTION_MARGIN), clock.instant());
    }

    /** The configured providers and window, never keys. */
    @Override
    public String toString() {
        return "CallbackVerifier[" + keys + ", nativeNotifications=" + nativeProviders + ", window=" + window
                + ", freshnessWindows=" + freshnessWindows + ", nonces=" + nonces + "]";
    }

    /**
     * Configures a {@link CallbackVerifier}. Not thread-safe; the verifier it builds is.
     */
    public static final class Builder {
        private final ProviderKeys keys = new ProviderKeys();
        private final Set<String> nativeProviders = new HashSet<>();
        private Duration window = DEFAULT_WINDOW;
        private final Map<String, Duration> freshnessWindows = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private NonceStore nonces;

        private Builder() {
        }

        /**
         * Accepts HMAC-SHA256 callbacks from this provider signed with this secret (at least
         * {@value CallbackVerifier#MIN_HMAC_SECRET_BYTES} bytes; 32 random bytes recommended). Call again to
         * add a second secret during a rotation. The bytes are copied.
         */
        public Builder hmacSha256(String providerId, byte[] secret) {
            requireProviderId(providerId);
            Objects.requireNonNull(secret, "secret");
            keys.addHmacSha256(providerId, secret);
            return this;
        }

        /**
         * Accepts Ed25519 callbacks from this provider verified with this public key: the raw 32 bytes, or an
         * X.509 {@code SubjectPublicKeyInfo} in DER (what {@code PublicKey.getEncoded()} gives).
         * Call again to add a second key during a rotation.
         */
        public Builder ed25519(String providerId, byte[] publicKey) {
            requireProviderId(providerId);
            Objects.requireNonNull(publicKey, "publicKey");
            keys.addEd25519(providerId, publicKey);
            return this;
        }

        /**
         * Accepts SM2-with-SM3 callbacks (GM/T 0009, the 国密 signature) from this provider, verified with this
         * public key and the default user id {@value CallbackVerifier#SM2_DEFAULT_USER_ID}; see
         * {@link #sm2Sm3(String, String, String)}.
         */
        public Builder sm2Sm3(String providerId, String publicKeyPem) {
            return sm2Sm3(providerId, publicKeyPem, SM2_DEFAULT_USER_ID);
        }

        /**
         * Accepts SM2-with-SM3 callbacks (GM/T 0009) from this provider, verified with this public key and the
         * user id the provider signs with (the Z value binds it, so another user id never verifies).
         *
         * <p>The key is an X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}) on the curve
         * {@code sm2p256v1}, as {@code openssl pkey -pubout} writes it for an SM2 key; its point is checked to
         * lie on the curve. A signature is accepted as the DER {@code SEQUENCE { r, s }} of GM/T 0009 or as the
         * 64 bytes r || s that some acquirers' signing devices give out (see {@link SignatureScheme#SM2_SM3}).
         * Call again to add a second key during a rotation.
         *
         * @param userId the user id, 1 to 8191 bytes of UTF-8; {@value CallbackVerifier#SM2_DEFAULT_USER_ID} unless
         *               another was agreed
         * @throws PosUnbindException {@code UNB-CALLBACK-KEY-INVALID} when the key or the user id cannot be used;
         *         the message never quotes the key
         */
        public Builder sm2Sm3(String providerId, String publicKeyPem, String userId) {
            requireProviderId(providerId);
            Objects.requireNonNull(publicKeyPem, "publicKeyPem");
            Objects.requireNonNull(userId, "userId");
            keys.addSm2Sm3(providerId, publicKeyPem, userId);
            return this;
        }

        /**
         * Accepts notifications in this provider's own format ({@code Unbinder.acceptNotification}): its
         * {@link CallbackParser} verifies their signature with the provider's scheme and keys,
         * configured in the provider; this verifier then checks their time against the window and their id
         * against the nonce store, as for callbacks in the engine's own format.
         */
        public Builder nativeNotifications(String providerId) {
            requireProviderId(providerId);
            nativeProviders.add(providerId);
            return this;
        }

        /**
         * Accepts notifications in this provider's own format, as {@link #nativeNotifications(String)}, that may
         * be as old as {@code freshnessWindow}: see {@link #freshnessWindow(String, Duration)}.
         */
        public Builder nativeNotifications(String providerId, Duration freshnessWindow) {
            nativeNotifications(providerId);
            return freshnessWindow(providerId, freshnessWindow);
        }

        /**
         * How old a callback or notification of this provider may be, instead of the {@link #window}: for a
         * provider that retries an unanswered notification for days under the same signed time (Adyen retries a
         * non-2xx answer for up to 30 days with the event's original date), so that a notification refused once
         * for a passing reason (503) is not lost as stale on every retry. At most 31 days, and not shorter than
         * the window. Nonces of the provider are kept at least this long after their time, so a retry is still
         * recognised as a replay; size the {@link NonceStore} for it. How far ahead of the clock a timestamp
         * may be stays the window.
         */
        public Builder freshnessWindow(String providerId, Duration freshnessWindow) {
            requireProviderId(providerId);
            Objects.requireNonNull(freshnessWindow, "freshnessWindow");
            if (freshnessWindow.isNegative() || freshnessWindow.isZero()
                    || freshnessWindow.compareTo(Duration.ofDays(31)) > 0) {
                throw new IllegalArgumentException("The freshness window of " + providerId
                        + " is more than zero and at most 31 days");
            }
            freshnessWindows.put(providerId, freshnessWindow);
            return this;
        }

        /** How far a callback's timestamp may be from the verifier's clock, either way; 5 minutes by default. */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("The window is more than zero and at most one day");
            }
            this.window = window;
            return this;
        }

        /** The clock to judge timestamps by; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where used nonces are kept; a new {@link InMemoryNonceStore} by default. */
        public Builder nonceStore(NonceStore nonces) {
            this.nonces = Objects.requireNonNull(nonces, "nonces");
            return this;
        }

        /** Builds the verifier. */
        public CallbackVerifier build() {
            if (keys.isEmpty() && nativeProviders.isEmpty()) {
                throw new IllegalStateException("A callback verifier needs at least one provider key, or a provider"
                        + " whose own notification format it accepts");
            }
            freshnessWindows.forEach((provider, freshness) -> {
                if (freshness.compareTo(window) < 0) {
                    throw new IllegalStateException("The freshness window of " + provider + " (" + freshness
                            + ") is shorter than the window (" + window + ")");
                }
            });
            return new CallbackVerifier(this);
        }

        private static void requireProviderId(String providerId) {
            Objects.requireNonNull(providerId, "providerId");
            if (!CallbackShape.PROVIDER_ID.matcher(providerId).matches()) {
                throw new IllegalArgumentException("A provider id has 1 to 64 characters from [A-Za-z0-9._-]");
            }
        }
    }
}
