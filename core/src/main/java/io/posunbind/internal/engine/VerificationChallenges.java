package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.OutcomeTexts.describe;
import static io.posunbind.internal.engine.OutcomeTexts.failureCode;
import static io.posunbind.internal.engine.OutcomeTexts.failureText;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.internal.engine.ProviderOperations.ProviderCallObserver;
import io.posunbind.internal.limits.CallDeferred;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's verification challenge (an SMS code) in front of a guarded operation: issued under its own
 * idempotency key, looked up before it is sent again, answered by the merchant through a command.
 * Thread-safe: it keeps no state.
 */
final class VerificationChallenges {

    /** How many challenges a step may issue before the case fails: an SMS is not free and may be abused. */
    private static final int MAX_CHALLENGES = 3;

    private final Clock clock;
    private final Retries retries;
    private final ProviderCallObserver calls;

    VerificationChallenges(Clock clock, Retries retries, ProviderCallObserver calls) {
        this.clock = clock;
        this.retries = retries;
        this.calls = calls;
    }

    /**
     * Makes sure the merchant answered the provider's challenge before a guarded operation is sent.
     *
     * @return how the step goes on while verification is outstanding; empty when the operation may be sent
     */
    Optional<StepResult> required(CaseDocument document, StepRecord step, PaymentProvider provider,
            OperationKind kind, Checkpoint checkpoint) {
        if (step.verified || provider.verificationAdapter().isEmpty()) {
            return Optional.empty();
        }
        VerificationAdapter adapter = provider.verificationAdapter().get();
        String merchant = document.request.merchantNumber();
        Optional<VerificationDemand> demand = adapter.demandFor(kind, merchant);
        if (demand.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (step.challengeId != null) {
            String answer = step.deliveredAnswer;
            step.deliveredAnswer = null;
            if (answer != null) {
                VerificationResult verdict = adapter.checkAnswer(step.challengeId, answer);
                switch (verdict) {
                    case VERIFIED -> {
                        step.verified = true;
                        document.violations.clear();
                        return Optional.empty();
                    }
                    case WRONG_ANSWER -> {
                        document.violations = new ArrayList<>(List.of(RuleViolation.of(RuleCode.VERIFICATION_FAILED,
                                "verification", "The code is wrong; try again")));
                        return Optional.of(new StepResult.Wait(WaitReason.VERIFICATION, step.challengeExpiresAt,
                                "wrong answer to the challenge sent to " + step.challengeDestination));
                    }
                    default -> step.challengeId = null; // expired or locked: a new challenge follows
                }
            } else if (now.isBefore(step.challengeExpiresAt)) {
                return Optional.of(new StepResult.Wait(WaitReason.VERIFICATION, step.challengeExpiresAt,
                        "answer the challenge sent to " + step.challengeDestination));
            } else {
                step.challengeId = null;
            }
        }
        if (step.challengesIssued >= MAX_CHALLENGES) {
            return Optional.of(new StepResult.Stop(CaseState.FAILED, RuleCode.VERIFICATION_FAILED.code(),
                    "The merchant did not pass " + MAX_CHALLENGES + " verification challenges for " + kind));
        }
        IdempotencyKey key = new IdempotencyKey(document.id + "." + step.number + "." + step.round + ".v"
                + (step.challengesIssued + 1));
        OperationTarget target = OperationTarget.merchant(merchant);
        Map<String, String> arguments = Map.of("method", demand.get().method().toString());
        OperationOutcome issued = null;
        // The same rules as every other operation (see operate and send): an SMS is an effect the merchant
        // sees twice if it is sent twice, so an earlier sending whose outcome is unknown, or one older than
        // the provider's key retention, is looked up before the key is sent again.
        if (step.challengeOutcomeUnknown || challengeKeyOutlived(step, provider)) {
            Optional<OperationOutcome> known;
            try {
                known = adapter.lookup(challengeSent(step, key, target, arguments));
                step.lookupFailures = 0;
            } catch (CallDeferred deferred) {
                throw deferred; // not a failure: the lookup was not made
            } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
                step.lookupFailures++;
                if (step.lookupFailures >= retries.maxAttempts()) {
                    return Optional.of(new StepResult.Stop(CaseState.FAILED, CoreErrorCode.RETRIES_EXHAUSTED.code(),
                            "Looking up the verification challenge failed " + step.lookupFailures + " times: "
                                    + failureText(e)));
                }
                return Optional.of(retries.waitRetry(step, step.lookupFailures, null, failureCode(e),
                        "lookup of the verification challenge failed: " + failureText(e)));
            }
            issued = known.orElse(null);
        }
        if (issued == null) {
            issued = issueChallenge(document, step, provider, adapter, key, target, arguments, demand.get(),
                    checkpoint);
        }
        // A pending challenge may yet reach the merchant: looked up like an unknown one, never sent blindly.
        step.challengeOutcomeUnknown = issued instanceof OperationOutcome.Unknown
                || issued instanceof OperationOutcome.Pending;
        if (!step.challengeOutcomeUnknown && !(issued instanceof OperationOutcome.RetryableFailure)) {
            // Settled: the next challenge, if any, is a new request under a new key.
            step.challengeAttempts = 0;
            step.challengeFirstSentAt = null;
            step.challengeNote = null;
        }
        if (issued instanceof OperationOutcome.Done done) {
            step.challengesIssued++;
            step.challengeId = done.providerReference();
            step.challengeExpiresAt = now.plus(demand.get().validFor());
            step.challengeDestination = done.attributes().getOrDefault("destination", "the registered phone");
            document.violations = new ArrayList<>();
            return Optional.of(new StepResult.Wait(WaitReason.VERIFICATION, step.challengeExpiresAt,
                    demand.get().method() + " challenge sent to " + step.challengeDestination));
        }
        if (issued instanceof OperationOutcome.NotApplicable) {
            // The provider has no challenge for this merchant after all: nothing to answer.
            step.verified = true;
            return Optional.empty();
        }
        if (issued instanceof OperationOutcome.Rejected rejected) {
            return Optional.of(new StepResult.Stop(CaseState.FAILED, rejected.code().code(),
                    "The provider refused to issue a verification challenge: " + rejected.message()));
        }
        // Not sent, or unknown: the same key again later, after a lookup when the outcome is unknown or the
        // provider's key retention has passed.
        String code = issued instanceof OperationOutcome.RetryableFailure failure ? failure.providerCode() : "UNKNOWN";
        return Optional.of(retries.waitRetry(step, Math.max(1, step.challengesIssued + 1), null, code,
                "verification challenge not issued yet: " + describe(issued)));
    }

