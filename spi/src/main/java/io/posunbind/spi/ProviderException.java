package io.posunbind.spi;

import java.util.Objects;

/**
 * Thrown by an adapter's read operations when the provider answered with an error. Mutating operations
 * answer with an {@link OperationOutcome} instead; an exception thrown from one of them is treated as an
 * <em>unknown</em> outcome and reconciled, never as a failure.
 */
@API(status = API.Status.STABLE, since = "2.0")
public class ProviderException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final String providerCode;

    /**
     * Creates a provider error.
     *
     * @param errorCode         the stable code the provider's code maps to
     * @param providerCode      the provider's own code, kept for support and for mapping tables
     * @param message           what went wrong, without any clear card, account or identity number
     * @param providerRequestId the provider's request id, or {@code null}
     * @param cause             the underlying exception, or {@code null}
     */
    public ProviderException(ErrorCode errorCode, String providerCode, String message, String providerRequestId,
            Throwable cause) {
        super(errorCode, message + " (provider code " + providerCode + ")", providerRequestId, cause);
        this.providerCode = Objects.requireNonNull(providerCode, "providerCode");
    }

    /** Creates a provider error without request id or cause. */
    public ProviderException(ErrorCode errorCode, String providerCode, String message) {
        this(errorCode, providerCode, message, null, null);
    }

    /** The provider's own error code, unmapped. */
    public String providerCode() {
        return providerCode;
    }
}
