package io.posunbind;

import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.http.UnbindHttpApi;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import java.util.List;

/**
 * The commands that open and move unbind cases, and the provider callbacks that move them, as {@link Unbinder}
 * carries them out. Each stores its change before it returns; with {@link WaitPolicy#inline()} (the default) it
 * then runs the case on the caller's thread until the case waits or ends, and returns the case as it then stands.
 * Depend on this interface where a service only drives cases (a web layer, a message consumer), and give its tests
 * a double of it; {@code Unbinder} also reads cases, runs workers and reports health.
 *
 * <p>A command checks what it is given before it changes anything: an invalid request, document, actor or note is
 * refused with {@link InvalidRequestException} naming the field. A command on a case another thread or instance is
 * running is refused with {@link CoreErrorCode#CASE_BUSY} (retryable).
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface UnbindCommands {

    /**
     * Opens a case and advances it as far as it goes without input.
     *
     * @throws InvalidRequestException when the provider lacks a capability the request needs
     * @throws PosUnbindException with {@link CoreErrorCode#TERMINAL_ALREADY_IN_CASE} when
     *         the terminal has an open case, or {@link CoreErrorCode#PROVIDER_NOT_FOUND}
     */
    CaseSnapshot open(UnbindRequest request);

    /**
     * Opens a case; {@code wait} says who runs it and whether this call waits (see {@link WaitPolicy}):
     * {@code open(request, WaitPolicy.none())} returns as soon as the case is stored, due for a worker.
     * Other commands follow {@link UnbinderBuilder#commandWait(WaitPolicy)}, or {@code Unbinder.commands(wait)}.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    CaseSnapshot open(UnbindRequest request, WaitPolicy wait);

    /** Opens a case under the caller's id (idempotently); {@code wait} says who runs it (see {@link WaitPolicy}). */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    CaseSnapshot open(CaseId caseId, UnbindRequest request, WaitPolicy wait);

    /**
     * Opens a case under an id the caller chooses, and advances it. Idempotent: the same id with the
     * same request returns the case as it stands, so a caller may safely retry after a timeout or crash.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#DUPLICATE_CASE} when the id
     *         exists with another request
     */
    CaseSnapshot open(CaseId caseId, UnbindRequest request);

    /** Adds documents (replacing earlier ones of the same kind) and advances the case. */
    CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents);

    /**
     * Records the merchant's consent to the fee quote the case shows and advances.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#CONSENT_DOES_NOT_MATCH_QUOTE}
     *         when the consent names another quote or total
     */
    CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent);

    /** Records that the merchant declines the fees; the case is cancelled before any fee is incurred. */
    CaseSnapshot declineFees(CaseId caseId, Actor actor);

    /**
     * Passes the merchant's answer to a verification challenge (for example the SMS code sent to the
     * registered phone before a settlement-account change) and advances. The answer is never stored.
     */
    CaseSnapshot answerVerification(CaseId caseId, Actor actor, String answer);

    /**
     * The platform's own reviewer approves the case (four eyes: not the requester) and it advances.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#FOUR_EYES_VIOLATION} when the
     *         reviewer requested the unbind
     */
    CaseSnapshot approveInternally(CaseId caseId, Actor reviewer, String note);

    /** The platform's own reviewer rejects the case (four eyes: not the requester); it ends REJECTED. */
    CaseSnapshot rejectInternally(CaseId caseId, Actor reviewer, String note);

    /** Records the institution's decision on the unbind application and advances. */
    CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision);

    /** Completes a pending provider operation from the provider's callback and advances. */
    CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome);

    /**
     * Acts on a callback from a provider or institution (an approval decided, an operation completed),
     * only after verifying its signature, that its timestamp lies inside the window and that its nonce
     * was not spent before, and only on a case of the provider that signed it; a decision only on the
     * case's own application. Each refusal is audited and reported to the listeners, and leaves the case
     * untouched.
     *
     * <p>A callback acts at most once. Its nonce is spent when the change it brings is committed, or when
     * it is refused for good; a retryable refusal leaves it unspent, so the sender's retry is accepted.
     *
     * <p>Answer the sender with {@link UnbindHttpApi#statusOf UnbindHttpApi.statusOf(e.errorCode())}: 400 or 401
     * for a callback refused for good, 200 for a replay (already handled, so the sender stops retrying), 503 for
     * any retryable code, {@code UNB-CLOSED} included (this instance is shutting down; the callback was not
     * verified, so a running instance accepts the retry).
     *
     * @throws CallbackRejectedException with a distinct code per reason the callback
     *         itself is refused for
     * @throws PosUnbindException with the case's code when the case cannot take it now
     *         (retryable) or at all
     */
    CaseSnapshot acceptCallback(Callback callback);

    /**
     * Acts on a notification in a provider's own format (a webhook as the provider sends it), given as the
     * raw request: the provider's {@link CallbackParser} verifies it with the provider's
     * scheme and keys (an HMAC over the notification's fields, a {@code t=…,v1=…} signature header, an RSA or
     * SM2 signature), then the configured {@link UnbinderBuilder#callbackVerifier callback verifier} checks that
     * notifications in that format are accepted from the provider
     * ({@code CallbackVerifier.Builder.nativeNotifications}), that the notification's time lies inside its
     * window and that the notification's id was not acted on before. The notification may name its case by
     * the case id or only by the provider's reference (the application reference of a decision, the reference
     * of a pending operation): the case is then found among the provider's own cases by an indexed lookup.
     * From there it is handled exactly like {@link #acceptCallback}: only on a case of that provider, a
     * decision only on the case's own application, at most once, its id spent when the change is committed or
     * the notification is refused for good (a retryable refusal leaves it unspent).
     *
     * <pre>{@code
     * // in a web layer of your own, for POST /webhooks/{provider} (UnbindHttpApi serves this route as it is)
     * RawCallback raw = new RawCallback(path, headers, bodyBytes, clock.instant());
     * try {
     *     unbinder.acceptNotification(providerId, raw);
     *     return 200;
     * } catch (PosUnbindException e) {
     *     return UnbindHttpApi.statusOf(e.errorCode());
     * }
     * }</pre>
     *
     * <p>That status is 400 for a notification out of shape ({@code UNB-CALLBACK-MALFORMED}); 401 for one whose
     * sender is not proven ({@code UNB-CALLBACK-FORGED}, {@code -UNKNOWN-SENDER}, {@code -STALE},
     * {@code -WRONG-PROVIDER}); 409 for one the case cannot take; 200 for one already handled or about no case
     * ({@code UNB-CALLBACK-REPLAYED}, {@code UNB-CALLBACK-CONCERNS-NO-CASE}: audited, nothing changed), so the
     * provider stops resending; and 503 for any retryable code, among them {@code UNB-CALLBACK-UNKNOWN-REFERENCE}
     * (the notification may have overtaken the case's commit of the reference it names), so the provider sends
     * it again while its id stays unspent. Adyen and Stripe retry anything but a 2xx; the refusal itself is
     * audited and reported to the listeners here.
     *
     * @param providerId the provider the notification claims to come from, typically from the endpoint's path
     * @param request    the request as received
     * @throws CallbackRejectedException with a distinct code per reason the notification
     *         itself is refused for
     * @throws PosUnbindException with the case's code when the case cannot take it now
     *         (retryable) or at all, or the provider verification's retryable code
     * @since 2.0
     */
    CaseSnapshot acceptNotification(String providerId, RawCallback request);

    /** Advances a case as far as it goes now. */
    CaseSnapshot advance(CaseId caseId);

    /**
     * Cancels an open or failed case, recording who and why. What a cancel means depends on how far the
     * case got, because some changes at the provider cannot be taken back by stopping:
     *
     * <table>
     *   <caption>What cancel does at each point</caption>
     *   <tr><th>where the case stands</th><th>result</th></tr>
     *   <tr><td>nothing changed at the provider yet: inventory, documents, backup, internal review, fees,
     *       the institution's decision (an application may be under review), settlement, a verification
     *       code asked for</td>
     *       <td>{@link CaseState#CANCELLED}; every step that did not finish becomes
     *       {@link StepStatus#CANCELLED}</td></tr>
     *   <tr><td>an operation is in flight: sent to the provider and its outcome not known yet (pending at
     *       the provider, a call that timed out and is being reconciled, a provider that answered "busy"
     *       and is asked before anything is sent again), or possibly sent without a trace: the stored case
     *       is running a step that changes something at the provider (an instance was inside it, perhaps
     *       one that crashed; a provider that honours idempotency keys gets no checkpoint before the call),
     *       or such a step's retry is due</td>
     *       <td>refused with {@link CoreErrorCode#CANCEL_IN_FLIGHT}; the message lists what was changed so
     *       far and which operation is in flight. The refusal is kept in the history; the case goes on,
     *       reconciles the operation under its own idempotency key, and a cancel once the operation has
     *       finished is judged again. (Refusing is safer than looking the operation up during the cancel:
     *       a lookup may miss a call still arriving at the provider.)</td></tr>
     *   <tr><td>the same in a failed (dead-lettered) case</td>
     *       <td>refused with {@link CoreErrorCode#CANCEL_NEEDS_RECONCILE}, not retryable: a failed case does
     *       not go on by itself. {@link #retry retry} it, which reconciles the operation first, then
     *       cancel</td></tr>
     *   <tr><td>something changed at the provider (a step with {@link StepKind#changesProvider()} is
     *       done: a peripheral or the terminal unbound, the terminal disabled, the replacement set up), and
     *       nothing is in flight</td>
     *       <td>{@link CaseState#CANCELLED_PARTIALLY} with {@link CoreErrorCode#CANCELLED_PARTIALLY}:
     *       {@link CaseSnapshot#changesMade()} lists what was done, {@link CaseSnapshot#notCarriedOut()}
     *       what was not; an operator must undo the changes or finish the rest by hand.
     *       {@link CaseSnapshot#describe} says so in the reader's language</td></tr>
     *   <tr><td>completed, rejected, blocked or already cancelled</td>
     *       <td>refused with {@link CoreErrorCode#COMMAND_NOT_EXPECTED}</td></tr>
     * </table>
     *
     * <p>A step that runs in this instance when the cancel arrives finishes first (the cancel waits for
     * it); one that runs in another instance makes the cancel fail with {@link CoreErrorCode#CASE_BUSY}.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#CANCEL_IN_FLIGHT},
     *         {@link CoreErrorCode#CANCEL_NEEDS_RECONCILE} or {@link CoreErrorCode#COMMAND_NOT_EXPECTED} as above
     */
    CaseSnapshot cancel(CaseId caseId, Actor actor, String reason);

    /**
     * Puts a failed (dead-lettered) case back to work at the step that failed, after an operator fixed
     * the cause; records who and why.
     */
    CaseSnapshot retry(CaseId caseId, Actor operator, String reason);
}