    /** Sends the challenge under its key, with the write-ahead save and the adapter's note as in {@link ProviderOperations}. */
    private OperationOutcome issueChallenge(CaseDocument document, StepRecord step, PaymentProvider provider,
            VerificationAdapter adapter, IdempotencyKey key, OperationTarget target,
            Map<String, String> arguments, VerificationDemand demand, Checkpoint checkpoint) {
        if (step.challengeFirstSentAt == null) {
            Instant now = clock.instant();
            Optional<String> note = adapter.prepare(SentOperation.of(key, OperationKind.ISSUE_VERIFICATION, target,
                    arguments, now));
            if (note.isPresent() && note.get().length() > SentOperation.MAX_NOTE_LENGTH) {
                throw new AdapterGuard.AdapterFailure("The adapter's note for " + OperationKind.ISSUE_VERIFICATION
                        + " has " + note.get().length() + " characters; at most " + SentOperation.MAX_NOTE_LENGTH
                        + " are stored", null);
            }
            step.challengeFirstSentAt = now;
            step.challengeNote = note.orElse(null);
        }
        step.challengeAttempts++;
        step.challengeOutcomeUnknown = true;
        // Write-ahead, as for every operation: after a crash the challenge is looked up, never sent blindly.
        checkpoint.beforeSending(!provider.honoursIdempotencyKeys() || provider.idempotencyKeyRetention().isPresent()
                || step.challengeNote != null);
        OperationOutcome issued;
        try {
            issued = adapter.issueChallenge(new OperationContext(challengeSent(step, key, target, arguments),
                    document.id, step.challengeAttempts, document.request.locale(), ProviderOperations.CALL_BUDGET),
                    document.request.merchantNumber(), demand);
            if (issued == null) {
                issued = OperationOutcome.unknown("the adapter answered null");
            }
        } catch (CallDeferred deferred) {
            // Not sent; the challenge counts as unknown until looked up, which is safe if not frugal.
            throw deferred;
        } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
            issued = OperationOutcome.unknown(failureText(e));
        }
        calls.called(document, OperationKind.ISSUE_VERIFICATION, key.value(), step.challengeAttempts,
                describe(issued), issued instanceof OperationOutcome.Done);
        return issued;
    }

    /** The challenge as persisted with the step, for the adapter's lookup and call. */
    private SentOperation challengeSent(StepRecord step, IdempotencyKey key, OperationTarget target,
            Map<String, String> arguments) {
        Instant firstSentAt = step.challengeFirstSentAt != null ? step.challengeFirstSentAt : clock.instant();
        return new SentOperation(key, OperationKind.ISSUE_VERIFICATION, target, arguments, firstSentAt,
                Optional.empty(), Optional.ofNullable(step.challengeNote));
    }

    /** Like the operation's key check, for the step's current verification challenge. */
    private boolean challengeKeyOutlived(StepRecord step, PaymentProvider provider) {
        Optional<Duration> retention = provider.idempotencyKeyRetention();
        return step.challengeAttempts > 0 && step.challengeFirstSentAt != null && retention.isPresent()
                && !clock.instant().isBefore(step.challengeFirstSentAt.plus(retention.get()));
    }
}
