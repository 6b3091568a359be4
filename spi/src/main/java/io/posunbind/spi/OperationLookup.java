package io.posunbind.spi;

import java.util.Optional;

/**
 * Asks the provider what became of an operation sent earlier. The engine calls it to reconcile an
 * unknown outcome (a timeout, or a crash between the provider's answer and our commit) before it
 * decides to send again, and to poll a {@link OperationOutcome.Pending} operation.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface OperationLookup {

    /**
     * Looks an operation up by its idempotency key (and the provider's reference, when it gave one).
     *
     * @param reference the operation
     * @return the operation's current outcome, or empty when the provider never received it, in which
     *         case the engine sends it again with the same key
     * @throws ProviderException when the provider cannot be asked now; the engine retries later
     */
    Optional<OperationOutcome> lookup(OperationReference reference);
}
