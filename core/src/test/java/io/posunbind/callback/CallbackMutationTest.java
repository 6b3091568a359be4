package io.posunbind.callback;

import static io.posunbind.callback.CallbackSignerTest.ED25519_PRIVATE;
import static io.posunbind.callback.CallbackSignerTest.ED25519_PUBLIC;
import static io.posunbind.callback.CallbackSignerTest.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.posunbind.CoreErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fuzz-ish: random mutations of one valid signed callback, one to three fields at a time. Every one
 * must be refused with a callback code; none may be accepted or escape as another exception. The seed
 * is fixed so that a failure can be replayed.
 */
class CallbackMutationTest {

    private static final int MUTATIONS = 2_000;
    private static final Instant NOW = CallbackVerifierTest.NOW;
    private static final Set<CoreErrorCode> CALLBACK_CODES = EnumSet.of(CoreErrorCode.CALLBACK_SIGNATURE_INVALID,
            CoreErrorCode.CALLBACK_UNKNOWN_SENDER, CoreErrorCode.CALLBACK_STALE, CoreErrorCode.CALLBACK_REPLAYED,
            CoreErrorCode.CALLBACK_MALFORMED);
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void everyMutationIsRefusedWithACode(SignatureScheme scheme) {
        CallbackSigner signer = switch (scheme) {
            case HMAC_SHA256 -> CallbackSigner.hmacSha256("acme", SECRET);
            case SM2_SM3 -> CallbackSigner.sm2Sm3("acme", Sm2CallbackTest.OPENSSL_PRIVATE_KEY);
            default -> CallbackSigner.ed25519("acme", ED25519_PRIVATE);
        };
        Callback original = signer.sign("a1b2c3d4-0001", NOW, CallbackVerifierTest.BODY);
        CallbackVerifier verifier = CallbackVerifier.builder()
                .hmacSha256("acme", SECRET).ed25519("acme", ED25519_PUBLIC)
                .sm2Sm3("acme", Sm2CallbackTest.OPENSSL_PUBLIC_KEY)
                .hmacSha256("other", SECRET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        // A replayed original is one of the mutations' ancestors: consume it in a separate verifier only.
        CallbackVerifier.builder().hmacSha256("acme", SECRET).ed25519("acme", ED25519_PUBLIC)
                .sm2Sm3("acme", Sm2CallbackTest.OPENSSL_PUBLIC_KEY)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().verify(original);

        Random random = new Random(20250603L + scheme.ordinal());
        Map<String, Integer> byCode = new TreeMap<>();
        for (int i = 0; i < MUTATIONS; i++) {
            Callback mutated = original;
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes || sameContent(mutated, original); c++) {
                mutated = mutate(mutated, random, signer);
            }
            try {
                CallbackVerdict verdict = verifier.verify(mutated);
                fail("mutation " + i + " was accepted: " + mutated + " -> " + verdict);
            } catch (CallbackRejectedException e) {
                assertTrue(CALLBACK_CODES.contains(e.errorCode()), "mutation " + i + ": " + e.errorCode());
                byCode.merge(e.errorCode().code(), 1, Integer::sum);
            } catch (RuntimeException e) {
                throw new AssertionError("mutation " + i + " escaped uncoded: " + mutated, e);
            }
        }
        assertEquals(MUTATIONS, byCode.values().stream().mapToInt(Integer::intValue).sum());
        System.out.println("Callback mutations (" + scheme.id() + "): " + MUTATIONS + " refused " + byCode);
    }

    private static boolean sameContent(Callback a, Callback b) {
        return Objects.equals(a.providerId(), b.providerId()) && Objects.equals(a.nonce(), b.nonce())
                && Objects.equals(a.timestamp(), b.timestamp()) && Objects.equals(a.body(), b.body())
                && Objects.equals(a.signature(), b.signature()) && a.scheme() == b.scheme();
    }

