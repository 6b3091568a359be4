package io.posunbind.examples.remote;

import io.posunbind.spi.ErrorCode;
import java.util.Objects;

/**
 * An error code that arrived over the wire and is none of the {@link io.posunbind.spi.StandardErrorCode}s,
 * for example a code a provider added itself. Only the code string travels, so such a code is read back
 * as not retryable. Immutable and thread-safe.
 *
 * @param code      the code string
 * @param retryable whether retrying can help
 */
public record RemoteErrorCode(String code, boolean retryable) implements ErrorCode {

    /** Checks the code. */
    public RemoteErrorCode {
        Objects.requireNonNull(code, "code");
        if (code.isBlank()) {
            throw new IllegalArgumentException("An error code must not be blank");
        }
    }
}
