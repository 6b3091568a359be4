package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.callback.VerifiedNotifications;
import io.posunbind.internal.crypto.Sm2WithSm3;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.Arrays;

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

    private static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern NONCE = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final Map<String, List<byte[]>> hmacSecrets;
    private final Map<String, List<Ed25519PublicKeyParameters>> ed25519Keys;
    private final Map<String, List<Sm2Key>> sm2Keys;
    private final Set<String> nativeProviders;
    private final Duration window;
    /** Providers whose notifications may be older than the window (a sender that retries for days). */
    private final Map<String, Duration> freshnessWindows;
    private final Clock clock;
    private final NonceStore nonces;

    static {
        // The engine's access to checkVerifiedNotification, which is not public: see VerifiedNotifications.
        VerifiedNotifications.register(CallbackVerifier::checkVerifiedNotification);
    }

    private CallbackVerifier(Builder builder) {
        this.hmacSecrets = copy(builder.hmacSecrets);
        this.ed25519Keys = copy(builder.ed25519Keys);
        this.sm2Keys = copy(builder.sm2Keys);
        this.nativeProviders = Set.copyOf(builder.nativeProviders);
        this.window = builder.window;
        this.freshnessWindows = Map.copyOf(builder.freshnessWindows);
        this.clock = builder.clock;
        this.nonces = builder.nonces != null ? builder.nonces : new InMemoryNonceStore();
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
        // Every char takes at least one UTF-8 byte: a long string is refused before it is encoded.
        int bodyBytes = body.length() > MAX_BODY_BYTES ? MAX_BODY_BYTES + 1 : utf8Length(body);
        if (bodyBytes > MAX_BODY_BYTES) {
            throw malformed("the body is larger than " + MAX_BODY_BYTES + " bytes", providerId, nonce);
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

        byte[] content = Callback.canonicalBytes(providerId, nonce, timestamp, body);
        boolean known;
        boolean valid;
        if (scheme == SignatureScheme.HMAC_SHA256) {
            List<byte[]> secrets = hmacSecrets.getOrDefault(providerId, List.of());
            known = !secrets.isEmpty();
            valid = known && hmacMatches(secrets, content, signature);
        } else if (scheme == SignatureScheme.ED25519) {
            List<Ed25519PublicKeyParameters> keys = ed25519Keys.getOrDefault(providerId, List.of());
            known = !keys.isEmpty();
            valid = known && ed25519Matches(keys, content, signature);
        } else {
            List<Sm2Key> keys = sm2Keys.getOrDefault(providerId, List.of());
            known = !keys.isEmpty();
            valid = known && sm2Matches(keys, content, sm2Signatures);
        }
        if (!known) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, describe(providerId, nonce)
                    + ": no " + scheme.id() + " key is configured for provider " + providerId
                    + "; configure the provider's key, or have it sign with the scheme agreed", providerId, nonce);
        }
        if (!valid) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, describe(providerId, nonce)
                    + ": the " + scheme.id() + " signature does not match its content; it was forged, altered on"
                    + " the way, or signed with a key not configured here", providerId, nonce);
        }

        Instant now = clock.instant();
        checkWindow(providerId, nonce, timestamp, now);
        checkUnspent(providerId, nonce, now);
        return new CallbackVerdict(providerId, nonce, timestamp, body, scheme, now);
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

    private void checkUnspent(String providerId, String nonce, Instant now) {
        boolean used;
        try {
            used = nonces.isUsed(providerId, nonce, now);
        } catch (RuntimeException e) {
            throw storeUnavailable(providerId, nonce, e);
        }
        if (used) {
            throw replayed(providerId, nonce);
        }
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
        String provider = wellFormed(PROVIDER_ID, providerId);
        String nonce = wellFormed(NONCE, notificationId);
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
        checkUnspent(provider, nonce, now);
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
        boolean fresh;
        try {
            // Kept as long as the callback could still pass the time check: the provider's freshness window
            // after the time it was signed with, which is never shorter than the window.
            fresh = nonces.markUsed(verdict.providerId(), verdict.nonce(), verdict.timestamp()
                    .plus(freshnessWindow(verdict.providerId())).plus(NONCE_RETENTION_MARGIN), clock.instant());
        } catch (RuntimeException e) {
            throw storeUnavailable(verdict.providerId(), verdict.nonce(), e);
        }
        if (!fresh) {
            throw replayed(verdict.providerId(), verdict.nonce());
        }
    }

    private static CallbackRejectedException replayed(String providerId, String nonce) {
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAYED, describe(providerId, nonce)
                + ": this nonce was used before; a callback is accepted once", providerId, nonce);
    }

    private static CallbackRejectedException storeUnavailable(String providerId, String nonce, RuntimeException e) {
        // Fail closed: without a replay check the callback cannot be accepted.
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE,
                describe(providerId, nonce) + ": the nonce store cannot check for a replay ("
                        + (e instanceof PosUnbindException coded ? coded.errorCode().code()
                        : e.getClass().getSimpleName()) + "); send it again later", providerId, nonce);
    }

    /** The configured providers and window, never keys. */
    @Override
    public String toString() {
        return "CallbackVerifier[hmacSha256=" + hmacSecrets.keySet() + ", ed25519=" + ed25519Keys.keySet()
                + ", sm2Sm3=" + sm2Keys.keySet() + ", nativeNotifications=" + nativeProviders + ", window=" + window
                + ", freshnessWindows=" + freshnessWindows + ", nonces=" + nonces + "]";
    }

    private static boolean hmacMatches(List<byte[]> secrets, byte[] content, byte[] signature) {
        boolean matched = false;
        for (byte[] secret : secrets) {
            HMac mac = new HMac(new SHA256Digest());
            mac.init(new KeyParameter(secret));
            mac.update(content, 0, content.length);
            byte[] expected = new byte[mac.getMacSize()];
            mac.doFinal(expected, 0);
            // Every secret is tried and compared in constant time, so timing says nothing about the tag.
            matched |= Arrays.constantTimeAreEqual(expected, signature);
        }
        return matched;
    }

    private static boolean ed25519Matches(List<Ed25519PublicKeyParameters> keys, byte[] content, byte[] signature) {
        for (Ed25519PublicKeyParameters key : keys) {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key);
            verifier.update(content, 0, content.length);
            if (verifier.verifySignature(signature)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sm2Matches(List<Sm2Key> keys, byte[] content, List<byte[]> signatures) {
        for (Sm2Key key : keys) {
            for (byte[] signature : signatures) {
                if (Sm2WithSm3.verify(key.publicKey(), key.userId(), content, signature)) {
                    return true;
                }
            }
        }
        return false;
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

    private static String wellFormed(Pattern pattern, String text) {
        return text != null && text.length() <= 128 && pattern.matcher(text).matches() ? text : null;
    }

    /** Text fit for a log line: the value if it is short visible ASCII, otherwise a placeholder. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        return NONCE.matcher(text).matches() ? text : "(" + text.length() + " chars, not printable)";
    }

    private static String describe(String providerId, String nonce) {
        return "Callback " + nonce + " from " + providerId;
    }

    private static CallbackRejectedException malformed(String problem, String providerId, String nonce) {
        String who = providerId == null ? "A callback" : describe(providerId, nonce == null ? "(no nonce)" : nonce);
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED,
                who + " is malformed: " + problem, providerId, nonce);
    }

    private static <T> Map<String, List<T>> copy(Map<String, List<T>> keys) {
        Map<String, List<T>> copy = new HashMap<>();
        keys.forEach((provider, list) -> copy.put(provider, List.copyOf(list)));
        return Map.copyOf(copy);
    }

    /**
     * Configures a {@link CallbackVerifier}. Not thread-safe; the verifier it builds is.
     */
    public static final class Builder {
        private final Map<String, List<byte[]>> hmacSecrets = new HashMap<>();
        private final Map<String, List<Ed25519PublicKeyParameters>> ed25519Keys = new HashMap<>();
        private final Map<String, List<Sm2Key>> sm2Keys = new HashMap<>();
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
            if (secret.length < MIN_HMAC_SECRET_BYTES) {
                throw new IllegalArgumentException("An HMAC secret for " + providerId + " has at least "
                        + MIN_HMAC_SECRET_BYTES + " bytes");
            }
            hmacSecrets.computeIfAbsent(providerId, id -> new ArrayList<>()).add(secret.clone());
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
            ed25519Keys.computeIfAbsent(providerId, id -> new ArrayList<>()).add(ed25519Key(providerId, publicKey));
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
            sm2Keys.computeIfAbsent(providerId, id -> new ArrayList<>()).add(Sm2Key.read(providerId, publicKeyPem,
                    userId));
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
            if (hmacSecrets.isEmpty() && ed25519Keys.isEmpty() && sm2Keys.isEmpty() && nativeProviders.isEmpty()) {
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

        private static Ed25519PublicKeyParameters ed25519Key(String providerId, byte[] encoded) {
            if (encoded.length == Ed25519PublicKeyParameters.KEY_SIZE) {
                return new Ed25519PublicKeyParameters(encoded, 0);
            }
            AsymmetricKeyParameter key;
            try {
                key = PublicKeyFactory.createKey(encoded);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("The Ed25519 key for " + providerId
                        + " is neither 32 raw bytes nor an X.509 SubjectPublicKeyInfo", e);
            }
            if (!(key instanceof Ed25519PublicKeyParameters ed25519)) {
                throw new IllegalArgumentException("The key for " + providerId + " is not an Ed25519 public key");
            }
            return ed25519;
        }

        private static void requireProviderId(String providerId) {
            Objects.requireNonNull(providerId, "providerId");
            if (!PROVIDER_ID.matcher(providerId).matches()) {
                throw new IllegalArgumentException("A provider id has 1 to 64 characters from [A-Za-z0-9._-]");
            }
        }
    }
}
