package io.posunbind.testkit.sandbox;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.TerminalCandidate;
import io.posunbind.spi.model.UnbindApplication;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the sandbox's adapters reach the {@link SandboxBackend}: mutating requests, lookups and reads run
 * here under the backend's single lock, and every change is then saved by a persistent backend. The
 * test-facing side stays on {@link SandboxBackend} and its handles. Thread-safe through that lock.
 */
final class AdapterGateway {

    /** What an adapter does when a request is new under its key; runs under the backend's lock. */
    @FunctionalInterface
    interface Operation {
        OperationOutcome perform(OperationRecord record);
    }

    private final Object lock;
    private final Clock clock;
    private final ReferenceNumbers references;
    private final WorldState world;
    private final FaultPlan faults;
    private final IdempotencyLedger ledger;
    private final ReviewDesk desk;
    /** Saves the state of a persistent backend; called under the lock after every change. */
    private final Runnable changed;

    AdapterGateway(Object lock, Clock clock, ReferenceNumbers references, WorldState world, FaultPlan faults,
            IdempotencyLedger ledger, ReviewDesk desk, Runnable changed) {
        this.lock = lock;
        this.clock = clock;
        this.references = references;
        this.world = world;
        this.faults = faults;
        this.ledger = ledger;
        this.desk = desk;
        this.changed = changed;
    }


    /**
     * Runs one mutating request: fault injection, idempotency, the adapter's guards and effect, and the
     * bookkeeping that lets tests count effects.
     *
     * @param expectedKind the kind the adapter method performs; a context of another kind is refused,
     *                     because a provider that received it would do something else than asked
     * @param parameters   what identifies the request besides its key, compared on replay
     */
    OperationOutcome execute(OperationContext context, OperationKind expectedKind, List<Object> parameters,
            Operation operation) {
        return execute(context, expectedKind, parameters, List::of, operation);
    }

    /**
     * Runs one mutating request on behalf of merchants, who may have to verify it first (see
     * {@link SandboxVerifications#requireVerification}).
     *
     * @param actingFor the merchants the request acts for, read under the lock just before it is performed
     */
    OperationOutcome execute(OperationContext context, OperationKind expectedKind, List<Object> parameters,
            Supplier<List<String>> actingFor, Operation operation) {
        Objects.requireNonNull(context, "context");
        synchronized (lock) {
            try {
                return ledger.execute(context, expectedKind, parameters, actingFor, operation);
            } finally {
                changed.run();
            }
        }
    }

    /** Answers a lookup: the remembered outcome (current for a pending one), empty when never received. */
    Optional<OperationOutcome> lookup(SentOperation reference) {
        Objects.requireNonNull(reference, "reference");
        synchronized (lock) {
            try {
                return ledger.lookup(reference);
            } finally {
                // A lookup of a pending operation is a poll, which may end its review.
                changed.run();
            }
        }
    }

    /** Runs a read under the lock, after due completions, failing when a read fault is queued. */
    <T> T read(String what, Supplier<T> reader) {
        synchronized (lock) {
            desk.completeDue();
            if (faults.takeReadFault()) {
                throw SandboxAnswers.unavailable(what);
            }
            T answer = reader.get();
            // Some reads change state: a poll of a decision, a quote issued, a challenge answered.
            changed.run();
            return answer;
        }
    }

    /**
     * Accepts an operation for review: it answers {@code Pending} and completes through the policy or a
     * test; under {@link CompletionPolicy#immediate()} it completes at once and answers {@code Done}.
     *
     * @param completion performs the deferred effect, given the reference, and returns the final outcome
     */
    OperationOutcome acceptForReview(OperationRecord record, String referencePrefix,
            Function<String, OperationOutcome> completion) {
        return desk.review(record, nextReference(referencePrefix), completion);
    }

    /** Accepts an application for review; see {@link ReviewDesk#acceptApplication}. */
    OperationOutcome acceptApplication(OperationRecord record, UnbindApplication application) {
        return desk.acceptApplication(record, application, nextReference("SBX-APP"));
    }

    /** Reads a decision on behalf of the adapter: a poll, which may complete the review. */
    Optional<InstitutionDecision> pollDecision(String applicationReference) {
        return desk.pollDecision(applicationReference);
    }

    /** Answers {@code Done} with a fresh reference, remembered on the record. */
    OperationOutcome done(OperationRecord record, String referencePrefix) {
        return done(record, nextReference(referencePrefix), Map.of());
    }

    /** Answers {@code Done} with the given reference and attributes, the reference remembered on the record. */
    OperationOutcome done(OperationRecord record, String reference, Map<String, String> attributes) {
        record.providerReference = Optional.of(reference);
        return new OperationOutcome.Done(reference, attributes);
    }

    String nextReference(String prefix) {
        return references.next(prefix);
    }

    Instant now() {
        return clock.instant();
    }

    /** The world the adapters act on; call under the lock ({@link #execute}, {@link #read}). */
    WorldState world() {
        return world;
    }

    Set<DocumentKind> requiredDocuments() {
        synchronized (lock) {
            return world.requiredDocuments;
        }
    }

    List<TerminalCandidate> catalog() {
        synchronized (lock) {
            return world.catalog;
        }
    }
}
