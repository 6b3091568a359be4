package io.posunbind;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The id of an unbind case: 1 to 40 characters from {@code [A-Za-z0-9_-]}, so that it fits inside the
 * idempotency keys the engine derives from it. Immutable and thread-safe.
 *
 * <p>Ids differing only in case are different ids ({@code "A1"} is not {@code "a1"}).
 *
 * @param value the id
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CaseId(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    /** The longest case id. */
    public static final int MAX_LENGTH = 40;

    /**
     * Checks the id's shape.
     *
     * @throws InvalidRequestException with {@link CoreErrorCode#INVALID_REQUEST} when the id is missing or
     *         not 1 to 40 characters from {@code [A-Za-z0-9_-]}
     */
    public CaseId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            String problem = value == null || value.isEmpty() ? "is required"
                    : value.length() > MAX_LENGTH ? "has at most " + MAX_LENGTH + " characters"
                    : "has only the characters A-Z, a-z, 0-9, _ and -";
            throw new InvalidRequestException("The case id is invalid",
                    List.of(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "caseId", "caseId " + problem)));
        }
    }

    /**
     * Wraps an existing id.
     *
     * @throws InvalidRequestException when the id is not 1 to 40 characters from {@code [A-Za-z0-9_-]}
     */
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
