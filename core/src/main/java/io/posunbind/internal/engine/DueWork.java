package io.posunbind.internal.engine;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.ClaimedCase;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timer-driven work on the caller's thread ({@code Unbinder.runDueWork}): claims a batch of the cases whose
 * wake time has come (retries, polls, settlement checks, cases a crash interrupted) and advances each; one
 * failing case does not stop the others. Thread-safe.
 */
final class DueWork {

    /** The engine's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    private final DueWorkSource source;
    private final CaseRunner runner;
    private final EngineAudit audit;
    private final ShutdownGate gate;

    DueWork(DueWorkSource source, CaseRunner runner, EngineAudit audit, ShutdownGate gate) {
        this.source = source;
        this.runner = runner;
        this.audit = audit;
        this.gate = gate;
    }

    /**
     * Advances every case whose timer is due (retries, polls, settlement checks, cases interrupted by a
     * crash), at most {@code limit}. One failing case does not stop the others; cases claimed but not run
     * (the engine closes) are given back at once.
     *
     * @return how many cases were advanced
     */
    int runDueWork(int limit) {
        audit.checkpointIfDue();
        int advanced = 0;
        List<ClaimedCase> claimed = source.claim(limit);
        boolean closing = false;
        for (ClaimedCase claim : claimed) {
            String caseId = claim.record().caseId();
            closing = closing || gate.closing();
            if (closing) {
                source.giveBack(claim); // shutting down: take no further case
                continue;
            }
            try {
                runner.advanceClaimed(claim, () -> false);
                advanced++;
            } catch (PosUnbindException e) {
                if (e.errorCode() == CoreErrorCode.UNBINDER_CLOSED || e.errorCode() == CoreErrorCode.CASE_BUSY) {
                    // Refused before anything was written: the lease goes back rather than expire.
                    source.giveBack(claim);
                    closing = e.errorCode() == CoreErrorCode.UNBINDER_CLOSED;
                    LOG.debug("Case {} is being worked on by another thread or the engine closes", caseId);
                } else if (e.errorCode() == CoreErrorCode.STALE_CASE_VERSION) {
                    LOG.debug("Case {} was taken over by another instance", caseId);
                } else if (e.errorCode() == CoreErrorCode.ENGINE_FAULT) {
                    LOG.debug("Case {} stopped on an engine fault, logged above", caseId);
                } else {
                    LOG.warn("Case {} could not be advanced: {}", caseId, e.getMessage());
                }
            } catch (RuntimeException e) {
                // Not through a command (a case id the store returned that is no id): still one broken case,
                // which must not stop the others' timers.
                LOG.error("Engine fault while taking due case {}: {}", caseId, CoreErrorCode.ENGINE_FAULT.code(),
                        ScrubbedFault.of(e));
            } finally {
                source.done(claim);
            }
        }
        return advanced;
    }
}
