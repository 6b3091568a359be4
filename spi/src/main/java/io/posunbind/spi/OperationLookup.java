package io.posunbind.spi;

import java.util.Optional;

/**
 * Asks the provider what became of an operation sent earlier. The engine calls it to reconcile an
 * unknown outcome (a timeout, or a crash between the provider's answer and our commit) before it
 * decides to send again, to poll a {@link OperationOutcome.Pending} operation, and before it re-sends
 * under a key older than the provider's {@link PaymentProvider#idempotencyKeyRetention() retention}.
 *
 * <p>Everything a lookup needs comes with the {@link SentOperation}, persisted by the engine before the
 * call: the key, the target, the arguments, when it was first sent, the provider's reference and the
 * adapter's own note. A lookup must work from that alone, in a new process with a fresh adapter.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface OperationLookup {

    /**
     * Looks an operation up by its idempotency key, or where the provider cannot be asked by key, by its
     * target, arguments and the adapter's note.
     *
     * @param operation the operation as the engine persisted it
     * @return the operation's current outcome, or empty when the provider never received it, in which
     *         case the engine sends it again with the same key
     * @throws ProviderException when the provider cannot be asked now; the engine retries later
     */
    Optional<OperationOutcome> lookup(SentOperation operation);

    /**
     * Called once before an operation is first sent under its key, to attach a small note the adapter
     * will need for a later {@link #lookup(SentOperation)}: for example the terminal's assignment before
     * a reassignment, so that a lookup can tell whether the reassignment happened. The engine persists
     * the note with the operation <em>before</em> the mutating call. It may read from the provider; it
     * must not change anything there.
     *
     * @param operation the operation about to be sent, without a note
     * @return the note, at most {@value SentOperation#MAX_NOTE_LENGTH} characters and free of secrets;
     *         empty by default
     * @throws ProviderException when the provider cannot be read now; nothing is sent and the engine
     *         retries later
     */
    default Optional<String> prepare(SentOperation operation) {
        return Optional.empty();
    }
}
