package io.posunbind.testkit;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationLookup;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.model.SettlementAccount;
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
    private final String subject;
    private final Optional<SettlementAccount> account;
    private SentOperation persisted;
    private boolean prepared;

    /**
     * @param subject what the operation acts on, as the seeding hook returned it: a terminal's serial, or a
     *                merchant number for the account and merchant-info operations
     * @param account the settlement account read before an account operation, as the engine's inventory reads it
     */
    ProbeOperation(IdempotencyKey key, OperationKind kind, String caseId, OperationTarget target,
            Map<String, String> arguments, String subject, Optional<SettlementAccount> account, Instant firstSentAt) {
        this.caseId = Objects.requireNonNull(caseId, "caseId");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.account = Objects.requireNonNull(account, "account");
        this.persisted = SentOperation.of(key, kind, target, arguments, firstSentAt);
    }

    IdempotencyKey key() {
        return persisted.idempotencyKey();
    }

    OperationKind kind() {
        return persisted.kind();
    }

    /** The serial or merchant number the operation acts on. */
    String subject() {
        return subject;
    }

    OperationTarget target() {
        return persisted.target();
    }

    Optional<SettlementAccount> account() {
        return account;
    }

    /**
     * As the engine does before the first send: asks the adapter for its note once and persists it with the
     * operation.
     */
    void prepareOnce(OperationLookup adapter) {
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
