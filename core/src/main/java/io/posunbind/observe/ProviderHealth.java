package io.posunbind.observe;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One provider in {@link EngineHealth}, from the outcomes of this process's recent calls to it.
 *
 * @param providerId      the provider
 * @param reachability    whether it answers
 * @param lastCallAt      when this process last called it, if ever
 * @param unansweredInRow its latest calls in a row that went unanswered (0 when the last one was answered)
 * @param lastFailureCode the code of the latest unanswered call, while calls go unanswered
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ProviderHealth(String providerId, ProviderReachability reachability, Optional<Instant> lastCallAt,
        int unansweredInRow, Optional<String> lastFailureCode) {

    /** Checks the fields. */
    public ProviderHealth {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(reachability, "reachability");
        Objects.requireNonNull(lastCallAt, "lastCallAt");
        Objects.requireNonNull(lastFailureCode, "lastFailureCode");
        if (unansweredInRow < 0) {
            throw new IllegalArgumentException("unansweredInRow is never negative");
        }
    }
}
