package io.posunbind.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The root of every exception posunbind throws. Each carries a stable {@link ErrorCode}, says whether
 * retrying can help, and keeps the provider's request id where there is one.
 *
 * <p>Messages say what was wrong and what to do; they never contain a card, account or identity
 * number in clear (the sensitive value types mask themselves in {@code toString()}).
 */
@API(status = API.Status.STABLE, since = "2.0")
public class PosUnbindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;
    private final String providerRequestId;

    /** Creates an exception with a code and a message that explains what to do. */
    public PosUnbindException(ErrorCode errorCode, String message) {
        this(errorCode, message, null, null);
    }

    /** Creates an exception with a code, a message, the provider's request id (nullable) and a cause (nullable). */
    public PosUnbindException(ErrorCode errorCode, String message, String providerRequestId, Throwable cause) {
        super("[" + Objects.requireNonNull(errorCode, "errorCode").code() + "] " + message, cause);
        this.errorCode = errorCode;
        this.providerRequestId = providerRequestId;
    }

    /** The stable code of this failure. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Whether trying the same thing again later, unchanged, can succeed. */
    public boolean retryable() {
        return errorCode.retryable();
    }

    /** The provider's request id, to quote when asking the provider's support. */
    public Optional<String> providerRequestId() {
        return Optional.ofNullable(providerRequestId);
    }
}
