package io.posunbind.internal.engine;

import io.posunbind.CaseId;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timer-driven work: finds the cases whose wake time has come (retries, polls, settlement checks, cases a
 * crash interrupted) and advances each; one failing case does not stop the others. Thread-safe.
 */
final class DueWork {

    /** The engine's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    private final CaseStore store;
    private final CaseCommands commands;
    private final EngineAudit audit;
    private final ShutdownGate gate;
    private final Clock clock;

    DueWork(CaseStore store, CaseCommands commands, EngineAudit audit, ShutdownGate gate, Clock clock) {
        this.store = store;
        this.commands = commands;
        this.audit = audit;
        this.gate = gate;
        this.clock = clock;
    }

    /**
     * Advances every case whose timer is due (retries, polls, settlement checks, cases interrupted by a
     * crash). One failing case does not stop the others.
     *
     * @return how many cases were advanced
     */
    int runDueWork(int limit) {
        audit.checkpointIfDue();
        int advanced = 0;
        for (String caseId : store.findDue(clock.instant(), limit)) {
            if (gate.closing()) {
                break; // shutting down: take no further case
            }
            try {
                commands.advance(CaseId.of(caseId));
                advanced++;
            } catch (PosUnbindException e) {
                if (e.errorCode() == CoreErrorCode.UNBINDER_CLOSED) {
                    break;
                }
                if (e.errorCode() == CoreErrorCode.CASE_BUSY || e.errorCode() == CoreErrorCode.STALE_CASE_VERSION) {
                    LOG.debug("Case {} is being worked on by another instance", caseId);
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
            }
        }
        return advanced;
    }
}
