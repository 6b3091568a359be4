package io.posunbind.internal.engine;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.RetryPolicy;
import io.posunbind.WaitReason;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.spi.OperationKind;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a step that failed for now runs again: capped, jittered back-off by the {@link RetryPolicy}, or the
 * case stopped for an operator once the failures in a row reach its limit. Thread-safe: it keeps no state.
 */
final class Retries {

    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final RandomGenerator random;

    Retries(Clock clock, RetryPolicy retryPolicy, RandomGenerator random) {
        this.clock = clock;
        this.retryPolicy = retryPolicy;
        this.random = random;
    }

    /** How many failures in a row a step may have before it stops. */
    int maxAttempts() {
        return retryPolicy.maxAttempts();
    }

    /** The back-off after {@code attempts} failures. */
    Duration delayAfter(int attempts) {
        return retryPolicy.delayAfter(attempts, random.nextDouble());
    }

    StepResult retryOrGiveUp(StepRecord step, OperationKind kind, String code, String message,
            Duration hint) {
        step.lastCode = code;
        step.lastMessage = DetailScrubber.scrub(message);
        if (step.consecutiveFailures >= retryPolicy.maxAttempts()) {
            return new StepResult.Stop(CaseState.FAILED, CoreErrorCode.RETRIES_EXHAUSTED.code(),
                    (kind == null ? step.kind.name() : kind.name()) + " failed " + step.consecutiveFailures
                            + " times in a row; last: "
                            + message
                            + ". Check the provider, then retry the case as an operator");
        }
        return waitRetry(step, step.consecutiveFailures, hint, code, message);
    }

    /** A retry later, with what went wrong kept on the step: the operator's log line and snapshot name it. */
    StepResult waitRetry(StepRecord step, int failures, Duration hint, String code, String message) {
        step.lastCode = code;
        step.lastMessage = DetailScrubber.scrub(message);
        Duration delay = hint != null ? hint : retryPolicy.delayAfter(failures, random.nextDouble());
        return new StepResult.Wait(WaitReason.RETRY, clock.instant().plus(delay), message);
    }

    StepResult retryLater(StepRecord step, String code, String message) {
        step.consecutiveFailures++;
        return retryOrGiveUp(step, null, code, message, null);
    }
}
