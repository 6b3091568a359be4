package io.posunbind.callback;

import static io.posunbind.callback.CallbackSignerTest.ED25519_PRIVATE;
import static io.posunbind.callback.CallbackSignerTest.ED25519_PUBLIC;
import static io.posunbind.callback.CallbackSignerTest.SECRET;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.testing.MovableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A provider's callbacks: accepted when authentic, fresh and new; otherwise refused with a distinct code. */
class CallbackVerifierTest {

    static final Instant NOW = Instant.parse("2025-06-03T08:15:30Z");
    static final String BODY = "{\"event\":\"APPROVAL_DECIDED\",\"application\":\"A-778\",\"decision\":\"APPROVED\"}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MovableClock clock = new MovableClock(NOW);
    private final InMemoryNonceStore nonces = new InMemoryNonceStore();
    private final CallbackSigner acme = CallbackSigner.hmacSha256("acme", SECRET);
    private final CallbackSigner bank = CallbackSigner.ed25519("bank-of-demo", ED25519_PRIVATE);
    private final CallbackVerifier verifier = CallbackVerifier.builder()
            .hmacSha256("acme", SECRET)
            .ed25519("bank-of-demo", ED25519_PUBLIC)
            .clock(clock)
            .nonceStore(nonces)
            .build();

    // --- accepted ------------------------------------------------------------------------------------------

    @Test
    void acceptsAnHmacSignedCallback() {
        CallbackVerdict verdict = verifier.verify(acme.sign("n-1", NOW, BODY));
        assertEquals("acme", verdict.providerId());
        assertEquals("n-1", verdict.nonce());
        assertEquals(BODY, verdict.body());
        assertEquals(SignatureScheme.HMAC_SHA256, verdict.scheme());
        assertEquals(NOW, verdict.acceptedAt());
        assertFalse(verdict.toString().contains("APPROVED"));
    }

    @Test
    void acceptsAnEd25519SignedCallback() {
        CallbackVerdict verdict = verifier.verify(bank.sign("n-1", NOW, BODY));
        assertEquals("bank-of-demo", verdict.providerId());
        assertEquals(SignatureScheme.ED25519, verdict.scheme());
    }

