package io.posunbind.internal.engine;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepSnapshot;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes cases for the engine: a stored record becomes a {@link CaseDocument} and back, every
 * write carries the version check and this instance's lease (or gives it back), and a poll that found
 * nothing new is told apart from a change so it is neither rewritten nor reported. Thread-safe: the
 * documents it is given belong to the caller's thread.
 */
final class CaseBook {

    private final CaseStore store;
    private final CaseCodec codec;
    private final Clock clock;
    private final EngineSettings settings;

    CaseBook(CaseStore store, CaseCodec codec, Clock clock, EngineSettings settings) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.settings = settings;
    }

    /** The store, guarded: its uncoded failures are coded and retryable. */
    CaseStore store() {
        return store;
    }

    /** The case's stored record, or a coded refusal when there is none. */
    CaseRecord require(CaseId caseId) {
        return store.load(caseId.value()).orElseThrow(() -> new PosUnbindException(CoreErrorCode.CASE_NOT_FOUND,
                "No unbind case " + caseId.value()));
    }

    CaseDocument load(CaseRecord record) {
        CaseDocument document = codec.read(record.caseId(), record.document());
        document.version = record.version();
        // A poll that found nothing new stores only its next wake time (see reschedule): the record's wake
        // time then lies after the step's stored next attempt, and it is the one that counts. After any
        // full write it is the earliest of the case's timers, never after the step's next attempt.
        document.wakeAt = record.wakeAt().orElse(null);
        // Every reference the case holds was indexed with the write that recorded it (schema V7 indexed
        // those of cases stored before it), so only references recorded from now on are sent again.
        document.indexedReferences = providerReferences(document);
        StepRecord step = document.currentStep();
        if (document.state == CaseState.WAITING && step != null && step.nextAttemptAt != null
                && record.wakeAt().filter(wake -> wake.isAfter(step.nextAttemptAt)).isPresent()) {
            step.nextAttemptAt = record.wakeAt().get();
        }
        return document;
    }

    CaseRecord toRecord(CaseDocument document, boolean leased) {
        Optional<Instant> wakeAt = CaseTimers.wakeAt(document);
        document.wakeAt = wakeAt.orElse(null);
        Optional<String> owner = leased ? Optional.of(settings.instanceId()) : Optional.empty();
        Optional<Instant> until = leased ? Optional.of(clock.instant().plus(settings.leaseDuration()))
                : Optional.empty();
        boolean waiting = document.state == CaseState.WAITING && document.waitingFor != null;
        return new CaseRecord(document.id, document.version, document.state.name(), document.request.providerId(),
                document.request.merchantNumber(), document.request.terminalSerial(), document.state.isOpen(), wakeAt,
                document.createdAt, document.updatedAt, codec.write(document), owner, until,
                !document.outbox.isEmpty(), waiting ? Optional.of(document.waitingFor.name()) : Optional.empty(),
                waiting ? Optional.ofNullable(document.waitingSince) : Optional.empty(), newReferences(document));
    }

    /**
     * Stores the case. While this instance works on it the record carries its lease, extended; the
     * last write of a call gives the lease back.
     */
    void save(CaseDocument document, boolean keepLease) {
        long expected = document.version;
        document.version = expected + 1;
        document.updatedAt = clock.instant();
        CaseRecord record;
        try {
            record = toRecord(document, keepLease);
            store.update(record, expected);
        } catch (RuntimeException e) {
            document.version = expected;
            throw e;
        }
        document.indexedReferences.addAll(record.providerReferences());
        document.unstoredSteps = false;
        remember(document, record.document());
    }

    /**
     * Takes the lease of a case for timer-driven work without rewriting it: its version rises (a writer
     * whose lease expired meanwhile is still refused), its content, update time and wake time stay.
     */
    void claim(CaseDocument document, CaseRecord record) {
        long expected = document.version;
        store.reschedule(document.id, expected, record.wakeAt(), Optional.of(settings.instanceId()),
                Optional.of(clock.instant().plus(settings.leaseDuration())));
        document.version = expected + 1;
        remember(document, codec.write(document));
    }

    /** Notes a case that a claim ({@link CaseStore#claimDue}) leased, as stored, without writing it again. */
    void claimed(CaseDocument document) {
        remember(document, codec.write(document));
    }

    /** The last write of a poll that found nothing new: when to look again, and the lease given back. */
    void reschedule(CaseDocument document) {
        long expected = document.version;
        Optional<Instant> wakeAt = CaseTimers.wakeAt(document);
        store.reschedule(document.id, expected, wakeAt, Optional.empty(), Optional.empty());
        document.version = expected + 1;
        document.wakeAt = wakeAt.orElse(null);
    }

    /** Notes the case as the store now has it, to tell later whether a poll changed anything. */
    static void remember(CaseDocument document, String json) {
        StepRecord step = document.currentStep();
        document.storedJson = json;
        document.storedNextAttemptAt = step == null ? null : step.nextAttemptAt;
        document.storedOutbox = List.copyOf(document.outbox);
    }

    /** How a case in memory differs from the store's copy, its current step's next attempt aside. */
    enum Difference {
        /** Not at all: only the next attempt needs storing. */
        NONE,
        /** Only by events stored and delivered since: a write must clear them, nothing needs reporting. */
        DELIVERED_EVENTS,
        /** By anything else. */
        CHANGED
    }

    /**
     * Compares the case with the store's copy. Within one engine call the codec writes unchanged values
     * identically (it remembers their JSON, encrypted fields included), so equal JSON means nothing
     * changed; should it ever differ needlessly, the case is merely written and reported once more.
     */
    Difference differenceFromStored(CaseDocument document) {
        if (document.storedJson == null) {
            return Difference.CHANGED;
        }
        boolean delivered = document.outbox.isEmpty() && !document.storedOutbox.isEmpty();
        if (!document.outbox.isEmpty() && !delivered && !document.outbox.equals(document.storedOutbox)) {
            return Difference.CHANGED;
        }
        StepRecord step = document.currentStep();
        Instant planned = step == null ? null : step.nextAttemptAt;
        List<UnbindEvent> outbox = document.outbox;
        if (step != null) {
            step.nextAttemptAt = document.storedNextAttemptAt;
        }
        document.outbox = new ArrayList<>(document.storedOutbox);
        try {
            if (!codec.write(document).equals(document.storedJson)) {
                return Difference.CHANGED;
            }
            return delivered ? Difference.DELIVERED_EVENTS
                    : outbox.isEmpty() ? Difference.NONE : Difference.CHANGED;
        } finally {
            document.outbox = outbox;
            if (step != null) {
                step.nextAttemptAt = planned;
            }
        }
    }

    /**
     * The references recorded since the case's last write: the store indexes each once, with the change
     * that first records it, instead of merging every reference again on every write.
     */
    static Set<String> newReferences(CaseDocument document) {
        Set<String> references = providerReferences(document);
        references.removeAll(document.indexedReferences);
        return references;
    }

    static Set<String> providerReferences(CaseDocument document) {
        Set<String> references = new HashSet<>();
        if (document.applicationReference != null) {
            references.add(document.applicationReference);
        }
        references.addAll(document.supersededApplications);
        for (StepRecord step : document.steps) {
            if (step.providerReference != null) {
                references.add(step.providerReference);
            }
            if (step.sentKey != null) {
                // A provider that answered pending without a reference names the operation by its key.
                references.add(step.sentKey);
            }
        }
        references.removeIf(reference -> reference.isEmpty()
                || reference.length() > CaseRecord.MAX_PROVIDER_REFERENCE_LENGTH);
        return references;
    }

    /**
     * The ids of a provider's open cases that its reference names now, for a callback of the kind given
     * (see {@link CaseStore#findByProviderReference}). The store's index keeps every reference a case ever
     * had, so each candidate is checked against its current document: an application reference names a case
     * whose application (or a superseded one, so that a late decision is refused as a mismatch) it is; an
     * operation's reference or idempotency key names a case whose current step it is. Closed cases, finished
     * steps and the other kind of reference are ignored, so they neither hide nor make ambiguous the case
     * that waits for the callback.
     */
    List<String> casesByProviderReference(String providerId, String reference, boolean applicationReference) {
        List<String> live = new ArrayList<>();
        for (String caseId : store.findByProviderReference(providerId, reference)) {
            Optional<CaseRecord> record = store.load(caseId);
            if (record.isEmpty() || !record.get().open()) {
                continue;
            }
            CaseDocument document = load(record.get());
            if (applicationReference ? reference.equals(document.applicationReference)
                    || document.supersededApplications.contains(reference) : currentStepNamed(document, reference)) {
                live.add(caseId);
            }
        }
        return live;
    }

    /** Whether the reference names the operation of the case's current step, by the provider's reference or key. */
    static boolean currentStepNamed(CaseDocument document, String reference) {
        StepRecord step = document.currentStep();
        return step != null && (reference.equals(step.providerReference) || reference.equals(step.sentKey));
    }

    CaseSnapshot snapshot(CaseDocument document) {
        List<StepSnapshot> steps = document.steps.stream()
                .map(step -> new StepSnapshot(step.number, step.kind, step.target, step.status, step.attempts,
                        Optional.ofNullable(step.providerReference), Optional.ofNullable(step.lastCode),
                        Optional.ofNullable(step.lastMessage), Optional.ofNullable(step.operatorNote)))
                .toList();
        return new CaseSnapshot(CaseId.of(document.id), document.version, document.request, document.state,
                Optional.ofNullable(document.waitingFor), steps, document.violations,
                Optional.ofNullable(document.feeQuote), Optional.ofNullable(document.failureCode),
                Optional.ofNullable(document.failureMessage), document.history, document.createdAt,
                document.updatedAt, Optional.ofNullable(document.wakeAt));
    }
}
