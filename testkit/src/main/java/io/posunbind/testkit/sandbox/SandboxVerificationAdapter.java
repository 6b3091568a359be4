package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.merchantNotFound;
import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's verification desk. It demands what {@link SandboxVerifications#requireVerification} set up,
 * sends a six-digit SMS code to the merchant's registered phone ({@link VerificationDemand.Method#SMS_CODE})
 * or a deposit of 0.01 to 0.99 yuan to its settlement account ({@link VerificationDemand.Method#OWN_ACCOUNT_CHECK},
 * 小额打款验证, answered with the amount such as {@code "0.37"}), and checks the answers: the right one
 * once ({@code VERIFIED}), wrong ones until the attempts run out ({@code WRONG_ANSWER}, then
 * {@code LOCKED}), nothing after the challenge's validity on the backend clock ({@code EXPIRED}). A
 * verified, used or superseded challenge answers {@code EXPIRED}: a new one must be issued.
 *
 * <p>Issuing is a mutating request like any other (idempotency key, replay, lookup, faults); checking an
 * answer counts as a read for {@link SandboxFaults#failNextReads}. Neither codes nor answers are logged.
 * Thread-safe through the backend's lock.
 */
final class SandboxVerificationAdapter implements VerificationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxVerificationAdapter.class);

    private final AdapterGateway acquirer;

    SandboxVerificationAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public Optional<VerificationDemand> demandFor(OperationKind kind, String merchantNumber) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        return acquirer.read("demandFor", () -> acquirer.world().verificationDemand(requireMerchant(merchantNumber), kind));
    }

    @Override
    public OperationOutcome issueChallenge(OperationContext context, String merchantNumber, VerificationDemand demand) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(demand, "demand");
        return acquirer.execute(context, OperationKind.ISSUE_VERIFICATION, List.of(merchantNumber, demand), record -> {
            Optional<MerchantState> found = acquirer.world().merchantState(merchantNumber);
            if (found.isEmpty()) {
                return merchantNotFound(merchantNumber);
            }
            MerchantState merchant = found.get();
            String destination;
            if (demand.method() == VerificationDemand.Method.SMS_CODE) {
                if (merchant.registeredPhone.isEmpty()) {
                    return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-PHONE-NOT-REGISTERED",
                            "Merchant " + merchantNumber + " has no mobile phone registered for SMS codes;"
                                    + " register one at the acquirer first");
                }
                destination = merchant.registeredPhone.get().masked();
            } else {
                if (merchant.account.isEmpty()) {
                    return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-ACCOUNT-NOT-BOUND",
                            "Merchant " + merchantNumber + " has no settlement account to send a check deposit to");
                }
                destination = merchant.account.get().number().masked();
            }
            String challengeId = acquirer.nextReference("SBX-VRF");
            acquirer.world().issueChallenge(challengeId, merchant, demand);
            return acquirer.done(record, challengeId, Map.of("destination", destination,
                    "method", demand.method().name()));
        });
    }

    @Override
    public VerificationResult checkAnswer(String challengeId, String answer) {
        Objects.requireNonNull(challengeId, "challengeId");
        Objects.requireNonNull(answer, "answer");
        return acquirer.read("checkAnswer", () -> {
            VerificationChallenge challenge = acquirer.world().challenge(challengeId).orElseThrow(() -> new ProviderException(
                    StandardErrorCode.INVALID_REQUEST, "SBX-CHALLENGE-NOT-FOUND",
                    "No challenge " + challengeId + " was issued by the sandbox; issue one first"));
            VerificationResult result = challenge.check(answer, acquirer.now());
            // The answer is never logged, right or wrong: a wrong one is often a near miss of the code.
            LOG.debug("sandbox checkAnswer {}: {}, {} attempt(s) left", challengeId, result, challenge.attemptsLeft);
            return result;
        });
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return acquirer.lookup(reference);
    }

    private MerchantState requireMerchant(String merchantNumber) {
        return acquirer.world().merchantState(merchantNumber).orElseThrow(() -> new ProviderException(
                StandardErrorCode.MERCHANT_NOT_FOUND, "SBX-MERCHANT-NOT-FOUND",
                "Merchant " + merchantNumber + " is unknown to the sandbox; check the merchant number"));
    }
}
