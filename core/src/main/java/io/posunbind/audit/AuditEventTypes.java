package io.posunbind.audit;

import io.posunbind.spi.API;

/**
 * The event type codes posunbind itself records. An event type is any code of upper case letters, digits
 * and {@code _} (at most 64); applications may add their own, and these never change meaning once
 * released.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AuditEventTypes {

    /** An unbind case was opened. */
    public static final String CASE_OPENED = "CASE_OPENED";
    /** A command was issued on a case: documents, consent, a decision, a cancellation. */
    public static final String COMMAND = "COMMAND";
    /** A step of a case started or resumed. */
    public static final String STEP_STARTED = "STEP_STARTED";
    /** A step of a case finished (its outcome says whether it succeeded). */
    public static final String STEP_DONE = "STEP_DONE";
    /** A case waits for something: documents, consent, the institution, a provider, settlement. */
    public static final String CASE_WAITING = "CASE_WAITING";
    /** A case reached an end state. */
    public static final String CASE_FINISHED = "CASE_FINISHED";
    /** A call to a payment provider's API. */
    public static final String PROVIDER_CALL = "PROVIDER_CALL";
    /** A callback from a provider or institution was acted on. */
    public static final String CALLBACK_ACCEPTED = "CALLBACK_ACCEPTED";
    /**
     * A callback from a provider or institution was rejected: forged, stale, replayed, malformed, from
     * another provider than the case's, or for another application.
     */
    public static final String CALLBACK_REJECTED = "CALLBACK_REJECTED";
    /** A case's evidence bundle was exported. */
    public static final String EVIDENCE_EXPORTED = "EVIDENCE_EXPORTED";

    private AuditEventTypes() {
    }
}
