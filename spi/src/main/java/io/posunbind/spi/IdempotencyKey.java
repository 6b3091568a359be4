package io.posunbind.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key the engine attaches to every mutating provider call. It is derived from the case, the step
 * and the attempt round, persisted before the call, and stays the same across retries, so a provider
 * that honours keys performs the effect once however often the call is repeated.
 *
 * <p>Values are at most {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._-]}, which fits Stripe
 * (255), Adyen (64) and request serial numbers such as {@code req_seq_id}. An adapter whose provider
 * wants a shorter or numeric form derives it with {@link #compact(int)}; such an adapter must map the
 * compact form back to the full key wherever it names the operation to the engine, notably in a
 * notification ({@link io.posunbind.spi.model.ProviderCallback.OperationFinished#byIdempotencyKey}): the
 * engine indexes and knows the full key only.
 *
 * <p>The engine's keys are {@code <caseId>.<step>.<round>}, a verification challenge's
 * {@code <caseId>.<step>.<round>.v<n>}. The engine sends the same key on every retry of one request for
 * as long as the case runs (days, when a review is slow), and a new key only for a new request. It never
 * counts on the provider remembering a key for longer than {@link PaymentProvider#idempotencyKeyRetention()}:
 * past that it asks {@link OperationLookup#lookup(SentOperation)} before sending again.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the key
 */
@API(status = API.Status.STABLE, since = "2.0")
public record IdempotencyKey(String value) {

    /** The longest key the engine produces. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    /** Checks the key's shape. */
    public IdempotencyKey {
        Objects.requireNonNull(value, "value");
        if (!ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "An idempotency key has 1 to " + MAX_LENGTH + " characters from [A-Za-z0-9._-]: " + value);
        }
    }

    /**
     * A deterministic form of at most {@code maxLength} characters from {@code [0-9a-z]}, for providers
     * with short serial-number fields: equal keys give equal compact forms, and distinct keys give
     * distinct ones (up to a hash collision, negligible for lengths of 16 or more).
     *
     * <p>A key of at most {@code maxLength} lower-case letters and digits is its own compact form. Every
     * other key, including one that differs from such a key only in case, is hashed: keys are
     * case-sensitive, so {@code "SHORT1"} and {@code "short1"} are two keys and must never share a compact
     * form at the provider. (Earlier builds folded upper case to lower case, which made such keys
     * collide.)
     *
     * @param maxLength at least 8
     * @return the compact form
     */
    public String compact(int maxLength) {
        if (maxLength < 8) {
            throw new IllegalArgumentException("maxLength must be at least 8, was " + maxLength);
        }
        if (value.length() <= maxLength && value.chars().allMatch(IdempotencyKey::isLowerCaseLetterOrDigit)) {
            return value;
        }
        // Two independent 64-bit FNV-1a style hashes give 128 bits before truncation; no cryptography
        // is needed here, only a stable spread. The hash sees every character as it is, case included.
        long h1 = 0xcbf29ce484222325L;
        long h2 = 0x84222325cbf29ce4L;
        for (int i = 0; i < value.length(); i++) {
            h1 = (h1 ^ value.charAt(i)) * 0x100000001b3L;
            h2 = (h2 ^ value.charAt(value.length() - 1 - i)) * 0x100000001b3L;
        }
        String digest = Long.toUnsignedString(h1, 36) + Long.toUnsignedString(h2, 36);
        return digest.length() <= maxLength ? digest : digest.substring(0, maxLength);
    }

    private static boolean isLowerCaseLetterOrDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return value;
    }
}
