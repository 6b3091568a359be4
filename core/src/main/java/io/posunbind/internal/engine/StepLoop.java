package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.internal.engine.CaseBook.Difference;
import io.posunbind.internal.limits.CallDeferred;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.spi.PaymentProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a case's steps, on a case this instance holds the lease of, until it waits, ends or is stopped between two
 * steps: fires its timers, executes each step ({@link StepExecutor}), records the outcome with its history and
 * events, and stores transitions as {@link Checkpoint} says (steps that send nothing share the next write; every
 * operation is sent from a stored state). What happens to the lease afterwards is {@link CaseRunner}'s.
 *
 * <p>Thread-safe: any number of threads may run different cases.
 */
final class StepLoop {

    /** The engine's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    /** A runaway plan must not spin forever inside one call. */
    private static final int MAX_TRANSITIONS_PER_CALL = 500;

    private final CaseBook book;
    private final CaseChanges changes;
    private final CaseTimers timers;
    private final EngineAudit audit;
    private final ShutdownGate gate;
    private final ProviderRegistry providers;
    private final StepExecutor executor;
    private final Clock clock;

    StepLoop(CaseBook book, CaseChanges changes, CaseTimers timers, EngineAudit audit, ShutdownGate gate,
            ProviderRegistry providers, StepExecutor executor, Clock clock) {
        this.book = book;
        this.changes = changes;
        this.timers = timers;
        this.audit = audit;
        this.gate = gate;
        this.providers = providers;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Works on the case until it waits or ends.
     *
     * @param deferredUntil set to the wake time when the provider's limits deferred the case's call
     * @return whether the case is as last stored but for its current step's next attempt: a poll that
     *         found nothing new, which is neither stored again nor reported
     */
    boolean run(CaseDocument document, BooleanSupplier stop, Instant[] deferredUntil) {
        PaymentProvider provider = providers.require(document.request.providerId());
        CaseId caseId = CaseId.of(document.id);
        for (int transitions = 0; transitions < MAX_TRANSITIONS_PER_CALL && document.state.isOpen(); transitions++) {
            if (gate.closing() || stop.getAsBoolean()) {
                return false; // shutting down between steps: the case stays due, for this or another instance
            }
            StepRecord step = document.currentStep();
            Instant now = clock.instant();
            if (step == null) {
                changes.complete(document, now);
                commit(document);
                return false;
            }
            boolean fired;
            try {
                fired = timers.fireTimers(document, step, now, provider);
            } catch (CallDeferred deferred) {
                deferredUntil[0] = deferred.wakeAt();
                return defer(document, step, document.waitingFor, deferred.wakeAt());
            }
            if (fired) {
                commit(document);
                continue;
            }
            if (step.nextAttemptAt != null && step.nextAttemptAt.isAfter(now)) {
                // Not due yet: the timer brings it back.
                return book.differenceFromStored(document) == Difference.NONE;
            }
            if (step.status == StepStatus.PLANNED) {
                step.status = StepStatus.WAITING;
                step.startedAt = now;
                CaseChanges.emit(document, seq -> new UnbindEvent.StepStarted(caseId, seq, now, step.kind, step.number,
                        step.target));
            }
            document.state = CaseState.RUNNING;
            WaitReason previousWait = document.waitingFor;
            document.waitingFor = null;
            LOG.debug("Case {} step {} {} {}", document.id, step.number, step.kind, step.target);
            boolean[] sent = {false};
            StepResult result = executor.execute(document, step, provider, writeAhead -> {
                sent[0] = true;
                if (writeAhead || document.unstoredSteps) {
                    book.save(document, true);
                }
            });
            Instant after = clock.instant();
            if (result instanceof StepResult.Done done) {
                step.status = StepStatus.DONE;
                step.finishedAt = after;
                step.nextAttemptAt = null;
                step.lastCode = null;
                step.lastMessage = null;
                document.violations.clear();
                CaseTimers.clearInputTimers(document);
                if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                    document.approvalDeadlineAt = null;
                }
                changes.history(document, Actor.system(), "STEP_DONE", step.kind + CaseChanges.stepTarget(step)
                        + ": " + done.detail());
                CaseChanges.emit(document, seq -> new UnbindEvent.StepFinished(caseId, seq, after, step.kind,
                        step.number, step.target, true, done.detail()));
                finished(document, sent[0], after);
            } else if (result instanceof StepResult.Wait wait) {
                boolean sameWait = previousWait == wait.reason();
                document.state = CaseState.WAITING;
                document.waitingFor = wait.reason();
                step.nextAttemptAt = wait.wakeAt();
                timers.startInputTimers(document, step, wait.reason(), sameWait, after);
                if (!sameWait || !CaseChanges.lastHistoryIs(document, "WAITING", step)) {
                    changes.history(document, Actor.system(), "WAITING",
                            step.kind + CaseChanges.stepTarget(step) + " waits for " + wait.reason() + ": "
                                    + wait.detail());
                }
                Difference difference = sameWait ? book.differenceFromStored(document) : Difference.CHANGED;
                if (difference != Difference.CHANGED) {
                    // A poll that found nothing new: no event, and no rewrite unless the store still holds
                    // events delivered meanwhile (the last write clears them).
                    LOG.debug("Case {} still waits at {} for {}", document.id, step.kind, wait.reason());
                    return difference == Difference.NONE;
                }
                CaseChanges.emit(document, seq -> new UnbindEvent.CaseWaiting(caseId, seq, after, step.kind,
                        wait.reason(), wait.detail()));
                commit(document);
                LOG.debug("Case {} waits at {} for {}: {}", document.id, step.kind, wait.reason(), wait.detail());
                if (wait.reason() == WaitReason.RETRY) {
                    CaseLog.retrying(document.id, step.kind, step.lastCode == null ? "-" : step.lastCode,
                            wait.wakeAt());
                } else if (!sameWait) {
                    CaseLog.waiting(document.id, step.kind, wait.reason());
                }
                return false;
            } else if (result instanceof StepResult.Skipped skipped) {
                SkippedSteps.mark(document, step, skipped.code(), skipped.reason(), after);
                document.violations.clear();
                if (step.kind == StepKind.OBTAIN_INSTITUTION_APPROVAL) {
                    document.approvalDeadlineAt = null;
                }
                CaseTimers.clearInputTimers(document);
                CaseChanges.emit(document, seq -> new UnbindEvent.StepFinished(caseId, seq, after, step.kind,
                        step.number, step.target, true, "skipped: " + step.lastMessage));
                finished(document, sent[0], after);
            } else if (result instanceof StepResult.Deferred deferred) {
                deferredUntil[0] = deferred.wakeAt();
                return defer(document, step, previousWait, deferred.wakeAt());
            } else if (result instanceof StepResult.Stop stopped) {
                step.status = StepStatus.FAILED;
                step.finishedAt = after;
                step.lastCode = stopped.code();
                step.lastMessage = stopped.message();
                changes.stopCase(document, step, stopped.state(), stopped.code(), stopped.message());
                commit(document);
                return false;
            }
        }
        return false;
    }

