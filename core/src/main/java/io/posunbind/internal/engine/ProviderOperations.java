package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.OutcomeTexts.describe;
import static io.posunbind.internal.engine.OutcomeTexts.failureCode;
import static io.posunbind.internal.engine.OutcomeTexts.failureText;
import static io.posunbind.internal.engine.OutcomeTexts.requestIdText;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.internal.limits.CallDeferred;
import io.posunbind.internal.plan.Planner;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.LocalizedText;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationLookup;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends, reconciles or polls one provider operation for a step: the same idempotency key on every attempt,
 * reconciliation through {@link OperationLookup} when an earlier outcome is unknown, polling of pending
 * operations, back-off for transient failures (see {@link Retries}). Thread-safe: it keeps no state.
 */
final class ProviderOperations {

    /**
     * How long one provider call may take, told to the adapter as its time budget: the case's lease is
     * renewed meanwhile, but the case (and a worker thread) waits on the call, so an adapter should rather
     * answer {@code Unknown} and let a lookup find the outcome later.
     */
    static final Duration CALL_BUDGET = Duration.ofSeconds(30);

    private final Clock clock;
    private final Duration pollInterval;
    private final Retries retries;
    private final ProviderCallObserver calls;
    private final VerificationChallenges verification;

    /** Told of every call that may change something at the provider, with its result, for the audit trail. */
    @FunctionalInterface
    interface ProviderCallObserver {
        void called(CaseDocument document, OperationKind kind, String key, int attempt, String result,
                boolean succeeded);
    }

    ProviderOperations(Clock clock, Duration pollInterval, Retries retries, ProviderCallObserver calls) {
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.retries = retries;
        this.calls = calls;
        this.verification = new VerificationChallenges(clock, retries, calls);
    }

    /**
     * The result of {@link #operate}: either the operation is complete with the provider's reference
     * ({@code result} null), or {@code result} says how the step goes on (wait, retry, stop).
     */
    record Operation(String providerReference, StepResult result) {
        StepResult orDone(String detail) {
            return result != null ? result : new StepResult.Done(detail + " (ref " + providerReference + ")");
        }
    }

