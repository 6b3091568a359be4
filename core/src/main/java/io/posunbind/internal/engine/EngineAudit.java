package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.UnbindRequest;
import io.posunbind.audit.AffectedResource;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.audit.AuditTrail;
import io.posunbind.event.UnbindEvent;
import io.posunbind.event.UnbindListener;
import io.posunbind.observe.EngineObserver;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine tells the outside world about a case: its stored events, to the audit trail first (not
 * optional: a failure leaves them in the outbox, delivered again) and then to the listeners; the commands
 * it took; the calls it made to providers. Thread-safe.
 */
final class EngineAudit {

    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    /** Where every command, state change and provider call is recorded, tamper-evidently; may be null. */
    private final AuditTrail audit;
    private final List<UnbindListener> listeners;
    private final String instanceId;
    private final ObservedEvents observed;

    EngineAudit(AuditTrail audit, List<UnbindListener> listeners, String instanceId) {
        this(audit, listeners, instanceId, EngineObserver.NONE);
    }

    EngineAudit(AuditTrail audit, List<UnbindListener> listeners, String instanceId, EngineObserver observer) {
        this.audit = audit;
        this.listeners = List.copyOf(listeners);
        this.instanceId = instanceId;
        this.observed = new ObservedEvents(observer);
    }

    /** Signs a checkpoint of the trail when one is due; a failure only delays the signature. */
    void checkpointIfDue() {
        if (audit != null) {
            try {
                audit.checkpointIfDue();
            } catch (PosUnbindException e) {
                LOG.warn("Audit checkpoint failed; records stay unsigned until the next try: {}", e.getMessage());
            }
        }
    }

    /** Delivers the stored events to the listeners, in order, and forgets them (the next write clears them). */
    boolean deliver(CaseDocument document) {
        if (document.outbox.isEmpty()) {
            return false;
        }
        if (audit != null) {
            // The audit comes first and is not optional: if it fails the events stay in the stored
            // outbox and are delivered again, so no committed change goes unrecorded.
            for (UnbindEvent event : document.outbox) {
                auditEvent(document, event);
            }
        }
        for (UnbindEvent event : document.outbox) {
            for (UnbindListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed on {}: {}", listener.getClass().getName(),
                            event.getClass().getSimpleName(), e.toString());
                }
            }
            observed.delivered(document, event);
        }
        document.outbox.clear();
        return true;
    }

    /**
     * Records a command that committed. Its changes reach the trail reliably through the outbox; this
     * record adds who asked, and a trail failure here must not turn a done command into an error.
     */
    void auditBestEffort(Actor actor, String name, UnbindRequest request, CaseId caseId, String detail) {
        try {
            auditCommand(actor, name, AuditOutcome.SUCCESS, request, caseId, detail);
        } catch (RuntimeException e) {
            LOG.warn("The audit trail did not take command {} on case {}: {}", name, caseId, e.toString());
        }
    }

    void auditCommand(Actor actor, String name, AuditOutcome outcome,
            UnbindRequest request, CaseId caseId, String detail) {
        if (audit == null) {
            return;
        }
        AffectedResource resource = request == null
                ? AffectedResource.ofCase(caseId.value())
                : AffectedResource.of(caseId.value(), request.terminalSerial(),
                        request.merchantNumber());
        audit.append(actor, AuditEventTypes.COMMAND, outcome, "api", resource, name + ": " + detail);
    }

    void auditEvent(CaseDocument document, UnbindEvent event) {
        AffectedResource resource = AffectedResource.of(document.id,
                document.request.terminalSerial(), document.request.merchantNumber());
        String type;
        AuditOutcome outcome = AuditOutcome.SUCCESS;
        String detail;
        Actor actor = Actor.system();
        if (event instanceof UnbindEvent.StepStarted started) {
            type = AuditEventTypes.STEP_STARTED;
            detail = started.step() + " #" + started.number() + " " + started.target();
        } else if (event instanceof UnbindEvent.StepFinished finished) {
            type = AuditEventTypes.STEP_DONE;
            outcome = AuditOutcome.of(finished.succeeded());
            detail = finished.step() + " #" + finished.number() + " " + finished.target() + ": " + finished.detail();
        } else if (event instanceof UnbindEvent.CaseWaiting waiting) {
            type = AuditEventTypes.CASE_WAITING;
            detail = waiting.step() + " waits for " + waiting.reason() + ": " + waiting.detail();
        } else if (event instanceof UnbindEvent.CaseFinished finished) {
            type = AuditEventTypes.CASE_FINISHED;
            outcome = AuditOutcome.of(finished.state() == CaseState.COMPLETED);
            detail = finished.state() + " " + finished.detail();
        } else if (event instanceof UnbindEvent.Reminder reminder) {
            type = "REMINDER";
            detail = "waiting for " + reminder.reason() + " since " + reminder.waitingSince();
        } else {
            UnbindEvent.OperatorAction action = (UnbindEvent.OperatorAction) event;
            type = "OPERATOR_" + action.action();
            actor = Actor.operator(action.actorId());
            detail = action.reason();
        }
        audit.append(actor, type, outcome, "engine:" + instanceId, resource,
                "event " + event.sequence() + ": " + detail);
    }

    /** Records a call to the provider: it happened, whatever becomes of the step that made it. */
    void auditProviderCall(CaseDocument document, OperationKind kind, String key,
            int attempt, String result, boolean succeeded) {
        if (audit == null) {
            return;
        }
        audit.append(Actor.system(), AuditEventTypes.PROVIDER_CALL,
                AuditOutcome.of(succeeded), "provider:" + document.request.providerId(),
                AffectedResource.of(document.id, document.request.terminalSerial(),
                        document.request.merchantNumber()),
                kind + " key " + key + " attempt " + attempt + ": " + result);
    }
}
