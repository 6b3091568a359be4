package io.posunbind.internal.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks of the text fields of audit drafts and key ids, with messages that say what is allowed. */
public final class AuditFields {

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AuditFields() {
    }

    /** Checks a required text of 1 to {@code max} characters without control characters. */
    public static String required(String value, String name, int max) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return optional(value, name, max);
    }

    /** Checks a text of 0 to {@code max} characters without control characters. */
    public static String optional(String value, String name, int max) {
        Objects.requireNonNull(value, name);
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " has at most " + max + " characters, not " + value.length());
        }
        if (!CanonicalEncoder.isWellFormed(value) || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " must not contain control characters or unpaired surrogates");
        }
        return value;
    }

    /** Checks an event type code: upper case letters, digits and '_', starting with a letter, at most 64. */
    public static String eventType(String value) {
        Objects.requireNonNull(value, "eventType");
        if (!EVENT_TYPE.matcher(value).matches()) {
            throw new IllegalArgumentException("An event type is a code such as CASE_OPENED: A-Z, 0-9 and '_', "
                    + "starting with a letter, at most 64 characters");
        }
        return value;
    }

    /** Checks a key id, which also names the key's files: 1 to 64 of {@code [A-Za-z0-9._-]}, not starting with '.', '_' or '-'. */
    public static String keyId(String value) {
        Objects.requireNonNull(value, "keyId");
        if (!KEY_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("A key id has 1 to 64 characters from [A-Za-z0-9._-] and starts "
                    + "with a letter or digit");
        }
        return value;
    }
}
