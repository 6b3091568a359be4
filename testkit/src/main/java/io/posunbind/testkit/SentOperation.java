package io.posunbind.testkit;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationReference;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine persists before a mutating call, and therefore all a lookup may rely on after a crash
 * or an unknown outcome. The contract builds every call's context and every lookup's reference here, so
 * that when the SPI hands a lookup more of what was persisted (the target, the arguments, when it was
 * first sent) only this class changes.
 *
 * @param key          the idempotency key
 * @param kind         what the operation does
 * @param caseId       the case on whose behalf it is sent
 * @param serialNumber the terminal it targets (persisted with the case, not yet handed to a lookup)
 */
record SentOperation(IdempotencyKey key, OperationKind kind, String caseId, String serialNumber) {

    SentOperation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(serialNumber, "serialNumber");
    }

    /** The context of one attempt, as the engine passes it. */
    OperationContext context(int attempt) {
        return new OperationContext(key, kind, caseId, attempt);
    }

    /** What a lookup receives, built from the persisted fields alone: no earlier provider reference. */
    OperationReference reference() {
        return new OperationReference(key, kind, Optional.empty());
    }

    /** What a poll of a pending operation receives: the persisted fields and the provider's reference. */
    OperationReference reference(String providerReference) {
        return new OperationReference(key, kind, Optional.of(providerReference));
    }
}
