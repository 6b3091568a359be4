package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.ClaimedCase;
import io.posunbind.WaitPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a case's lease, applies a command's change, and — on the caller's thread ({@link WaitPolicy#inline()})
 * or a worker's — runs the case's steps until it waits or ends, storing its transitions with their events and
 * delivering them once stored ({@link StepLoop}): steps that send no operation to the provider share the write of what follows
 * them, every operation is sent from a stored state ({@link Checkpoint}); a command that only records stores
 * its change unleased and due, for a worker. The lease is the only guard: no lock is held across a provider
 * call, and a case another thread of this instance runs ({@link LocalLeases}) is refused as busy at once. A fault of posunbind's own code
 * stops the case for an operator instead of failing on every tick ({@link EngineFaults}).
 *
 * <p>Thread-safe: any number of threads may run different cases.
 */
final class CaseRunner {

    /** The engine's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    private final CaseBook book;
    private final CaseChanges changes;
    private final CaseTimers timers;
    private final EngineAudit audit;
    private final LeaseKeeper leases;
    private final ShutdownGate gate;
    private final ProviderRegistry providers;
    private final StepExecutor executor;
    private final Clock clock;
    private final EngineSettings settings;
    private final LocalLeases local;
    private final CaseSettlement settlement;
    private final EngineFaults faults;
    /** How commands other than timer-driven work keep their caller, unless told otherwise. */
    private final WaitPolicy defaultWait;
    private final DueSignal dueSignal;
    private final StepLoop steps;

    CaseRunner(CaseBook book, CaseChanges changes, CaseTimers timers, EngineAudit audit, LeaseKeeper leases,
            ShutdownGate gate, ProviderRegistry providers, StepExecutor executor, Clock clock,
            EngineSettings settings, LocalLeases local, CaseSettlement settlement, WaitPolicy defaultWait,
            DueSignal dueSignal) {
        this.book = book;
        this.changes = changes;
        this.timers = timers;
        this.audit = audit;
        this.leases = leases;
        this.gate = gate;
        this.providers = providers;
        this.executor = executor;
        this.clock = clock;
        this.settings = settings;
        this.local = local;
        this.settlement = settlement;
        this.defaultWait = defaultWait;
        this.dueSignal = dueSignal;
        this.faults = new EngineFaults(book, changes, audit, local, clock, settings);
        this.steps = new StepLoop(book, changes, timers, audit, gate, providers, executor, clock);
    }

    /**
     * Runs a case's due work on the calling thread (a worker's or a scheduler's) until it waits or ends, or
     * until {@code stop} says to stop between two steps.
     */
    CaseSnapshot advance(CaseId caseId, BooleanSupplier stop) {
        return command(caseId, "ADVANCE", Actor.system(), document -> {
        }, () -> {
        }, WaitPolicy.inline(), stop);
    }

    /**
     * Runs a case the {@link DueWorkSource} claimed for this instance, as {@link #advance} does, without reading
     * or leasing it again: the claim stored the lease and raised the version.
     */
    CaseSnapshot advanceClaimed(ClaimedCase claim, BooleanSupplier stop) {
        return advanceClaimed(claim, stop, CaseHold.NONE);
    }

    /**
     * As {@link #advanceClaimed(ClaimedCase, BooleanSupplier)}; a call the provider's limits defer for a moment
     * may leave the case in {@code hold}, leased, instead of giving it back to the store.
     */
    CaseSnapshot advanceClaimed(ClaimedCase claim, BooleanSupplier stop, CaseHold hold) {
        CaseId caseId = CaseId.of(claim.record().caseId());
        gate.enter();
        try {
            return commandEntered(caseId, "ADVANCE", Actor.system(), document -> {
            }, () -> {
            }, true, stop, claim, null, hold);
        } finally {
            gate.exit();
        }
    }

    /**
     * Runs a case a worker held since the provider's limits deferred its call, from its copy in memory, as
     * {@link #advanceClaimed} runs a claimed one.
     *
     * @return false, having done nothing, when a command took the case from the hold meanwhile
     */
    boolean resume(HeldCase held, BooleanSupplier stop, CaseHold hold) {
        gate.enter();
        try {
            commandEntered(CaseId.of(held.caseId()), "ADVANCE", Actor.system(), document -> {
            }, () -> {
            }, true, stop, null, held, hold);
            return true;
        } catch (PosUnbindException e) {
            if (e.errorCode() == CoreErrorCode.CASE_BUSY) {
                return false; // a command took it from the hold: its copy here is stale
            }
            throw e;
        } finally {
            gate.exit();
        }
    }

