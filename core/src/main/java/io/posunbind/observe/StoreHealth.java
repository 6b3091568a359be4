package io.posunbind.observe;

import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the case store answered the health check's count query.
 *
 * @param reachable whether it answered
 * @param errorCode the error code of its failure when it did not, such as {@code UNB-STORE-UNAVAILABLE}
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record StoreHealth(boolean reachable, Optional<String> errorCode) {

    /** Checks that exactly an unreachable store has an error code. */
    public StoreHealth {
        Objects.requireNonNull(errorCode, "errorCode");
        if (reachable == errorCode.isPresent()) {
            throw new IllegalArgumentException("An error code is given exactly when the store is unreachable");
        }
    }

    /** A store that answered. */
    public static StoreHealth up() {
        return new StoreHealth(true, Optional.empty());
    }

    /** A store that failed with this code. */
    public static StoreHealth down(String errorCode) {
        return new StoreHealth(false, Optional.of(errorCode));
    }
}
