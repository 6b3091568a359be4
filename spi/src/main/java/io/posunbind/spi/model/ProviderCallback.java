package io.posunbind.spi.model;

import io.posunbind.spi.API;
import io.posunbind.spi.OperationOutcome;
import java.util.Objects;

/** What a verified callback says about a case: an institution's decision, or a finished operation. */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public sealed interface ProviderCallback {

    /** The engine's case id, which the engine sent with the operation or application. */
    String caseId();

    /**
     * The institution decided on an unbind application.
     *
     * @param caseId   the case
     * @param decision the decision
     */
    record Decision(String caseId, InstitutionDecision decision) implements ProviderCallback {
        /** Checks the fields. */
        public Decision {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * A pending operation finished.
     *
     * @param caseId            the case
     * @param providerReference the reference the provider gave when it answered pending
     * @param outcome           how it finished
     */
    record OperationFinished(String caseId, String providerReference, OperationOutcome outcome)
            implements ProviderCallback {
        /** Checks the fields. */
        public OperationFinished {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(providerReference, "providerReference");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
