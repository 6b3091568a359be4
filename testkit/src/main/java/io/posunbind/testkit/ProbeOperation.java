package io.posunbind.testkit;

import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.SentOperation;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation the contract sends, kept the way the engine keeps it: the {@link SentOperation} it persists
 * before the first call (with the adapter's note from {@code prepare}), and nothing else. Every lookup the
 * contract makes receives only that persisted value, also from a fresh provider instance, as after a
 * restart of the engine.
 *
 * <p>Not thread-safe on its own; each check's thread owns its operations.
 */
final class ProbeOperation {

    private final String caseId;
    private final String serialNumber;
    private SentOperation persisted;
    private boolean prepared;

    ProbeOperation(IdempotencyKey key, OperationKind kind, String caseId, String merchantNumber,
            String serialNumber, Instant firstSentAt) {
        this.caseId = Objects.requireNonNull(caseId, "caseId");
        this.serialNumber = Objects.requireNonNull(serialNumber, "serialNumber");
        this.persisted = SentOperation.of(key, kind, OperationTarget.terminal(merchantNumber, serialNumber),
                Map.of(), firstSentAt);
    }

    IdempotencyKey key() {
        return persisted.idempotencyKey();
    }

    OperationKind kind() {
        return persisted.kind();
    }

    String serialNumber() {
        return serialNumber;
    }

    /**
     * As the engine does before the first send: asks the adapter for its note once and persists it with the
     * operation.
     */
    void prepareOnce(DeviceUnbindAdapter adapter) {
        if (!prepared) {
            Optional<String> note = adapter.prepare(persisted);
            persisted = persisted.withAdapterNote(note);
            prepared = true;
        }
    }

    /** The context of one attempt, as the engine passes it. */
    OperationContext context(int attempt) {
        return OperationContext.of(persisted, caseId).withAttempt(attempt);
    }

    /** What a lookup receives: the persisted operation alone, no earlier provider reference. */
    SentOperation persisted() {
        return persisted;
    }

    /** What a poll of a pending operation receives: the persisted operation with the provider's reference. */
    SentOperation persisted(Optional<String> providerReference) {
        return persisted.withProviderReference(providerReference);
    }
}
