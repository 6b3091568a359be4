package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CoreErrorCode;
import io.posunbind.audit.AffectedResource;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.audit.AuditTrail;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerdict;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.spi.model.ProviderCallback;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a verified callback's nonce, and who hears of it: a callback acted on or refused for good
 * has its nonce spent and is recorded in the audit trail; a refusal is told to the listeners and logged.
 * The order matters (see each method): a crash leaves a recorded refusal with an unspent nonce, never a
 * spent nonce nobody recorded. Thread-safe.
 */
final class CallbackReceipts {

    /** The intake's log, under the name operators already configure. */
    private static final Logger LOG = LoggerFactory.getLogger(CallbackIntake.class);
    private static final Pattern SHOWN = Pattern.compile("[\\x21-\\x7E]{1,64}");

    private final List<UnbindListener> listeners;
    /** May be null: no audit trail configured. */
    private final AuditTrail audit;

    CallbackReceipts(List<UnbindListener> listeners, AuditTrail audit) {
        this.listeners = List.copyOf(listeners);
        this.audit = audit;
    }

    /**
     * Audits the refusal of a callback refused for good, spends its nonce, tells the listeners, and says
     * what to throw. The audit comes first: a crash after it leaves a record of a refusal whose nonce is
     * still unspent (a resend is refused again, and recorded), never a spent nonce nobody recorded.
     */
    CallbackRejectedException refusedForGood(CallbackVerifier verifier, CallbackVerdict verdict,
            CaseId caseId, CallbackRejectedException refusal) {
        auditRejection(refusal, caseId);
        CallbackRejectedException answer = refusal;
        if (!spendForGood(verifier, verdict)) {
            answer = replayed(verdict);
            auditRejection(answer, caseId);
        }
        tellListeners(answer);
        return answer;
    }

    /**
     * Acknowledges a verified notification that concerns no case: spends its id (a resend is then a replay,
     * answered 200 as well), records it, and says what to throw, a code the host answers 200 so that the
     * provider stops resending. Nothing changes; the listeners hear nothing, as nothing was refused.
     */
    CallbackRejectedException acknowledged(CallbackVerifier verifier, CallbackVerdict verdict,
            ProviderCallback.ConcernsNoCase unrelated) {
        if (!spendForGood(verifier, verdict)) {
            CallbackRejectedException replay = replayed(verdict);
            rejected(replay, null);
            return replay;
        }
        if (audit != null) {
            try {
                audit.append(new Actor("callback:" + verdict.providerId(), "provider"),
                        AuditEventTypes.CALLBACK_ACCEPTED, AuditOutcome.SUCCESS, "callback", AffectedResource.none(),
                        "nonce " + verdict.nonce() + ", event " + DetailScrubber.scrub(unrelated.eventType())
                                + " concerns no case");
            } catch (RuntimeException e) {
                LOG.warn("The audit trail did not take acknowledged {}: {}", describe(verdict), e.toString());
            }
        }
        LOG.info("Acknowledged {}: its event {} concerns no case", describe(verdict), shown(unrelated.eventType()));
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_CONCERNS_NO_CASE, describe(verdict)
                + " is genuine but its event " + shown(unrelated.eventType()) + " concerns no case; answer it 200",
                verdict.providerId(), verdict.nonce());
    }

    /**
     * Spends the nonce of a callback refused for good.
     *
     * @return {@code false} when another delivery of the same callback spent it first: this one is a replay
     */
    static boolean spendForGood(CallbackVerifier verifier, CallbackVerdict verdict) {
        try {
            verifier.spend(verdict);
            return true;
        } catch (CallbackRejectedException e) {
            if (e.errorCode() == CoreErrorCode.CALLBACK_REPLAYED) {
                return false;
            }
            // The refusal stands either way: a resend is refused again, for the same reason.
            LOG.warn("Could not spend the nonce of refused {}: {}", describe(verdict), e.errorCode().code());
            return true;
        }
    }

    /** Spends the nonce of a callback whose change was committed; the case's own record backs it up. */
    void spendAfterActing(CallbackVerifier verifier, CallbackVerdict verdict, CaseId caseId,
            String signedBy) {
        try {
            verifier.spend(verdict);
        } catch (CallbackRejectedException e) {
            // Committed is committed: a resend finds the nonce in the case and is refused as a replay.
            LOG.warn("Could not spend the nonce of {} after acting on case {}: {}", describe(verdict), caseId.value(),
                    e.errorCode().code());
        }
        if (audit != null) {
            try {
                audit.append(new Actor("callback:" + verdict.providerId(), "provider"),
                        AuditEventTypes.CALLBACK_ACCEPTED, AuditOutcome.SUCCESS, "callback",
                        AffectedResource.ofCase(caseId.value()), "nonce " + verdict.nonce()
                                + (signedBy == null ? "" : ", signed by " + DetailScrubber.scrub(shown(signedBy))));
            } catch (RuntimeException e) {
                LOG.warn("The audit trail did not take accepted {}: {}", describe(verdict), e.toString());
            }
        }
    }

    /** Audits a refusal and tells the listeners; the caller throws it whatever becomes of either. */
    void rejected(CallbackRejectedException rejection, CaseId caseId) {
        auditRejection(rejection, caseId);
        tellListeners(rejection);
    }

    /** Records a refusal in the audit trail, best effort: a trail failure must not replace the refusal. */
    void auditRejection(CallbackRejectedException rejection, CaseId caseId) {
        if (audit == null) {
            return;
        }
        try {
            audit.append(new Actor("callback:" + rejection.claimedProviderId().orElse("unknown"), "provider"),
                    AuditEventTypes.CALLBACK_REJECTED, AuditOutcome.FAILURE, "callback",
                    caseId == null ? AffectedResource.none() : AffectedResource.ofCase(caseId.value()),
                    rejection.errorCode().code() + " nonce " + rejection.nonce().orElse("-"));
        } catch (RuntimeException e) {
            LOG.warn("The audit trail did not take the refusal {} of a callback from {}: {}",
                    rejection.errorCode().code(), rejection.claimedProviderId().orElse("?"), AdapterGuard.describe(e));
        }
    }

    void tellListeners(CallbackRejectedException rejection) {
        for (UnbindListener listener : listeners) {
            try {
                listener.onRejectedCallback(rejection);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on a rejected callback: {}", listener.getClass().getName(), e.toString());
            }
        }
        LOG.warn("Refused a callback claiming to come from {}: {}", rejection.claimedProviderId().orElse("?"),
                rejection.errorCode().code());
    }

    static CallbackRejectedException malformed(CallbackVerdict verdict, String problem) {
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED, describe(verdict) + " is signed, but "
                + problem, verdict.providerId(), verdict.nonce());
    }

    static CallbackRejectedException replayed(CallbackVerdict verdict) {
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAYED, describe(verdict)
                + ": another delivery of it was handled first; a callback is accepted once", verdict.providerId(),
                verdict.nonce());
    }

    static String describe(CallbackVerdict verdict) {
        return "Callback " + verdict.nonce() + " from " + verdict.providerId();
    }

    /** Untrusted text fit for a message: itself when short visible ASCII, otherwise its length. */
    static String shown(String text) {
        return text != null && SHOWN.matcher(text).matches() ? text
                : "(" + (text == null ? 0 : text.length()) + " chars)";
    }
}