    /**
     * Sends, reconciles or polls one provider operation.
     *
     * @param acceptedIsEnough whether a pending answer completes the operation (an application is
     *                         submitted once the institution accepts it; its decision comes separately)
     * @param target           what the operation acts on, from the stored case
     * @param arguments        its other arguments, from the stored case (see {@link SentOperation})
     */
    Operation operate(CaseDocument document, StepRecord step, PaymentProvider provider,
            OperationLookup lookup, OperationKind kind, Checkpoint checkpoint, boolean acceptedIsEnough,
            OperationTarget target, Map<String, String> arguments, Function<OperationContext, OperationOutcome> call) {
        IdempotencyKey key = operationKey(document, step);
        if (step.sentKey != null && !step.sentKey.equals(key.value())) {
            // A new request under a new key: what was noted about the old one no longer applies.
            step.sentKey = null;
            step.firstSentAt = null;
            step.adapterNote = null;
        }
        OperationOutcome outcome = null;
        if (step.deliveredOutcome != null) {
            outcome = step.deliveredOutcome;
            step.deliveredOutcome = null;
        } else if (step.pending || step.outcomeUnknown || step.lookUpBeforeResend || keyOutlived(step, provider)) {
            // Ask before sending again: the earlier call may have taken effect, and past the provider's key
            // retention sending again under the same key is no longer safe without asking.
            Optional<OperationOutcome> known;
            try {
                known = lookup.lookup(sentOperation(step, key, kind, target, arguments));
                step.lookupFailures = 0;
            } catch (CallDeferred deferred) {
                throw deferred; // not a failure: the lookup was not made
            } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
                step.lookupFailures++;
                String failure = failureText(e);
                if (step.lookupFailures >= retries.maxAttempts()) {
                    return new Operation(null, new StepResult.Stop(CaseState.FAILED,
                            CoreErrorCode.RETRIES_EXHAUSTED.code(), "Looking up " + kind + " failed "
                                    + step.lookupFailures + " times: " + failure));
                }
                return new Operation(null, retries.waitRetry(step, step.lookupFailures, null, failureCode(e),
                        "lookup failed: " + failure));
            }
            if (known.isPresent()) {
                outcome = known.get();
            }
            if (step.lookUpBeforeResend && outcome instanceof OperationOutcome.Rejected rejected
                    && rejected.code().retryable()) {
                // The lookup confirms the refusal "for now": nothing took effect, so sending again is safe.
                outcome = null;
            }
            step.lookUpBeforeResend = false;
        }
        if (outcome == null) {
            Optional<StepResult> challenge = verification.required(document, step, provider, kind, checkpoint);
            if (challenge.isPresent()) {
                return new Operation(null, challenge.get());
            }
            outcome = send(document, step, provider, lookup, kind, key, target, arguments, checkpoint, call);
        }
        return handle(step, kind, key, outcome, acceptedIsEnough);
    }

    /** The key of the step's operation: {@code <caseId>.<step>.<round>}, as documented on the SPI. */
    static IdempotencyKey operationKey(CaseDocument document, StepRecord step) {
        return new IdempotencyKey(document.id + "." + step.number + "." + step.round);
    }

    /**
     * Whether the step's operation was sent under its key longer ago than the provider remembers keys:
     * then the provider's de-duplication no longer protects a second sending.
     */
    private boolean keyOutlived(StepRecord step, PaymentProvider provider) {
        Optional<Duration> retention = provider.idempotencyKeyRetention();
        return step.attempts > 0 && step.firstSentAt != null && retention.isPresent()
                && !clock.instant().isBefore(step.firstSentAt.plus(retention.get()));
    }

    /** The operation as persisted with the step, for the adapter's lookup and call. */
    private SentOperation sentOperation(StepRecord step, IdempotencyKey key, OperationKind kind,
            OperationTarget target, Map<String, String> arguments) {
        Instant firstSentAt = step.firstSentAt != null ? step.firstSentAt : clock.instant();
        return new SentOperation(key, kind, target, arguments, firstSentAt, Optional.ofNullable(step.providerReference),
                Optional.ofNullable(step.adapterNote));
    }

    private OperationOutcome send(CaseDocument document, StepRecord step, PaymentProvider provider,
            OperationLookup lookup, OperationKind kind, IdempotencyKey key, OperationTarget target,
            Map<String, String> arguments, Checkpoint checkpoint, Function<OperationContext, OperationOutcome> call) {
        if (step.firstSentAt == null) {
            // The first sending under this key: the adapter may note what its lookup will need. A failure
            // here sends nothing (the step retries later).
            Instant now = clock.instant();
            Optional<String> note = lookup.prepare(SentOperation.of(key, kind, target, arguments, now));
            if (note.isPresent() && note.get().length() > SentOperation.MAX_NOTE_LENGTH) {
                throw new AdapterGuard.AdapterFailure("The adapter's note for " + kind + " has " + note.get().length()
                        + " characters; at most " + SentOperation.MAX_NOTE_LENGTH + " are stored", null);
            }
            step.sentKey = key.value();
            step.firstSentAt = now;
            step.adapterNote = note.orElse(null);
        }
        Unsent unsent = new Unsent(step);
        step.attempts++;
        step.outcomeUnknown = true;
        step.pending = false;
        step.lookUpBeforeResend = false;
        step.operatorNote = null;
        // Store the "sent, outcome unknown" mark with what a lookup needs first (write-ahead) when the provider
        // may not recognise the key: after a crash we must look up, not resend; and the adapter's note must be
        // stored before the call it describes. The runner also stores here what earlier steps did in memory.
        checkpoint.beforeSending(!provider.honoursIdempotencyKeys() || provider.idempotencyKeyRetention().isPresent()
                || step.adapterNote != null);
        OperationContext context = new OperationContext(sentOperation(step, key, kind, target, arguments), document.id,
                step.attempts, document.request.locale(), CALL_BUDGET);
        OperationOutcome outcome;
        try {
            outcome = call.apply(context);
            if (outcome == null) {
                outcome = OperationOutcome.unknown("the adapter answered null");
            }
        } catch (CallDeferred deferred) {
            // The provider's limits let nothing through: the call was not made, so the step is as before it
            // (what a checkpoint stored meanwhile is overwritten when the case is stored next).
            unsent.restore(step);
            throw deferred;
        } catch (AdapterGuard.AdapterFailure | PosUnbindException e) {
            // Whatever went wrong in the adapter, we do not know whether it took effect: reconcile, never
            // assume. (An engine fault here propagates: the step is marked outcome-unknown already.)
            outcome = OperationOutcome.unknown(failureText(e));
        }
        calls.called(document, kind, key.value(), step.attempts, describe(outcome),
                outcome instanceof OperationOutcome.Done || outcome instanceof OperationOutcome.Pending
                        || outcome instanceof OperationOutcome.NotApplicable);
        return outcome;
    }

    private Operation handle(StepRecord step, OperationKind kind, IdempotencyKey key, OperationOutcome outcome,
            boolean acceptedIsEnough) {
        Instant now = clock.instant();
        if (outcome instanceof OperationOutcome.Done done) {
            settle(step, done.providerReference());
            return new Operation(done.providerReference(), null);
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            // A provider that gave no reference (an empty 200) is correlated by the key: it is the reference.
            String reference = pending.providerReference().orElse(step.providerReference);
            if (acceptedIsEnough) {
                settle(step, reference != null ? reference : key.value());
                return new Operation(step.providerReference, null);
            }
            step.outcomeUnknown = false;
            step.pending = true;
            step.providerReference = reference;
            step.operatorNote = pending.operatorNote().orElse(null);
            Duration wait = pending.pollAfter().isZero() ? pollInterval : pending.pollAfter();
            return new Operation(null, new StepResult.Wait(WaitReason.PROVIDER_OPERATION, now.plus(wait),
                    kind + " pending at the provider " + (reference != null ? "as " + reference : "under key " + key)
                            + pending.operatorNote().map(note -> ": " + note.english()).orElse("")));
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable && !Planner.skippable(kind)) {
            // The operation undoes a binding, binds, sets up or tests: without it the case could only pretend
            // to be done (a terminal still bound on a completed case), so the case stops for an operator.
            settle(step, null);
            step.lastCode = StandardErrorCode.UNSUPPORTED_OPERATION.code();
            step.lastMessage = DetailScrubber.scrub(notApplicable.reason());
            return new Operation(null, new StepResult.Stop(CaseState.FAILED, StandardErrorCode.UNSUPPORTED_OPERATION
                    .code(), "The provider answered " + kind + " as not applicable (" + notApplicable.reason() + "),"
                    + " but the case cannot be completed without it: nothing is skipped that undoes a binding, binds,"
                    + " sets up or tests. Carry it out at the provider, then cancel the case or retry it as an"
                    + " operator"));
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable) {
            // Nothing took effect and nothing will: the step is skipped and the case goes on.
            settle(step, null);
            return new Operation(null, new StepResult.Skipped(CoreErrorCode.OPERATION_NOT_APPLICABLE.code(),
                    notApplicable.reason()));
        }
        if (outcome instanceof OperationOutcome.Rejected rejected && rejected.code().retryable()) {
            // A refusal "for now" (funds unsettled, provider busy): the same key will do later, but only
            // after a lookup: a provider that says "busy" may still have acted on the request.
            step.outcomeUnknown = false;
            step.pending = false;
            step.lookUpBeforeResend = true;
            step.lastCode = rejected.code().code();
            step.lastMessage = DetailScrubber.scrub(rejected.message()
                    + requestIdText(rejected.requestId()));
            Duration wait = rejected.code() == StandardErrorCode.FUNDS_UNSETTLED ? pollInterval
                    : retries.delayAfter(step.attempts);
            WaitReason reason = rejected.code() == StandardErrorCode.FUNDS_UNSETTLED ? WaitReason.SETTLEMENT
                    : WaitReason.RETRY;
            if (reason == WaitReason.RETRY) {
                step.consecutiveFailures++;
                if (step.consecutiveFailures >= retries.maxAttempts()) {
                    return new Operation(null, retries.retryOrGiveUp(step, kind, rejected.code().code(),
                            rejected.message(), null));
                }
            } else {
                step.consecutiveFailures = 0;
            }
            return new Operation(null, new StepResult.Wait(reason, now.plus(wait),
                    kind + " refused for now: " + rejected.message()));
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            step.outcomeUnknown = false;
            step.pending = false;
            step.lastCode = rejected.code().code();
            step.lastMessage = DetailScrubber.scrub(rejected.message()
                    + requestIdText(rejected.requestId()));
            return new Operation(null, new StepResult.Stop(CaseState.FAILED, rejected.code().code(),
                    "The provider refused " + kind + ": " + rejected.message() + " (provider code "
                            + rejected.providerCode() + requestIdText(rejected.requestId()) + ")"));
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            step.outcomeUnknown = false;
            step.pending = false;
            step.consecutiveFailures++;
            return new Operation(null, retries.retryOrGiveUp(step, kind, failure.code().code(), failure.message()
                    + " (provider code " + failure.providerCode() + requestIdText(failure.requestId()) + ")",
                    failure.retryAfter().orElse(null)));
        }
        OperationOutcome.Unknown unknown = (OperationOutcome.Unknown) outcome;
        step.outcomeUnknown = true;
        step.consecutiveFailures++;
        return new Operation(null, retries.retryOrGiveUp(step, kind, "UNKNOWN", "outcome unknown: "
                + unknown.reason(), null));
    }

    /** What sending changes on a step before the call, to put back when the call was never made. */
    private record Unsent(int attempts, boolean outcomeUnknown, boolean pending, boolean lookUpBeforeResend,
            LocalizedText operatorNote) {
        Unsent(StepRecord step) {
            this(step.attempts, step.outcomeUnknown, step.pending, step.lookUpBeforeResend, step.operatorNote);
        }

        void restore(StepRecord step) {
            step.attempts = attempts;
            step.outcomeUnknown = outcomeUnknown;
            step.pending = pending;
            step.lookUpBeforeResend = lookUpBeforeResend;
            step.operatorNote = operatorNote;
        }
    }

    private static void settle(StepRecord step, String providerReference) {
        step.operatorNote = null;
        step.outcomeUnknown = false;
        step.pending = false;
        step.lookUpBeforeResend = false;
        step.providerReference = providerReference;
    }
}
