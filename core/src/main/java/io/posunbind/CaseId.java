package io.posunbind;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The id of an unbind case: 1 to 40 characters from {@code [A-Za-z0-9_-]}, so that it fits inside the
 * idempotency keys the engine derives from it. Immutable and thread-safe.
 *
 * @param value the id
 */
public record CaseId(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    /** Checks the id's shape. */
    public CaseId {
        Objects.requireNonNull(value, "value");
        if (!ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("A case id has 1 to 40 characters from [A-Za-z0-9_-]");
        }
    }

    /** Wraps an existing id. */
    public static CaseId of(String value) {
        return new CaseId(value);
    }

    /** A new random id of 26 characters (130 random bits, Crockford-style base 32). */
    public static CaseId random() {
        char[] chars = new char[26];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new CaseId(new String(chars));
    }

    @Override
    public String toString() {
        return value;
    }
}
