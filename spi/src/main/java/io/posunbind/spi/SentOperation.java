package io.posunbind.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the engine knows about a mutating operation it sends, persisted with the case before the
 * call (write-ahead) and handed back to {@link OperationLookup#lookup(SentOperation)}, also by another
 * engine instance in a new process with a fresh provider instance. An adapter therefore needs no journal
 * of its own: a provider that cannot be asked "what became of key K" (Adyen's Management API, for
 * example) is asked about the target instead, with the arguments and the adapter's own note.
 *
 * <p>The engine's arguments per kind (keys of {@link #arguments()}; absent ones are not sent):
 * <ul>
 *   <li>{@code UNBIND_PERIPHERAL}: {@code peripheralId}</li>
 *   <li>{@code BIND_TERMINAL}: {@code toMerchant}, {@code toStore}</li>
 *   <li>{@code MODIFY_MERCHANT_INFO}: {@code detachTerminal} (the serial detached from the merchant)</li>
 *   <li>{@code SET_UP_TERMINAL}: {@code model}</li>
 *   <li>{@code RUN_TEST_TRANSACTION}: {@code amountMinorUnits}, {@code currency}</li>
 *   <li>{@code VOID_TEST_TRANSACTION}: {@code testTransaction} (the reference of the transaction voided)</li>
 *   <li>{@code ISSUE_VERIFICATION}: {@code method}</li>
 *   <li>every other kind: none beyond the {@link #target()}</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. Holds no secret: the account number in the target is masked by
 * {@code toString()}, and adapters must keep secrets out of their note.
 *
 * @param idempotencyKey    the key the operation is sent with, the same on every attempt
 * @param kind              what the operation does
 * @param target            what it acts on
 * @param arguments         its other arguments, as listed above; at most {@value #MAX_ARGUMENTS}
 * @param firstSentAt       when the engine first sent it under this key (by the engine's clock)
 * @param providerReference the provider's reference from an earlier answer, if it gave one
 * @param adapterNote       the note the adapter attached in {@link OperationLookup#prepare(SentOperation)}
 *                          before the first call, at most {@value #MAX_NOTE_LENGTH} characters
 */
@API(status = API.Status.STABLE, since = "2.0")
public record SentOperation(IdempotencyKey idempotencyKey, OperationKind kind, OperationTarget target,
        Map<String, String> arguments, Instant firstSentAt, Optional<String> providerReference,
        Optional<String> adapterNote) {

    /** The longest adapter note: enough for a few ids and a state, small enough to store with every case. */
    public static final int MAX_NOTE_LENGTH = 1024;

    /** The most arguments an operation carries. */
    public static final int MAX_ARGUMENTS = 16;

    /** Checks and copies the fields. */
    public SentOperation {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(firstSentAt, "firstSentAt");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(adapterNote, "adapterNote");
        arguments = Map.copyOf(Objects.requireNonNull(arguments, "arguments"));
        if (arguments.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException("An operation has at most " + MAX_ARGUMENTS + " arguments");
        }
        if (adapterNote.isPresent() && adapterNote.get().length() > MAX_NOTE_LENGTH) {
            throw new IllegalArgumentException("An adapter note has at most " + MAX_NOTE_LENGTH
                    + " characters, had " + adapterNote.get().length());
        }
    }

    /** An operation about to be sent for the first time: no provider reference and no note yet. */
    public static SentOperation of(IdempotencyKey idempotencyKey, OperationKind kind, OperationTarget target,
            Map<String, String> arguments, Instant firstSentAt) {
        return new SentOperation(idempotencyKey, kind, target, arguments, firstSentAt, Optional.empty(),
                Optional.empty());
    }

    /** This operation with the provider's reference from an answer. */
    public SentOperation withProviderReference(Optional<String> reference) {
        return new SentOperation(idempotencyKey, kind, target, arguments, firstSentAt, reference, adapterNote);
    }

    /** This operation with the adapter's note. */
    public SentOperation withAdapterNote(Optional<String> note) {
        return new SentOperation(idempotencyKey, kind, target, arguments, firstSentAt, providerReference, note);
    }

    /** An argument by name, as listed in the class description. */
    public Optional<String> argument(String name) {
        return Optional.ofNullable(arguments.get(name));
    }
}
