package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.VerificationDemand;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The merchants' side of verification in a {@link SandboxBackend}, taken from
 * {@link SandboxBackend#verifications()}: their registered phones, the verifications the acquirer demands
 * before their operations, and, standing for the merchant's phone, the codes it sent. Verification
 * demands and challenges are not kept across a restart of a persistent backend.
 *
 * <p>Thread-safe: every method runs under the backend's lock. Methods throw
 * {@link IllegalArgumentException} for a merchant that was never added.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxVerifications {

    private final SandboxBackend backend;
    private final WorldState world;

    SandboxVerifications(SandboxBackend backend, WorldState world) {
        this.backend = backend;
        this.world = world;
    }

    /** Registers the merchant's mobile phone with the acquirer; SMS codes are sent to it. */
    public SandboxVerifications setRegisteredPhone(String merchantNumber, PhoneNumber phone) {
        Objects.requireNonNull(phone, "phone");
        return change(() -> world.seededMerchant(merchantNumber).registeredPhone = Optional.of(phone));
    }

    /**
     * Makes operations of the merchant wait for a verification, as acquirers demand an SMS code before a
     * settlement-account change. The verification adapter then reports the demand for those kinds, and
     * the sandbox refuses each such operation with {@code NOT_AUTHORIZED} (provider code
     * {@code SBX-VERIFICATION-REQUIRED}) unless the merchant answered a challenge of the demanded
     * method rightly, within the challenge's validity, and no operation used that answer yet. One
     * verified challenge authorises one operation, which must come within {@code demand.validFor()} of the
     * verification; the challenge is spent only when the operation takes effect. Operations on a
     * terminal need the verification of the merchants the terminal is bound to. Calling again for a kind
     * replaces its demand. None is demanded by default.
     *
     * <pre>{@code
     * backend.verifications().setRegisteredPhone(merchant, PhoneNumber.of("13800138000"))
     *        .requireVerification(merchant, new VerificationDemand(Method.SMS_CODE, 3, Duration.ofMinutes(5)),
     *                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
     * }</pre>
     *
     * @param kinds at least one; {@link OperationKind#ISSUE_VERIFICATION} cannot be guarded by itself
     */
    public SandboxVerifications requireVerification(String merchantNumber, VerificationDemand demand,
            OperationKind... kinds) {
        Objects.requireNonNull(demand, "demand");
        List<OperationKind> guarded = List.of(Objects.requireNonNull(kinds, "kinds"));
        if (guarded.isEmpty()) {
            throw new IllegalArgumentException("Name at least one operation kind that needs the verification");
        }
        if (guarded.contains(OperationKind.ISSUE_VERIFICATION)) {
            throw new IllegalArgumentException("Issuing a challenge cannot itself wait for a challenge");
        }
        return change(() -> guarded.forEach(kind -> world.seededMerchant(merchantNumber).verificationDemands
                .put(kind, demand)));
    }

    /**
     * The answer to the challenge last issued to the merchant (the SMS code, or the deposit amount such as
     * {@code "0.37"}), whatever became of it since; empty when none was issued. <b>Test only</b>: this
     * stands for the merchant reading the SMS or the bank statement. The sandbox never logs the code, and
     * nothing else reveals it.
     */
    public Optional<String> lastChallengeCode(String merchantNumber) {
        return backend.inspect(() -> {
            List<VerificationChallenge> issued = world.seededMerchant(merchantNumber).challenges;
            return issued.isEmpty() ? Optional.<String>empty() : Optional.of(issued.get(issued.size() - 1).code());
        });
    }

    private SandboxVerifications change(Runnable change) {
        backend.change(change);
        return this;
    }
}
