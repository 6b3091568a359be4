package io.posunbind.testkit;

import io.posunbind.validation.SensitiveNumberScrubber;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Collects texts a provider lets out (exception messages, {@code toString()}, exports, outcomes) and finds
 * the ones that carry a declared secret or a card, account, identity or mobile number in clear. Findings
 * name the place and the kind of secret, never the secret itself. Not thread-safe.
 */
final class SecretScan {

    private final List<String> secrets;
    private final List<String> findings = new ArrayList<>();

    SecretScan(Set<String> secrets) {
        this.secrets = List.copyOf(secrets);
        this.secrets.forEach(secret -> {
            if (secret.isBlank()) {
                throw new IllegalArgumentException("A declared secret must not be blank");
            }
        });
    }

    /** Scans a text let out at {@code where}. */
    void scan(String where, String text) {
        Objects.requireNonNull(where, "where");
        if (text == null) {
            return;
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (text.contains(secrets.get(i))) {
                findings.add(where + " contains declared secret #" + (i + 1));
            }
        }
        if (!SensitiveNumberScrubber.scrub(text).equals(text)) {
            findings.add(where + " contains a card, account, identity or mobile number in clear");
        }
    }

    /** Scans an exception, its causes and suppressed exceptions, by message and {@code toString()}. */
    void scan(String where, Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            scan(where + " (" + t.getClass().getSimpleName() + ")", t.toString());
            scan(where + " (" + t.getClass().getSimpleName() + ")", t.getMessage());
            for (Throwable suppressed : t.getSuppressed()) {
                scan(where + " (suppressed)", suppressed);
            }
            if (t.getCause() == t) {
                break;
            }
        }
    }

    List<String> findings() {
        return List.copyOf(findings);
    }
}