    /**
     * A provider call the provider's limits did not let through: nothing reached the provider, so the case
     * only comes back at {@code wakeAt}, waiting as before (or for a retry, if the step had just begun),
     * with no history entry, no event and no failure counted.
     *
     * @return whether only the wake time needs storing
     */
    private boolean defer(CaseDocument document, StepRecord step, WaitReason previousWait, Instant wakeAt) {
        document.state = CaseState.WAITING;
        document.waitingFor = previousWait != null ? previousWait : WaitReason.RETRY;
        step.nextAttemptAt = wakeAt;
        LOG.debug("Case {} step {} deferred by the provider's limits until {}", document.id, step.kind, wakeAt);
        return book.differenceFromStored(document) == Difference.NONE;
    }

    /**
     * After a step finished: the case's end is stored at once; otherwise the case goes on to its next step
     * without a write (see {@link Checkpoint}). A step that sent nothing is stored before the next operation
     * is sent, or with the case's next write; one whose operation took effect is stored with the next write
     * too, as sending it again under its key changes nothing more (a provider that would not recognise it
     * has the mark of the next operation stored before that is sent, which records this one's end as well).
     * Its events wait in the outbox for that write, and are delivered after it.
     */
    private void finished(CaseDocument document, boolean sent, Instant now) {
        if (document.currentStep() == null) {
            // The last step's end is the case's: one transition, one write.
            changes.complete(document, now);
            commit(document);
        } else if (!sent) {
            document.unstoredSteps = true;
        }
    }

    /** Stores one transition with its events, then delivers them. */
    void commit(CaseDocument document) {
        book.save(document, true);
        audit.deliver(document);
    }
}
