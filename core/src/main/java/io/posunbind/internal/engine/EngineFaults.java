package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepStatus;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults of posunbind's own code outside a step: logged once with their stack trace, and the case stopped
 * for an operator so that it is neither retried nor logged again on every tick. Thread-safe.
 */
final class EngineFaults {

    /** The engine's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    private final CaseBook book;
    private final CaseChanges changes;
    private final EngineAudit audit;
    private final LocalLeases local;
    private final Clock clock;
    private final EngineSettings settings;

    EngineFaults(CaseBook book, CaseChanges changes, EngineAudit audit, LocalLeases local, Clock clock,
            EngineSettings settings) {
        this.book = book;
        this.changes = changes;
        this.audit = audit;
        this.local = local;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * A fault of posunbind's own code outside a step (in the run loop, its timers, the codec): logged once
     * at ERROR with its (scrubbed) stack trace, and the case stopped {@link CaseState#FAILED} for an
     * operator if it can still be stored, so that it is neither retried nor logged again on every tick.
     *
     * @return what the caller is told: {@link CoreErrorCode#ENGINE_FAULT}
     */
    PosUnbindException engineFault(CaseId caseId, String command, RuntimeException fault) {
        LOG.error("Engine fault in case {} during {}; the case stops with {} for an operator", caseId.value(), command,
                CoreErrorCode.ENGINE_FAULT.code(), ScrubbedFault.of(fault));
        String message = "posunbind failed inside the engine during " + command + " with "
                + AdapterGuard.describe(fault) + "; nothing points to the provider. Report it with the log, then"
                + " retry the case as an operator once it is fixed";
        try {
            stopAfterFault(caseId, message);
        } catch (RuntimeException e) {
            LOG.warn("Case {} could not be stopped after an engine fault; it stays as last stored: {}", caseId.value(),
                    AdapterGuard.describe(e));
        }
        return new PosUnbindException(CoreErrorCode.ENGINE_FAULT, "Case " + caseId.value() + ": " + message);
    }

    /** Stops a case at its current step after an engine fault, from its last stored state. */
    private void stopAfterFault(CaseId caseId, String message) {
        if (!local.tryTake(caseId.value())) {
            return; // another thread of this instance works on the case now; it stores its own result
        }
        try {
            Optional<CaseRecord> record = book.store().load(caseId.value());
            if (record.isEmpty() || record.get().leasedToOtherThan(settings.instanceId(), clock.instant())) {
                return;
            }
            CaseDocument document = book.load(record.get());
            if (!document.state.isOpen()) {
                return;
            }
            String code = CoreErrorCode.ENGINE_FAULT.code();
            StepRecord step = document.currentStep();
            if (step == null) {
                changes.end(document, CaseState.FAILED, code, message);
                changes.history(document, Actor.system(), "CASE_" + CaseState.FAILED, code + ": " + message);
            } else {
                step.status = StepStatus.FAILED;
                step.finishedAt = clock.instant();
                step.nextAttemptAt = null;
                step.lastCode = code;
                step.lastMessage = DetailScrubber.scrub(message);
                changes.stopCase(document, step, CaseState.FAILED, code, message);
            }
            book.save(document, true);
            audit.deliver(document);
            book.save(document, false); // clears the delivered events: the case is no longer due
        } finally {
            local.giveBack(caseId.value());
        }
    }
}