    /**
     * Gives a held case back to the store, as a deferred call does without a hold: its wake time stored, its
     * lease released. Does nothing when a command took it from the hold meanwhile.
     */
    void giveBack(HeldCase held) {
        if (!local.resume(held)) {
            return;
        }
        try {
            book.reschedule(held.document());
        } finally {
            leases.released(held.caseId());
            local.giveBack(held.caseId());
            settlement.ran();
        }
    }

    /** Notes that this instance holds the lease of a case it just stored leased. */
    void held(String caseId) {
        leases.held(caseId);
    }

    /**
     * As {@link #command(CaseId, String, Actor, Consumer)}, running {@code afterCommit} once the change is
     * stored and before the case is worked on (while this instance still holds its lease).
     */
    CaseSnapshot command(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change,
            Runnable afterCommit) {
        return command(caseId, name, actor, change, afterCommit, CommandWaits.take(defaultWait), () -> false);
    }

    /**
     * Applies a command's change under the case's lease and stores it; then, by {@code wait}, runs the case
     * on this thread, or leaves it due for a worker and returns (after waiting for the worker, for
     * {@link WaitPolicy.Kind#UP_TO}).
     *
     * @param stop asked between two steps whether to stop early (a worker closing)
     */
    CaseSnapshot command(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change,
            Runnable afterCommit, WaitPolicy wait, BooleanSupplier stop) {
        CaseSnapshot recorded;
        gate.enter();
        try {
            recorded = commandEntered(caseId, name, actor, change, afterCommit, wait.runsInline(), stop, null, null,
                    CaseHold.NONE);
        } finally {
            gate.exit();
        }
        return wait.kind() == WaitPolicy.Kind.UP_TO ? awaitSettled(recorded, wait.timeout()) : recorded;
    }

    /** The case once a worker brought it to its next wait, or as it stands when the timeout passed. */
    CaseSnapshot awaitSettled(CaseSnapshot recorded, Duration timeout) {
        try {
            return settlement.await(recorded.id().value(), timeout)
                    .map(record -> book.snapshot(book.load(record))).orElse(recorded);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return book.snapshot(book.load(book.require(recorded.id())));
        }
    }

    /**
     * @param claimed the case as a claim leased it, or null to read and lease it here
     * @param held    the case as a worker held it, or null
     */
    private CaseSnapshot commandEntered(CaseId caseId, String name, Actor actor, Consumer<CaseDocument> change,
            Runnable afterCommit, boolean runHere, BooleanSupplier stop, ClaimedCase claimed, HeldCase held,
            CaseHold hold) {
        Objects.requireNonNull(caseId, "caseId");
        try {
            CaseSnapshot result = locked(caseId, change, name.equals("ADVANCE"), afterCommit, runHere, stop,
                    claimed, held, hold);
            if (!name.equals("ADVANCE")) {
                audit.auditBestEffort(actor, name, result.request(), caseId, "state " + result.state());
            }
            return result;
        } catch (PosUnbindException e) {
            // Another instance holding the case is routine for timer-driven work; not worth a record.
            boolean routine = name.equals("ADVANCE") && (e.errorCode() == CoreErrorCode.CASE_BUSY
                    || e.errorCode() == CoreErrorCode.STALE_CASE_VERSION);
            if (!routine) {
                audit.auditCommand(actor, name, AuditOutcome.FAILURE, null, caseId,
                        e.errorCode().code());
            }
            throw e;
        } catch (RuntimeException fault) {
            // Providers and the store are guarded, so an uncoded exception here is posunbind's own.
            PosUnbindException coded = faults.engineFault(caseId, name, fault);
            try {
                audit.auditCommand(actor, name, AuditOutcome.FAILURE, null, caseId,
                        coded.errorCode().code());
            } catch (RuntimeException e) {
                LOG.warn("The audit trail did not take the engine fault of {} on case {}: {}", name, caseId.value(),
                        AdapterGuard.describe(e));
            }
            throw coded;
        }
    }

