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

    // Batch commands (fleet unbinds). Each names its batch as the affected resource
    // (AffectedResource.ofBatch), so trail.exportEvidence("batch:<id>") gathers a batch's commands; its
    // rows' cases have their own records. The outcome says whether the command was done or refused (the
    // detail then starts with "refused" and the code).

    /** A batch was opened (detail: rows, providers, start window, time zone, cap), or opening it was refused. */
    public static final String BATCH_OPEN = "BATCH_OPEN";
    /** A batch was paused, or pausing it was refused. */
    public static final String BATCH_PAUSE = "BATCH_PAUSE";
    /** A batch was resumed, or resuming it was refused. */
    public static final String BATCH_RESUME = "BATCH_RESUME";
    /**
     * A batch was cancelled (detail: rows ended before their start, cases cancelled, the cases it could not
     * cancel with their codes, the reason), or cancelling it was refused.
     */
    public static final String BATCH_CANCEL = "BATCH_CANCEL";

    private AuditEventTypes() {
    }
}
