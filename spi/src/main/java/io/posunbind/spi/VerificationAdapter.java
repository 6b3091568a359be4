package io.posunbind.spi;

import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.util.Optional;

/**
 * Challenges the merchant before an operation the provider guards, such as an SMS code sent to the
 * merchant's registered phone before a settlement-account change, or an own-account check. The
 * engine asks which operations need a challenge, issues it, waits for the merchant's answer, limits
 * attempts and lets challenges expire. Optional. Thread-safe.
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface VerificationAdapter extends OperationLookup {

    /**
     * Whether an operation needs a challenge first, and what kind.
     *
     * @param kind           the operation about to be sent
     * @param merchantNumber the merchant
     * @return the demand, or empty when the operation needs none
     */
    Optional<VerificationDemand> demandFor(OperationKind kind, String merchantNumber);

    /**
     * Issues a challenge (sends the SMS code). {@link OperationOutcome.Done#providerReference()} is the
     * challenge id; its attributes may carry {@code "destination"} (already masked, such as
     * {@code 138****5678}).
     */
    OperationOutcome issueChallenge(OperationContext context, String merchantNumber, VerificationDemand demand);

    /**
     * Checks the merchant's answer to a challenge. Never logs or stores the answer.
     *
     * @param challengeId the challenge
     * @param answer      what the merchant entered
     */
    VerificationResult checkAnswer(String challengeId, String answer);
}