    private static Callback mutate(Callback c, Random random, CallbackSigner signer) {
        return switch (random.nextInt(6)) {
            case 0 -> new Callback(mutateText(c.providerId(), random, "other", "stranger"), c.nonce(), c.timestamp(),
                    c.body(), c.signature(), c.scheme());
            case 1 -> new Callback(c.providerId(), mutateText(c.nonce(), random, "a1b2c3d4-0002", "x"), c.timestamp(),
                    c.body(), c.signature(), c.scheme());
            case 2 -> new Callback(c.providerId(), c.nonce(), mutateTime(c.timestamp(), random), c.body(),
                    c.signature(), c.scheme());
            case 3 -> new Callback(c.providerId(), c.nonce(), c.timestamp(), mutateBody(c.body(), random),
                    c.signature(), c.scheme());
            case 4 -> new Callback(c.providerId(), c.nonce(), c.timestamp(), c.body(),
                    mutateSignature(c.signature(), random, signer), c.scheme());
            default -> new Callback(c.providerId(), c.nonce(), c.timestamp(), c.body(), c.signature(),
                    random.nextInt(4) == 0 ? null
                            : SignatureScheme.values()[random.nextInt(SignatureScheme.values().length)]);
        };
    }

    private static String mutateText(String text, Random random, String... alternatives) {
        if (text == null) {
            return alternatives[random.nextInt(alternatives.length)];
        }
        Function<String, String> change = switch (random.nextInt(9)) {
            case 0 -> t -> null;
            case 1 -> t -> "";
            case 2 -> t -> alternatives[random.nextInt(alternatives.length)];
            case 3 -> t -> t + (char) (33 + random.nextInt(94));
            case 4 -> t -> t.isEmpty() ? "x" : t.substring(0, t.length() - 1);
            case 5 -> t -> t + " ";
            case 6 -> t -> t + "\u00e9\u5546";
            case 7 -> t -> t.repeat(30);
            default -> t -> replaceChar(t, random, (char) (33 + random.nextInt(94)));
        };
        return change.apply(text);
    }

    private static Instant mutateTime(Instant time, Random random) {
        if (time == null || time.equals(Instant.MIN) || time.equals(Instant.MAX)) {
            return NOW.plusSeconds(1);
        }
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> Instant.MIN;
            case 2 -> Instant.MAX;
            case 3 -> Instant.EPOCH;
            case 4 -> time.plusMillis(1 + random.nextInt(999));
            case 5 -> time.plusSeconds(1 + random.nextInt(299));
            case 6 -> time.minusSeconds(1 + random.nextInt(299));
            default -> time.plusSeconds(random.nextLong(-1_000_000_000L, 1_000_000_000L) | 1);
        };
    }

    private static String mutateBody(String body, Random random) {
        if (body == null) {
            return CallbackVerifierTest.BODY;
        }
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> body.replace(":", ": ");
            case 3 -> body.replace("APPROVED", "REJECTED");
            case 4 -> body + "\n";
            case 5 -> body.substring(0, random.nextInt(Math.max(1, body.length())));
            case 6 -> body + "\uD800";
            case 7 -> body + "x".repeat(70_000);
            case 8 -> body.isEmpty() ? "{}" : replaceChar(body, random, (char) (32 + random.nextInt(95)));
            default -> body.isEmpty() ? "{}" : body.substring(0, body.length() - 1) + "\u0000}";
        };
    }

    private static String mutateSignature(String signature, Random random, CallbackSigner signer) {
        if (signature == null) {
            return signer.signature("another-nonce", NOW, CallbackVerifierTest.BODY);
        }
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> signature.isEmpty() ? "A" : replaceChar(signature, random, BASE64.charAt(random.nextInt(64)));
            case 3 -> signature.replace("=", "");
            case 4 -> " " + signature;
            case 5 -> signature.toLowerCase(java.util.Locale.ROOT);
            case 6 -> {
                // An SM2 signature's length varies; 64 random bytes read as r || s.
                int length = signer.scheme().signatureLength();
                byte[] bytes = new byte[length == 0 ? 64 : length];
                random.nextBytes(bytes);
                yield Base64.getEncoder().encodeToString(bytes);
            }
            case 7 -> signer.signature("another-nonce", NOW, CallbackVerifierTest.BODY);
            case 8 -> {
                byte[] bytes = Base64.getDecoder().decode(signer.signature("a1b2c3d4-0001", NOW, CallbackVerifierTest.BODY));
                int bit = random.nextInt(bytes.length * 8);
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                yield Base64.getEncoder().encodeToString(bytes);
            }
            default -> signature + signature;
        };
    }

    private static String replaceChar(String text, Random random, char replacement) {
        if (text.isEmpty()) {
            return String.valueOf(replacement);
        }
        int at = random.nextInt(text.length());
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }
}
