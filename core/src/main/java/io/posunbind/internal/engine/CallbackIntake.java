package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.CallbackReceipts.describe;
import static io.posunbind.internal.engine.CallbackReceipts.malformed;
import static io.posunbind.internal.engine.CallbackReceipts.replayed;
import static io.posunbind.internal.engine.CallbackReceipts.shown;
import static io.posunbind.internal.engine.CallbackReceipts.spendForGood;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.audit.AuditTrail;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerdict;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindListener;
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
    private final CallbackReceipts receipts;

    CallbackIntake(CaseRunner runner, CaseCommands commands, CaseBook book, ProviderRegistry providers,
            List<UnbindListener> listeners, AuditTrail audit) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.book = Objects.requireNonNull(book, "book");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.receipts = new CallbackReceipts(listeners, audit);
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
            receipts.rejected(e, null);
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
            receipts.rejected(e, null);
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
            throw receipts.acknowledged(verifier, verdict, unrelated);
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
                throw receipts.refusedForGood(verifier, verdict, caseId,
                        malformed(verdict, "its decision is not valid (" + e.errorCode().code() + ")"));
            }
        }
        boolean[] committed = {false};
        Runnable afterCommit = () -> {
            committed[0] = true;
            receipts.spendAfterActing(verifier, verdict, caseId, signedBy);
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
            throw receipts.refusedForGood(verifier, verdict, caseId, e);
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
                receipts.rejected(replay, caseId);
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
                throw receipts.refusedForGood(verifier, verdict, null, malformed(verdict, "it names no valid case id"));
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
            receipts.rejected(unknown, null);
            throw unknown;
        }
        if (cases.size() > 1) {
            throw receipts.refusedForGood(verifier, verdict, null, new CallbackRejectedException(
                    CoreErrorCode.CALLBACK_AMBIGUOUS_REFERENCE, describe(verdict) + " names no case id, and "
                    + cases.size() + " open cases of " + verdict.providerId() + " wait for its reference "
                    + shown(reference) + "; it cannot tell them apart", verdict.providerId(), verdict.nonce()));
        }
        return CaseId.of(cases.get(0));
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
            throw receipts.refusedForGood(verifier, verdict, null, malformed(verdict, "its body cannot be read ("
                    + e.errorCode().code() + ")"));
        } catch (RuntimeException e) {
            // Signed but unreadable: the sender's fault, and sending the same bytes again cannot help.
            throw receipts.refusedForGood(verifier, verdict, null, malformed(verdict, "its body cannot be read ("
                    + e.getClass().getSimpleName() + ")"));
        }
        if (parsed == null) {
            throw receipts.refusedForGood(verifier, verdict, null, malformed(verdict,
                    "its body says nothing about a case"));
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
}
