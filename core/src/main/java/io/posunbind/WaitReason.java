package io.posunbind;

import io.posunbind.spi.API;

/** What a waiting case waits for. */
@API(status = API.Status.STABLE, since = "0.1")
public enum WaitReason {
    /** Documents are missing or invalid; submit them with {@link Unbinder#submitDocuments}. */
    DOCUMENTS,
    /** The platform's own reviewer must approve with {@link Unbinder#approveInternally}; not the requester. */
    INTERNAL_REVIEW,
    /** The merchant must consent to the fee quote with {@link Unbinder#consentToFees}. */
    FEE_CONSENT,
    /** The institution's decision: arrives by polling, or record it with {@link Unbinder#recordDecision}. */
    INSTITUTION_DECISION,
    /** The merchant must answer a verification challenge (an SMS code) with {@link Unbinder#answerVerification}. */
    VERIFICATION,
    /** Funds are unsettled or transactions in flight; the engine checks again later. */
    SETTLEMENT,
    /** A provider operation is pending; the engine polls it or a callback completes it. */
    PROVIDER_OPERATION,
    /** A provider operation failed transiently or its outcome is unknown; the engine retries later. */
    RETRY
}