    /**
     * @param claimOnly   the change is none (timer-driven work): unless events had to be delivered again,
     *                    the lease is taken without rewriting the case, so a poll that finds nothing new
     *                    leaves the case as it was
     * @param afterCommit runs once the change is stored, before the case is worked on
     * @param claimed     the case as a claim stored it, leased to this instance, or null to read and lease it
     * @param held        the case as a worker held it, stored and leased, or null
     * @param hold        where a case whose call the provider's limits defer may wait
     */
    private CaseSnapshot locked(CaseId caseId, Consumer<CaseDocument> change, boolean claimOnly,
            Runnable afterCommit, boolean runHere, BooleanSupplier stop, ClaimedCase claimed, HeldCase held,
            CaseHold hold) {
        if (held != null ? !local.resume(held) : !local.tryTake(caseId.value())) {
            throw new PosUnbindException(CoreErrorCode.CASE_BUSY, "Case " + caseId.value()
                    + " is being worked on by another thread of instance " + settings.instanceId() + "; retry shortly");
        }
        try {
            if (held != null) {
                // Stored and leased as it is here, its events delivered: it goes on where its call was deferred.
                return work(held.document(), stop, hold);
            }
            CaseRecord record = claimed != null ? claimed.record() : book.require(caseId);
            if (claimed == null && record.leasedToOtherThan(settings.instanceId(), clock.instant())) {
                throw new PosUnbindException(CoreErrorCode.CASE_BUSY, "Case " + caseId.value()
                        + " is being worked on by instance " + record.leaseOwner().orElse("?") + "; retry shortly");
            }
            CaseDocument document = book.load(record);
            (claimed != null ? claimed.takenOverFrom() : record.leaseOwner())
                    .filter(owner -> !owner.equals(settings.instanceId()))
                    .ifPresent(previous -> CaseLog.takenOver(document.id, previous, settings.instanceId()));
            // Events a dead instance stored but may not have delivered go out first (at least once).
            boolean redelivered = audit.deliver(document);
            boolean wasOpen = document.state.isOpen();
            try {
                change.accept(document);
            } catch (RecordedRefusal refused) {
                // The refusal is part of the case's story: store its history entry, then refuse.
                book.save(document, false);
                audit.deliver(document);
                throw refused.refusal();
            }
            // A closed case that the change left as it was (no new events) is not written again.
            if (!document.state.isOpen() && !wasOpen && !redelivered && document.outbox.isEmpty()) {
                return book.snapshot(document);
            }
            if (!runHere) {
                // Recorded only: stored without a lease and due, its events still in the outbox; the worker
                // that takes the case delivers them first, so they go out once.
                book.save(document, false);
                afterCommit.run();
                dueSignal.due();
                return book.snapshot(document);
            }
            if (claimed != null && !redelivered) {
                book.claimed(document); // the claim stored the lease: nothing to write
            } else if (claimOnly && !redelivered) {
                book.claim(document, record);
            } else {
                book.save(document, true);
            }
            leases.held(document.id);
            try {
                afterCommit.run();
                audit.deliver(document);
                return work(document, stop, hold);
            } catch (RuntimeException e) {
                leases.released(document.id);
                throw e;
            }
        } finally {
            local.giveBack(caseId.value());
        }
    }

    /** Runs a case this instance holds the lease of, then gives the lease back. */
    CaseSnapshot work(CaseDocument document, BooleanSupplier stop) {
        return work(document, stop, CaseHold.NONE);
    }

    /**
     * Runs a case this instance holds the lease of, then gives the lease back, or, when the provider's limits
     * deferred its call for a moment and {@code hold} takes it, keeps the lease and leaves the case there.
     */
    private CaseSnapshot work(CaseDocument document, BooleanSupplier stop, CaseHold hold) {
        boolean kept = false;
        try {
            Instant[] deferredUntil = {null};
            boolean unchanged = document.state.isOpen() && steps.run(document, stop, deferredUntil);
            if (deferredUntil[0] != null && !stop.getAsBoolean() && hold.accepts(deferredUntil[0])) {
                if (!unchanged) {
                    steps.commit(document); // what the run changed is stored, still leased, and its events delivered
                }
                HeldCase held = new HeldCase(document, deferredUntil[0]);
                kept = local.hold(held);
                if (kept) {
                    hold.keep(held);
                    return book.snapshot(document);
                }
                unchanged = true;
            }
            if (unchanged) {
                // Nothing new since the last write: store only when to look again, and give the lease back.
                book.reschedule(document);
            } else {
                // The last write gives the lease back and clears the delivered events.
                book.save(document, false);
            }
            return book.snapshot(document);
        } finally {
            if (!kept) {
                leases.released(document.id);
                settlement.ran();
            }
        }
    }
}