    @Test
    void acceptsAnEd25519KeyGivenAsX509() throws Exception {
        byte[] x509 = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                new Ed25519PublicKeyParameters(ED25519_PUBLIC, 0)).getEncoded();
        CallbackVerifier fromX509 = CallbackVerifier.builder().ed25519("bank-of-demo", x509).clock(clock).build();
        assertEquals("bank-of-demo", fromX509.verify(bank.sign("n-1", NOW, BODY)).providerId());
        assertThrows(IllegalArgumentException.class,
                () -> CallbackVerifier.builder().ed25519("bank-of-demo", new byte[] {1, 2, 3}));
    }

    @Test
    void acceptsTheDocumentedExample() {
        Callback example = new Callback("acme", "7c1f0e2a", Instant.parse("2025-06-03T08:15:30Z"),
                "{\"status\":\"APPROVED\"}", "Q1klFzi9vZ2uNkBNUmj4sYm0laa+jLIAFKRm2aZ6KGs=", SignatureScheme.HMAC_SHA256);
        assertEquals("acme", verifier.verify(example).providerId());
    }

    @Test
    void acceptsOldAndNewSecretsDuringARotation() {
        byte[] newSecret = CallbackSigner.newHmacSecret(RANDOM);
        CallbackVerifier rotating = CallbackVerifier.builder().hmacSha256("acme", SECRET).hmacSha256("acme", newSecret)
                .clock(clock).build();
        rotating.verify(acme.sign("old", NOW, BODY));
        rotating.verify(CallbackSigner.hmacSha256("acme", newSecret).sign("new", NOW, BODY));
    }

    @Test
    void acceptsAnEmptyBodyAndABodyOfExactly64KiB() {
        verifier.verify(acme.sign("empty", NOW, ""));
        String largest = "x".repeat(CallbackVerifier.MAX_BODY_BYTES);
        verifier.verify(acme.sign("largest", NOW, largest));
    }

    // --- the window ----------------------------------------------------------------------------------------

    @Test
    void acceptsTimestampsExactlyAtTheWindowsEdges() {
        verifier.verify(acme.sign("old-edge", NOW.minus(CallbackVerifier.DEFAULT_WINDOW), BODY));
        verifier.verify(acme.sign("future-edge", NOW.plus(CallbackVerifier.DEFAULT_WINDOW), BODY));
    }

    @Test
    void refusesOneSecondBeyondEitherEdgeAsStale() {
        CallbackRejectedException old = assertRejected(CoreErrorCode.CALLBACK_STALE,
                acme.sign("too-old", NOW.minusSeconds(301), BODY));
        assertTrue(old.getMessage().contains("301 s old"), old.getMessage());
        CallbackRejectedException future = assertRejected(CoreErrorCode.CALLBACK_STALE,
                acme.sign("too-new", NOW.plusSeconds(301), BODY));
        assertTrue(future.getMessage().contains("ahead of our clock"), future.getMessage());
    }

    @Test
    void theWindowIsConfigurable() {
        CallbackVerifier tight = CallbackVerifier.builder().hmacSha256("acme", SECRET).window(Duration.ofSeconds(30))
                .clock(clock).build();
        tight.verify(acme.sign("ok", NOW.minusSeconds(30), BODY));
        assertEquals(CoreErrorCode.CALLBACK_STALE, assertThrows(CallbackRejectedException.class,
                () -> tight.verify(acme.sign("late", NOW.minusSeconds(31), BODY))).errorCode());
        assertThrows(IllegalArgumentException.class, () -> CallbackVerifier.builder().window(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> CallbackVerifier.builder().window(Duration.ofDays(2)));
    }

    @Test
    void extremeTimestampsAreStaleNotAnOverflow() {
        // Signed, so they reach the window check.
        assertRejected(CoreErrorCode.CALLBACK_STALE, acme.sign("min", Instant.MIN, BODY));
        assertRejected(CoreErrorCode.CALLBACK_STALE, acme.sign("max", Instant.MAX.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS), BODY));
        assertRejected(CoreErrorCode.CALLBACK_STALE, acme.sign("epoch", Instant.EPOCH, BODY));
    }

    // --- replays -------------------------------------------------------------------------------------------

    @Test
    void refusesAReplay() {
        Callback callback = acme.sign("n-1", NOW, BODY);
        verifier.verify(callback);
        CallbackRejectedException e = assertRejected(CoreErrorCode.CALLBACK_REPLAYED, callback);
        assertEquals(Optional.of("acme"), e.claimedProviderId());
        assertEquals(Optional.of("n-1"), e.nonce());
    }

    @Test
    void aReplayWithinTheWindowIsRefusedEvenLater() {
        Callback callback = acme.sign("n-1", NOW, BODY);
        verifier.verify(callback);
        clock.advance(Duration.ofMinutes(5));
        assertRejected(CoreErrorCode.CALLBACK_REPLAYED, callback);
    }

    @Test
    void afterTheWindowAReplayIsStaleAndTheNonceIsForgotten() {
        Callback callback = acme.sign("n-1", NOW, BODY);
        verifier.verify(callback);
        assertEquals(1, nonces.size());
        clock.advance(CallbackVerifier.DEFAULT_WINDOW.plus(CallbackVerifier.NONCE_RETENTION_MARGIN).plusSeconds(1));
        assertRejected(CoreErrorCode.CALLBACK_STALE, callback);
        verifier.verify(acme.sign("n-2", clock.instant(), BODY));
        assertEquals(1, nonces.size(), "n-1 expired and was dropped when n-2 came");
    }

    @Test
    void aNonceIsPerProvider() {
        verifier.verify(acme.sign("shared", NOW, BODY));
        verifier.verify(bank.sign("shared", NOW, BODY));
    }

    @Test
    void rejectedCallbacksDoNotUseUpTheirNonce() {
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID,
                CallbackSigner.hmacSha256("acme", CallbackSigner.newHmacSecret(RANDOM)).sign("n-1", NOW, BODY));
        assertRejected(CoreErrorCode.CALLBACK_STALE, acme.sign("n-1", NOW.minusSeconds(3600), BODY));
        assertEquals(0, nonces.size());
        verifier.verify(acme.sign("n-1", NOW, BODY));
    }

    @Test
    void concurrentDeliveriesOfOneCallbackAreAcceptedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 20; round++) {
                Callback callback = acme.sign("n-" + round, NOW, BODY);
                AtomicInteger accepted = new AtomicInteger();
                AtomicInteger replayed = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    futures.add(pool.submit(() -> {
                        try {
                            verifier.verify(callback);
                            accepted.incrementAndGet();
                        } catch (CallbackRejectedException e) {
                            if (e.errorCode() == CoreErrorCode.CALLBACK_REPLAYED) {
                                replayed.incrementAndGet();
                            }
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
                assertEquals(1, accepted.get());
                assertEquals(15, replayed.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFullNonceStoreRefusesRetryably() {
        CallbackVerifier small = CallbackVerifier.builder().hmacSha256("acme", SECRET).clock(clock)
                .nonceStore(new InMemoryNonceStore(1)).build();
        small.verify(acme.sign("n-1", NOW, BODY));
        CallbackRejectedException e = assertThrows(CallbackRejectedException.class,
                () -> small.verify(acme.sign("n-2", NOW, BODY)));
        assertEquals(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE, e.errorCode());
        assertTrue(e.retryable());
    }

    @Test
    void aFailingNonceStoreFailsClosed() {
        CallbackVerifier broken = CallbackVerifier.builder().hmacSha256("acme", SECRET).clock(clock)
                .nonceStore(new NonceStore() {
                    @Override
                    public boolean isUsed(String providerId, String nonce, Instant now) {
                        throw new IllegalStateException("database down");
                    }

                    @Override
                    public boolean markUsed(String providerId, String nonce, Instant expiresAt, Instant now) {
                        throw new IllegalStateException("database down");
                    }
                }).build();
        assertEquals(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE, assertThrows(CallbackRejectedException.class,
                () -> broken.verify(acme.sign("n-1", NOW, BODY))).errorCode());
        assertEquals(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE, assertThrows(CallbackRejectedException.class,
                () -> broken.check(acme.sign("n-1", NOW, BODY))).errorCode());
    }

    // --- check, act, then spend ----------------------------------------------------------------------------

    @Test
    void aCheckedCallbackIsAcceptedAgainUntilItsNonceIsSpent() {
        Callback callback = acme.sign("n-1", NOW, BODY);
        CallbackVerdict first = verifier.check(callback);
        assertEquals(0, nonces.size(), "checking spends nothing");
        // The case was busy: the sender sends the same callback again, and it still passes.
        CallbackVerdict retried = verifier.check(callback);
        verifier.spend(retried);
        assertRejected(CoreErrorCode.CALLBACK_REPLAYED, callback);
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> verifier.spend(first)).errorCode(), "a concurrent delivery that spends second is a replay");
    }

    @Test
    void concurrentSpendsOfOneNonceLetExactlyOneDeliveryCount() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                CallbackVerdict verdict = verifier.check(acme.sign("n-" + round, NOW, BODY));
                AtomicInteger spent = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> {
                        try {
                            verifier.spend(verdict);
                            spent.incrementAndGet();
                        } catch (CallbackRejectedException e) {
                            assertEquals(CoreErrorCode.CALLBACK_REPLAYED, e.errorCode());
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
                assertEquals(1, spent.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- forged and unknown --------------------------------------------------------------------------------

    @Test
    void refusesAnAlteredBody() {
        Callback genuine = acme.sign("n-1", NOW, BODY);
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, new Callback("acme", "n-1", NOW,
                BODY.replace("APPROVED", "REJECTED"), genuine.signature(), SignatureScheme.HMAC_SHA256));
    }

    @Test
    void refusesEveryAlteredHeaderField() {
        Callback genuine = acme.sign("n-1", NOW, BODY);
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, new Callback("acme", "n-2", NOW, BODY,
                genuine.signature(), SignatureScheme.HMAC_SHA256));
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, new Callback("acme", "n-1", NOW.plusSeconds(1), BODY,
                genuine.signature(), SignatureScheme.HMAC_SHA256));
    }

    @Test
    void refusesAWrongSecretAndAWrongKey() {
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID,
                CallbackSigner.hmacSha256("acme", CallbackSigner.newHmacSecret(RANDOM)).sign("n-1", NOW, BODY));
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, CallbackSigner.ed25519("bank-of-demo",
                CallbackSigner.newEd25519PrivateKey(RANDOM)).sign("n-1", NOW, BODY));
    }

    @Test
    void refusesASignatureMovedToAnotherProvider() {
        // Both providers share a secret here, yet the provider id is part of what is signed.
        CallbackVerifier twoProviders = CallbackVerifier.builder().hmacSha256("acme", SECRET)
                .hmacSha256("acme2", SECRET).clock(clock).build();
        Callback genuine = acme.sign("n-1", NOW, BODY);
        assertEquals(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, assertThrows(CallbackRejectedException.class,
                () -> twoProviders.verify(new Callback("acme2", "n-1", NOW, BODY, genuine.signature(),
                        SignatureScheme.HMAC_SHA256))).errorCode());
    }

    @Test
    void refusesAnUnknownProviderAndAnUnconfiguredScheme() {
        assertRejected(CoreErrorCode.CALLBACK_UNKNOWN_SENDER,
                CallbackSigner.hmacSha256("stranger", SECRET).sign("n-1", NOW, BODY));
        // acme has an HMAC secret only; an Ed25519 signature claiming to be acme has no key to check against.
        assertRejected(CoreErrorCode.CALLBACK_UNKNOWN_SENDER,
                CallbackSigner.ed25519("acme", ED25519_PRIVATE).sign("n-1", NOW, BODY));
        assertRejected(CoreErrorCode.CALLBACK_UNKNOWN_SENDER,
                CallbackSigner.hmacSha256("bank-of-demo", SECRET).sign("n-1", NOW, BODY));
    }

    @Test
    void aForgedStaleCallbackIsCalledForged() {
        assertRejected(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, CallbackSigner.hmacSha256("acme",
                CallbackSigner.newHmacSecret(RANDOM)).sign("n-1", NOW.minusSeconds(86_400), BODY));
    }

    // --- malformed -----------------------------------------------------------------------------------------

    @Test
    void refusesNullsAsMalformed() {
        Callback genuine = acme.sign("n-1", NOW, BODY);
        assertEquals(CoreErrorCode.CALLBACK_MALFORMED,
                assertThrows(CallbackRejectedException.class, () -> verifier.verify(null)).errorCode());
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback(null, "n-1", NOW, BODY, genuine.signature(),
                SignatureScheme.HMAC_SHA256));
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", null, NOW, BODY, genuine.signature(),
                SignatureScheme.HMAC_SHA256));
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", "n-1", null, BODY, genuine.signature(),
                SignatureScheme.HMAC_SHA256));
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", "n-1", NOW, null, genuine.signature(),
                SignatureScheme.HMAC_SHA256));
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", "n-1", NOW, BODY, null,
                SignatureScheme.HMAC_SHA256));
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", "n-1", NOW, BODY, genuine.signature(),
                null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ac me", "acme\n", "ａｃｍｅ", "acme/../x",
            "a-very-long-provider-id-that-goes-on-and-on-beyond-sixty-four-characters"})
    void refusesMalformedProviderIds(String providerId) {
        Callback genuine = acme.sign("n-1", NOW, BODY);
        CallbackRejectedException e = assertRejected(CoreErrorCode.CALLBACK_MALFORMED,
                new Callback(providerId, "n-1", NOW, BODY, genuine.signature(), SignatureScheme.HMAC_SHA256));
        assertEquals(Optional.empty(), e.claimedProviderId(), "a malformed id is not echoed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "line\nfeed", "随机数", "tab\t"})
    void refusesMalformedNonces(String nonce) {
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", nonce, NOW, BODY,
                acme.signature("n-1", NOW, BODY), SignatureScheme.HMAC_SHA256));
    }

    @Test
    void refusesAnOverlongNonce() {
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, acme.sign("n".repeat(129), NOW, BODY));
        verifier.verify(acme.sign("n".repeat(128), NOW, BODY));
    }

    @Test
    void refusesFractionalTimestamps() {
        Callback genuine = acme.sign("n-1", NOW, BODY);
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", "n-1", NOW.plusMillis(1), BODY,
                genuine.signature(), SignatureScheme.HMAC_SHA256));
    }

    @Test
    void refusesBodiesOver64KiB() {
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED,
                acme.sign("big", NOW, "x".repeat(CallbackVerifier.MAX_BODY_BYTES + 1)));
        // 22,000 Chinese characters are 66,000 bytes of UTF-8: counted in bytes, not characters.
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, acme.sign("wide", NOW, "商".repeat(22_000)));
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, acme.sign("huge", NOW, "x".repeat(10_000_000)));
    }

    @Test
    void refusesALoneSurrogateWhichUtf8CannotCarry() {
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, acme.sign("n-1", NOW, "{\"a\":\"\uD800\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "AAAA", "Q1klFzi9vZ2uNkBNUmj4sYm0laa+jLIAFKRm2aZ6KGs",
            " Q1klFzi9vZ2uNkBNUmj4sYm0laa+jLIAFKRm2aZ6KGs=", "Q1klFzi9vZ2uNkBNUmj4sYm0laa+jLIAFKRm2aZ6KGt=",
            "Q1klFzi9vZ2uNkBNUmj4sYm0laa-jLIAFKRm2aZ6KGs="})
    void refusesSignaturesThatAreNotCanonicalBase64OfTheRightLength(String signature) {
        assertRejected(CoreErrorCode.CALLBACK_MALFORMED, new Callback("acme", "7c1f0e2a",
                Instant.parse("2025-06-03T08:15:30Z"), "{\"status\":\"APPROVED\"}", signature,
                SignatureScheme.HMAC_SHA256));
    }

    @Test
    void messagesHoldNeitherBodyNorSignatureNorSecret() {
        Callback genuine = acme.sign("n-1", NOW, BODY);
        List<Callback> bad = List.of(
                new Callback("acme", "n-1", NOW, BODY + " ", genuine.signature(), SignatureScheme.HMAC_SHA256),
                acme.sign("n-2", NOW.minusSeconds(999), BODY),
                CallbackSigner.hmacSha256("stranger", SECRET).sign("n-3", NOW, BODY));
        for (Callback callback : bad) {
            CallbackRejectedException e = assertThrows(CallbackRejectedException.class, () -> verifier.verify(callback));
            assertFalse(e.getMessage().contains("APPROVAL_DECIDED"), e.getMessage());
            assertFalse(e.getMessage().contains(callback.signature()), e.getMessage());
            assertFalse(e.getMessage().contains(Base64.getEncoder().encodeToString(SECRET)), e.getMessage());
        }
        assertFalse(verifier.toString().contains("posunbind-test-secret"));
    }

    @Test
    void builderChecksItsInput() {
        assertThrows(IllegalStateException.class, () -> CallbackVerifier.builder().build());
        assertThrows(IllegalArgumentException.class, () -> CallbackVerifier.builder().hmacSha256("acme", new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> CallbackVerifier.builder().hmacSha256("a b", SECRET));
    }

    private CallbackRejectedException assertRejected(CoreErrorCode code, Callback callback) {
        CallbackRejectedException e = assertThrows(CallbackRejectedException.class, () -> verifier.verify(callback));
        assertEquals(code, e.errorCode(), e.getMessage());
        return e;
    }

    // --- notifications in a provider's own format, verified by its parser ---

    @Test
    void aProviderVerifiedNotificationIsCheckedForItsTimeAndIdAndSpentOnlyWhenSpent() {
        CallbackVerifier nativeOnly = CallbackVerifier.builder().nativeNotifications("adyen").clock(clock)
                .nonceStore(nonces).build();

        CallbackVerdict verdict = nativeOnly.checkVerifiedNotification("adyen", "AUTHORISATION:8815", NOW.plusMillis(250),
                BODY);
        assertEquals(SignatureScheme.PROVIDER_NATIVE, verdict.scheme());
        // Checked, not spent: a retry after a passing refusal is still accepted.
        nativeOnly.checkVerifiedNotification("adyen", "AUTHORISATION:8815", NOW, BODY);
        nativeOnly.spend(verdict);

        assertAll(() -> assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                        () -> nativeOnly.checkVerifiedNotification("adyen", "AUTHORISATION:8815", NOW, BODY)).errorCode()),
                () -> assertEquals(CoreErrorCode.CALLBACK_STALE, assertThrows(CallbackRejectedException.class,
                        () -> nativeOnly.checkVerifiedNotification("adyen", "evt-2", NOW.minusSeconds(301), BODY))
                        .errorCode()),
                () -> assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, assertThrows(CallbackRejectedException.class,
                        () -> nativeOnly.checkVerifiedNotification("stripe", "evt-3", NOW, BODY)).errorCode()),
                () -> assertEquals(CoreErrorCode.CALLBACK_MALFORMED, assertThrows(CallbackRejectedException.class,
                        () -> nativeOnly.checkVerifiedNotification("adyen", "with space", NOW, BODY)).errorCode()));
    }

    @Test
    void anAdyenNotificationRetriedForDaysAfterA503IsStillAcceptedAndStillRecognisedAsAReplayOnceActedOn() {
        // Adyen retries a notification it got no 2xx for, for days, with the event's original signed date.
        CallbackVerifier verifier = CallbackVerifier.builder().nativeNotifications("adyen", Duration.ofDays(30))
                .nativeNotifications("stripe").clock(clock).nonceStore(nonces).build();
        Instant signed = NOW;

        clock.advance(Duration.ofDays(3)); // the first answer was a 503; this is a retry three days later
        CallbackVerdict verdict = verifier.checkVerifiedNotification("adyen", "REPORT_AVAILABLE:8815", signed, BODY);
        verifier.spend(verdict);

        clock.advance(Duration.ofDays(20)); // its nonce is kept as long as a retry could pass the time check
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> verifier.checkVerifiedNotification("adyen", "REPORT_AVAILABLE:8815", signed, BODY)).errorCode());
        assertEquals(CoreErrorCode.CALLBACK_STALE, assertThrows(CallbackRejectedException.class,
                () -> verifier.checkVerifiedNotification("adyen", "REPORT_AVAILABLE:9000", signed.minus(Duration
                        .ofDays(8)), BODY)).errorCode(), "older than 30 days is still stale");
        assertEquals(CoreErrorCode.CALLBACK_STALE, assertThrows(CallbackRejectedException.class,
                () -> verifier.checkVerifiedNotification("stripe", "evt-1", clock.instant().minusSeconds(301), BODY))
                .errorCode(), "other providers keep the window");
        assertEquals(CoreErrorCode.CALLBACK_STALE, assertThrows(CallbackRejectedException.class,
                () -> verifier.checkVerifiedNotification("adyen", "evt-ahead", clock.instant().plus(Duration
                        .ofDays(1)), BODY)).errorCode(), "how far ahead stays the window");
        assertEquals(Duration.ofDays(30), verifier.freshnessWindow("adyen"));
        assertThrows(IllegalStateException.class, () -> CallbackVerifier.builder().window(Duration.ofMinutes(10))
                .nativeNotifications("adyen", Duration.ofMinutes(5)).build());
    }

    @Test
    void theProviderNativeSchemeCannotBeClaimedByACallbackInTheEnginesOwnFormat() {
        Callback signed = acme.sign("n-1", NOW, BODY);
        Callback claimingNative = new Callback("acme", "n-1", NOW, BODY, signed.signature(),
                SignatureScheme.PROVIDER_NATIVE);

        assertAll(() -> assertEquals(CoreErrorCode.CALLBACK_MALFORMED, assertThrows(CallbackRejectedException.class,
                        () -> verifier.verify(claimingNative)).errorCode()),
                () -> assertThrows(CallbackRejectedException.class, () -> SignatureScheme.fromId("provider-native")),
                () -> assertFalse(verifier.acceptsNativeNotifications("acme")));
    }
}
