package io.posunbind.internal.engine;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.audit.AffectedResource;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.audit.AuditTrail;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerdict;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.internal.callback.VerifiedNotifications;
import io.posunbind.internal.input.CommandInput;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a provider's callback to the case it names, at most once.
 *
 * <p>Two formats arrive: the engine's own signed format, verified by the {@link CallbackVerifier}, and a
 * provider's own notification format, verified by the provider's {@link CallbackParser#verify} and then
 * checked by the verifier for time and replay. Either may name its case by the engine's case id or only by
 * the provider's reference, which is looked up among the sending provider's cases
 * ({@code UNB-CALLBACK-UNKNOWN-REFERENCE} when none or several have it).
 *
 * <p>A callback acts only on a case of the provider that signed it, and a decision only on the case's
 * own application; each refusal has its code ({@code UNB-CALLBACK-WRONG-PROVIDER},
 * {@code UNB-CALLBACK-APPLICATION-MISMATCH}), is audited, and leaves the case untouched.
 *
 * <p><b>When the nonce is spent.</b> The verifier only checks the nonce; it is spent once the case change
 * is committed (while this instance still holds the case's lease, before the case runs on) or once the
 * callback is refused for good (malformed, wrong sender or application, a case that does not expect it or
 * does not exist: an explicit list of codes). Any other refusal (the case busy or changed meanwhile, a store
 * down or corrupt, a data key missing, a parser that cannot work now) leaves it unspent, so the sender's
 * retry is accepted once the cause is gone. At most one delivery acts: a change needs the case's lease and version,
 * so of two concurrent deliveries one commits and the other finds the case busy or changed; the nonce is
 * also recorded in the case with the change, so a delivery that reaches the case afterwards is refused
 * as a replay even if spending the nonce failed (a crash, the nonce store down) after the commit. Of two
 * deliveries refused for good at once, the nonce store's atomic insert lets one keep its code and turns
 * the other into {@code UNB-CALLBACK-REPLAYED}.
 *
 * <p>Thread-safe.
 */
final class CallbackIntake {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackIntake.class);
    private static final Pattern SHOWN = Pattern.compile("[\\x21-\\x7E]{1,64}");

    /**
     * The refusals that are final for a callback: about the callback itself, so that sending it again
     * changes nothing. Every other refusal (a store, key or configuration fault, a busy case) leaves the
     * nonce unspent, whether its code says retryable or not: once an operator fixed the cause, the
     * sender's retry must still be accepted.
     */
    private static final Set<CoreErrorCode> FINAL_REFUSALS = EnumSet.of(CoreErrorCode.COMMAND_NOT_EXPECTED,
            CoreErrorCode.CASE_NOT_FOUND, CoreErrorCode.CALLBACK_MALFORMED, CoreErrorCode.CALLBACK_REPLAYED,
            CoreErrorCode.CALLBACK_WRONG_PROVIDER, CoreErrorCode.CALLBACK_APPLICATION_MISMATCH);

    private final CaseRunner runner;
    private final CaseCommands commands;
    private final CaseBook book;
    private final ProviderRegistry providers;
    private final List<UnbindListener> listeners;
    /** May be null: no audit trail configured. */
    private final AuditTrail audit;

    CallbackIntake(CaseRunner runner, CaseCommands commands, CaseBook book, ProviderRegistry providers,
            List<UnbindListener> listeners, AuditTrail audit) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.book = Objects.requireNonNull(book, "book");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.listeners = List.copyOf(listeners);
        this.audit = audit;
    }

    /** Verifies a callback, then routes what it says to the case it names. */
    CaseSnapshot accept(CallbackVerifier verifier, Callback callback) {
        Objects.requireNonNull(callback, "callback");
        CallbackVerdict verdict;
        try {
            if (verifier == null) {
                throw new CallbackRejectedException(CoreErrorCode.CALLBACK_UNKNOWN_SENDER,
                        "No callback verifier is configured; every callback is refused", callback.providerId(),
                        null);
            }
            verdict = verifier.check(callback);
        } catch (CallbackRejectedException e) {
            rejected(e, null);
            throw e;
        }
        // Configuration, not the callback: no parser is no reason to spend the nonce.
        PaymentProvider provider = providers.require(verdict.providerId());
        CallbackParser parser = provider.callbackParser()
                .orElseThrow(() -> new PosUnbindException(CoreErrorCode.CAPABILITY_MISSING,
                        "Provider " + provider.id() + " has no callback parser"));
        ProviderCallback parsed = parse(verifier, verdict, parser);
        return route(verifier, verdict, parsed, null);
    }

    /**
     * Verifies a notification in a provider's own format with the provider's parser, checks its time and
     * id with the verifier, then routes what it says to the case it names.
     */
    CaseSnapshot acceptNotification(CallbackVerifier verifier, String providerId, RawCallback request) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(request, "request");
        CallbackVerdict verdict;
        ProviderNotification notification;
        try {
            if (verifier == null || !verifier.acceptsNativeNotifications(providerId)) {
                throw new CallbackRejectedException(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, "A notification for "
                        + shown(providerId) + " was refused: its own notification format is not accepted from that"
                        + " provider; enable it with CallbackVerifier.builder().nativeNotifications(...)", null, null);
            }
            if (request.bodyLength() > CallbackVerifier.MAX_BODY_BYTES) {
                throw new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED, "A notification from "
                        + providerId + " is malformed: the body is larger than " + CallbackVerifier.MAX_BODY_BYTES
                        + " bytes", providerId, null);
            }
            Optional<CallbackParser> parser = providers.ids().contains(providerId)
                    ? providers.require(providerId).callbackParser() : Optional.empty();
            if (parser.isEmpty() || !parser.get().verifiesNativeNotifications()) {
                throw new CallbackRejectedException(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, "A notification from "
                        + providerId + " was refused: no provider " + providerId + " that verifies notifications in"
                        + " its own format is registered", providerId, null);
            }
            notification = verifyNative(parser.get(), providerId, request);
            verdict = VerifiedNotifications.check(verifier, providerId, notification.notificationId(),
                    notification.sentAt(), request.bodyText());
        } catch (CallbackRejectedException e) {
            rejected(e, null);
            throw e;
        }
        return route(verifier, verdict, notification.content(), notification.sender());
    }

    /**
     * Asks the provider's parser to verify and read the notification. Its refusals keep the notification's
     * id unspent: nothing of an unverified notification is trusted, its id included.
     */
    private static ProviderNotification verifyNative(CallbackParser parser, String providerId, RawCallback request) {
        ProviderNotification notification;
        try {
            notification = parser.verify(request);
        } catch (PosUnbindException e) {
            if (e.retryable()) {
                // It may verify later unchanged (a signing certificate that cannot be fetched now): 503.
                throw e;
            }
            CoreErrorCode code = e.errorCode() == NotificationErrorCode.SIGNATURE_INVALID
                    ? CoreErrorCode.CALLBACK_SIGNATURE_INVALID
                    : e.errorCode() == NotificationErrorCode.UNKNOWN_KEY ? CoreErrorCode.CALLBACK_UNKNOWN_SENDER
                    : CoreErrorCode.CALLBACK_MALFORMED;
            throw new CallbackRejectedException(code, "A notification from " + providerId + " was refused by the"
                    + " provider's verification (" + e.errorCode().code() + ")", providerId, null);
        } catch (RuntimeException e) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED, "A notification from " + providerId
                    + " cannot be verified (" + e.getClass().getSimpleName() + ")", providerId, null);
        }
        if (notification == null) {
            throw new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED, "A notification from " + providerId
                    + " says nothing the provider's parser could read", providerId, null);
        }
        return notification;
    }

    /**
     * Routes a verified callback's content to its case, spending the nonce as the class says.
     *
     * @param signedBy who signed a provider-native notification, as the provider names it (recorded in the
     *                 audit trail); null for the engine's own format, whose signer is the provider itself
     */
    private CaseSnapshot route(CallbackVerifier verifier, CallbackVerdict verdict, ProviderCallback parsed,
            String signedBy) {
        if (parsed instanceof ProviderCallback.ConcernsNoCase unrelated) {
            throw acknowledged(verifier, verdict, unrelated);
        }
        CaseId caseId = caseOf(verifier, verdict, parsed);
        Actor sender = new Actor("callback:" + verdict.providerId(), "provider");
        if (parsed instanceof ProviderCallback.Decision decision) {
            // A decision from a callback meets the same checks as one recorded by a person: sizes,
            // unsafe characters, and numbers typed into its message masked before it is stored.
            try {
                parsed = new ProviderCallback.Decision(decision.caseId(),
                        CommandInput.decision("RECORD_DECISION", caseId, sender, decision.decision()));
            } catch (InvalidRequestException e) {
                throw refusedForGood(verifier, verdict, caseId,
                        malformed(verdict, "its decision is not valid (" + e.errorCode().code() + ")"));
            }
        }
        boolean[] committed = {false};
        Runnable afterCommit = () -> {
            committed[0] = true;
            spendAfterActing(verifier, verdict, caseId, signedBy);
        };
        try {
            if (parsed instanceof ProviderCallback.Decision decision) {
                return runner.command(caseId, "RECORD_DECISION", sender, onlyFromItsProvider(verdict, caseId,
                        decision, commands.decisionChange(sender, decision.decision())), afterCommit);
            }
            ProviderCallback.OperationFinished finished = (ProviderCallback.OperationFinished) parsed;
            return runner.command(caseId, "COMPLETE_OPERATION", sender, onlyFromItsProvider(verdict, caseId, null,
                    commands.completionChange(sender, finished.providerReference(), finished.outcome())), afterCommit);
        } catch (CallbackRejectedException e) {
            if (committed[0]) {
                throw e;
            }
            throw refusedForGood(verifier, verdict, caseId, e);
        } catch (PosUnbindException e) {
            if (committed[0] || !FINAL_REFUSALS.contains(e.errorCode())) {
                // Acted on already, or refused for a reason of this side (busy, changed meanwhile, a store
                // down or corrupt, a data key missing): the nonce stays as it is, so the sender's retry is
                // accepted once the reason is gone, whether or not the code says "retryable".
                throw e;
            }
            // The case does not expect it, or does not exist: sending it again changes nothing.
            if (!spendForGood(verifier, verdict)) {
                CallbackRejectedException replay = replayed(verdict);
                rejected(replay, caseId);
                throw replay;
            }
            throw e;
        }
    }

    /**
     * The case the callback names: by its case id, or by the provider's reference (or the idempotency key
     * the engine sent) among the sending provider's open cases that wait for it. A reference that names
     * several such cases is refused for good ({@code UNB-CALLBACK-AMBIGUOUS-REFERENCE}): sending it again
     * finds the same. One that names none is refused for now ({@code UNB-CALLBACK-UNKNOWN-REFERENCE},
     * retryable, its id unspent): a webhook may overtake the commit of the pending answer that brought the
     * reference, and the provider's retry must then find the case.
     */
    private CaseId caseOf(CallbackVerifier verifier, CallbackVerdict verdict, ProviderCallback parsed) {
        if (parsed.caseId().isPresent()) {
            try {
                return CaseId.of(parsed.caseId().get());
            } catch (RuntimeException e) {
                throw refusedForGood(verifier, verdict, null, malformed(verdict, "it names no valid case id"));
            }
        }
        String reference = parsed instanceof ProviderCallback.Decision decision
                ? decision.decision().applicationReference()
                : ((ProviderCallback.OperationFinished) parsed).providerReference();
        // A store that cannot answer now throws a retryable code: the nonce stays unspent for the retry.
        List<String> cases = book.casesByProviderReference(verdict.providerId(), reference,
                parsed instanceof ProviderCallback.Decision);
        if (cases.isEmpty()) {
            // Not yet known, perhaps: the nonce stays unspent, so the provider's retry is accepted once the
            // case has committed the reference.
            CallbackRejectedException unknown = new CallbackRejectedException(
                    CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE, describe(verdict) + " names no case id, and no open"
                    + " case of " + verdict.providerId() + " waits for its reference " + shown(reference)
                    + " (yet); send it again later", verdict.providerId(), verdict.nonce());
            rejected(unknown, null);
            throw unknown;
        }
        if (cases.size() > 1) {
            throw refusedForGood(verifier, verdict, null, new CallbackRejectedException(
                    CoreErrorCode.CALLBACK_AMBIGUOUS_REFERENCE, describe(verdict) + " names no case id, and "
                    + cases.size() + " open cases of " + verdict.providerId() + " wait for its reference "
                    + shown(reference) + "; it cannot tell them apart", verdict.providerId(), verdict.nonce()));
        }
        return CaseId.of(cases.get(0));
    }

    /** Untrusted text fit for a message: itself when short visible ASCII, otherwise its length. */
    private static String shown(String text) {
        return text != null && SHOWN.matcher(text).matches() ? text
                : "(" + (text == null ? 0 : text.length()) + " chars)";
    }

    /**
     * Checks the sender and, for a decision, the application before the change: both refusals leave the
     * case untouched. Records the nonce in the case with the change, so the case itself knows it was acted on.
     */
    private static Consumer<CaseDocument> onlyFromItsProvider(CallbackVerdict verdict, CaseId caseId,
            ProviderCallback.Decision decision, Consumer<CaseDocument> change) {
        String actedOn = verdict.providerId() + " " + verdict.nonce();
        return document -> {
            String caseProvider = document.request.providerId();
            if (!caseProvider.equals(verdict.providerId())) {
                throw new CallbackRejectedException(CoreErrorCode.CALLBACK_WRONG_PROVIDER, describe(verdict)
                        + " names case " + caseId.value() + ", which another provider carries out; a provider's"
                        + " callbacks act only on its own cases", verdict.providerId(), verdict.nonce());
            }
            if (document.callbacksActedOn.contains(actedOn)) {
                throw new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAYED, describe(verdict)
                        + " was acted on before; a callback is accepted once", verdict.providerId(), verdict.nonce());
            }
            if (decision != null) {
                String application = decision.decision().applicationReference();
                if (document.applicationReference == null) {
                    throw new CallbackRejectedException(CoreErrorCode.CALLBACK_APPLICATION_MISMATCH, describe(verdict)
                            + " decides application " + application + ", but case " + caseId.value()
                            + " has not applied yet", verdict.providerId(), verdict.nonce());
                }
                if (!document.applicationReference.equals(application)) {
                    throw new CallbackRejectedException(CoreErrorCode.CALLBACK_APPLICATION_MISMATCH, describe(verdict)
                            + " decides application " + application + ", but case " + caseId.value()
                            + "'s application is " + document.applicationReference, verdict.providerId(),
                            verdict.nonce());
                }
            }
            change.accept(document);
            document.callbacksActedOn.add(actedOn);
        };
    }

    private ProviderCallback parse(CallbackVerifier verifier, CallbackVerdict verdict, CallbackParser parser) {
        ProviderCallback parsed;
        try {
            parsed = parser.parse(verdict.body());
        } catch (PosUnbindException e) {
            if (!bodyIsToBlame(e)) {
                // The parser could not do its work now (a key service down, its own configuration): not
                // the body's fault, so the nonce stays unspent for the sender's retry.
                throw e;
            }
            throw refusedForGood(verifier, verdict, null, malformed(verdict, "its body cannot be read ("
                    + e.errorCode().code() + ")"));
        } catch (RuntimeException e) {
            // Signed but unreadable: the sender's fault, and sending the same bytes again cannot help.
            throw refusedForGood(verifier, verdict, null, malformed(verdict, "its body cannot be read ("
                    + e.getClass().getSimpleName() + ")"));
        }
        if (parsed == null) {
            throw refusedForGood(verifier, verdict, null, malformed(verdict, "its body says nothing about a case"));
        }
        return parsed;
    }

    /**
     * Whether a parser's coded refusal blames the body: the SPI's {@code INVALID_REQUEST} (what a parser
     * throws for a body it cannot read), an invalid request or a malformed callback.
     */
    private static boolean bodyIsToBlame(PosUnbindException refusal) {
        return refusal instanceof InvalidRequestException || refusal.errorCode() == StandardErrorCode.INVALID_REQUEST
                || refusal.errorCode() == CoreErrorCode.INVALID_REQUEST
                || refusal.errorCode() == CoreErrorCode.CALLBACK_MALFORMED;
    }

    /**
     * Audits the refusal of a callback refused for good, spends its nonce, tells the listeners, and says
     * what to throw. The audit comes first: a crash after it leaves a record of a refusal whose nonce is
     * still unspent (a resend is refused again, and recorded), never a spent nonce nobody recorded.
     */
    private CallbackRejectedException refusedForGood(CallbackVerifier verifier, CallbackVerdict verdict,
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
    private CallbackRejectedException acknowledged(CallbackVerifier verifier, CallbackVerdict verdict,
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
    private static boolean spendForGood(CallbackVerifier verifier, CallbackVerdict verdict) {
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
    private void spendAfterActing(CallbackVerifier verifier, CallbackVerdict verdict, CaseId caseId,
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
    private void rejected(CallbackRejectedException rejection, CaseId caseId) {
        auditRejection(rejection, caseId);
        tellListeners(rejection);
    }

    /** Records a refusal in the audit trail, best effort: a trail failure must not replace the refusal. */
    private void auditRejection(CallbackRejectedException rejection, CaseId caseId) {
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

    private void tellListeners(CallbackRejectedException rejection) {
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

    private static CallbackRejectedException malformed(CallbackVerdict verdict, String problem) {
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_MALFORMED, describe(verdict) + " is signed, but "
                + problem, verdict.providerId(), verdict.nonce());
    }

    private static CallbackRejectedException replayed(CallbackVerdict verdict) {
        return new CallbackRejectedException(CoreErrorCode.CALLBACK_REPLAYED, describe(verdict)
                + ": another delivery of it was handled first; a callback is accepted once", verdict.providerId(),
                verdict.nonce());
    }

    private static String describe(CallbackVerdict verdict) {
        return "Callback " + verdict.nonce() + " from " + verdict.providerId();
    }
}
