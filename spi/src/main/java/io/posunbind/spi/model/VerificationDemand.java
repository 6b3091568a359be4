package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * What check a provider demands before an operation.
 *
 * @param method      how the merchant proves it is them
 * @param maxAttempts how many answers a challenge accepts before it locks
 * @param validFor    how long a challenge stays valid
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record VerificationDemand(Method method, int maxAttempts, Duration validFor) {

    /** How the merchant proves it is them. */
    public enum Method {
        /** A code sent by SMS to the merchant's registered phone. */
        SMS_CODE,
        /** A check that the account belongs to the merchant (name, identity, card). */
        OWN_ACCOUNT_CHECK
    }

    /** Checks the fields. */
    public VerificationDemand {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(validFor, "validFor");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("validFor must be positive");
        }
    }
}
