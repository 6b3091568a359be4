package io.posunbind.spi;

import java.util.Objects;

/**
 * What the engine tells an adapter about one mutating call.
 *
 * @param idempotencyKey the key to send to the provider; the same on every retry of this operation
 * @param kind           what the operation does
 * @param caseId         the unbind case on whose behalf the call is made, for the provider's records
 * @param attempt        1 for the first try, then 2, 3, ... on retries with the same key
 */
@API(status = API.Status.STABLE, since = "2.0")
public record OperationContext(IdempotencyKey idempotencyKey, OperationKind kind, String caseId, int attempt) {

    /** Checks the fields. */
    public OperationContext {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(caseId, "caseId");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
    }

    /** The reference by which this operation can be looked up at the provider later. */
    public OperationReference reference() {
        return new OperationReference(idempotencyKey, kind, java.util.Optional.empty());
    }
}
