package io.posunbind.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Identifies an operation sent earlier, for {@link OperationLookup#lookup(OperationReference)}.
 *
 * @param idempotencyKey    the key the operation was sent with
 * @param kind              what the operation does
 * @param providerReference the provider's reference from a {@link OperationOutcome.Pending} answer, if any
 */
@API(status = API.Status.STABLE, since = "2.0")
public record OperationReference(IdempotencyKey idempotencyKey, OperationKind kind,
        Optional<String> providerReference) {

    /** Checks the fields. */
    public OperationReference {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(providerReference, "providerReference");
    }
}
