package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's limit on settlement-account changes, such as "at most once per 30 days".
 *
 * @param minimumInterval the shortest time between two changes
 * @param lastChangedAt   when the merchant's account last changed, if ever
 */
@API(status = API.Status.STABLE, since = "2.0")
public record AccountChangeLimit(Duration minimumInterval, Optional<Instant> lastChangedAt) {

    /** Checks the fields. */
    public AccountChangeLimit {
        Objects.requireNonNull(minimumInterval, "minimumInterval");
        Objects.requireNonNull(lastChangedAt, "lastChangedAt");
        if (minimumInterval.isNegative()) {
            throw new IllegalArgumentException("minimumInterval must not be negative");
        }
    }

    /** The earliest moment the next change is allowed. */
    public Optional<Instant> nextChangeAllowedAt() {
        return lastChangedAt.map(last -> last.plus(minimumInterval));
    }
}
