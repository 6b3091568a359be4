package io.posunbind.internal.engine;

import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.WaitReason;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of the cases without a listener of their own: one INFO line per turn of a case's
 * life (opened, waiting, retried, taken over, completed, failed, dead-lettered, cancelled). A wait is
 * logged once when it begins, never per poll. Lines name the case id, provider, step, state, wait reason
 * and codes only: never a card, account, identity or phone number, nor a provider's free text, which may
 * quote one.
 *
 * <p>Stateless and thread-safe. Logger name {@code io.posunbind.cases}, so the lines can be routed or
 * silenced apart from the engine's own diagnostics.
 */
final class CaseLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.posunbind.cases");

    private CaseLog() {
    }

    static void opened(String caseId, String providerId, int plannedSteps) {
        LOG.info("Case {} opened at provider {} with {} step(s) planned", caseId, providerId, plannedSteps);
    }

    static void waiting(String caseId, StepKind step, WaitReason reason) {
        LOG.info("Case {} waits at {} for {}", caseId, step, reason);
    }

    static void retrying(String caseId, StepKind step, String code, Instant nextAttempt) {
        LOG.info("Case {} will retry {} at {} after {}", caseId, step, nextAttempt, code);
    }

    static void takenOver(String caseId, String previousOwner, String owner) {
        LOG.info("Case {} taken over by {} from {}, whose lease expired", caseId, owner, previousOwner);
    }

    static void completed(String caseId) {
        LOG.info("Case {} completed", caseId);
    }

    /** An unsuccessful end: a failed case is dead-lettered for an operator, the others are final. */
    static void ended(String caseId, CaseState state, StepKind step, String code) {
        if (state == CaseState.FAILED) {
            LOG.info("Case {} dead-lettered: FAILED at {} with {}; an operator may retry it once the cause is fixed",
                    caseId, step, code);
        } else {
            LOG.info("Case {} failed: {} at {} with {}", caseId, state, step, code);
        }
    }

    static void cancelled(String caseId, CaseState state, String code) {
        LOG.info("Case {} {} by a person ({})", caseId, state, code);
    }
}
