package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The bank's or payment institution's answer to an unbind application (解绑申请).
 *
 * @param outcome             approved, rejected, or more information needed
 * @param applicationReference the institution's reference of the application
 * @param reasonCode          the institution's code for a rejection or request, empty when approved
 * @param message             the institution's words
 * @param requestedDocuments  what the institution asks for when it needs more information
 * @param decidedAt           when it decided
 */
@API(status = API.Status.STABLE, since = "2.0")
public record InstitutionDecision(Outcome outcome, String applicationReference, String reasonCode, String message,
        List<DocumentKind> requestedDocuments, Instant decidedAt) {

    /** The three answers an institution gives. */
    public enum Outcome {
        /** The unbind may go ahead. */
        APPROVED,
        /** The unbind is refused. */
        REJECTED,
        /** The institution needs more documents before it decides. */
        MORE_INFORMATION_REQUIRED
    }

    /** Checks and copies the fields. */
    public InstitutionDecision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(applicationReference, "applicationReference");
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(message, "message");
        requestedDocuments = List.copyOf(requestedDocuments);
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /** An approval. */
    public static InstitutionDecision approved(String applicationReference, Instant decidedAt) {
        return new InstitutionDecision(Outcome.APPROVED, applicationReference, "", "approved", List.of(), decidedAt);
    }

    /** A rejection with the institution's code and words. */
    public static InstitutionDecision rejected(String applicationReference, String reasonCode, String message,
            Instant decidedAt) {
        return new InstitutionDecision(Outcome.REJECTED, applicationReference, reasonCode, message, List.of(),
                decidedAt);
    }
}
