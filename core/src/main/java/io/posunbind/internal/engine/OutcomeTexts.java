package io.posunbind.internal.engine;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** How provider outcomes, adapter failures and rule violations read in a step's history and the audit trail. */
final class OutcomeTexts {

    private OutcomeTexts() {
    }

    static String describe(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Done done) {
            return "done, ref " + done.providerReference();
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            return "pending, " + pending.providerReference().map(ref -> "ref " + ref).orElse("no ref (by key)");
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return "rejected " + rejected.code().code() + " (" + rejected.providerCode() + ")"
                    + requestIdText(rejected.requestId());
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return "failed, retryable " + failure.code().code() + " (" + failure.providerCode() + ")"
                    + requestIdText(failure.requestId());
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable) {
            return "not applicable: " + notApplicable.reason();
        }
        return "unknown: " + ((OperationOutcome.Unknown) outcome).reason();
    }

    /** The provider's request id as operators see it, or nothing. */
    static String requestIdText(Optional<String> requestId) {
        return requestId.map(id -> ", provider request id " + id).orElse("");
    }

    /** An adapter's failure's code: its own, or the provider being unavailable for an uncoded one. */
    static String failureCode(RuntimeException failure) {
        return failure instanceof PosUnbindException coded ? coded.errorCode().code()
                : StandardErrorCode.PROVIDER_UNAVAILABLE.code();
    }

    /** What an adapter's failure says: its code if it has one, and its (scrubbed) message. */
    static String failureText(RuntimeException failure) {
        if (failure instanceof PosUnbindException coded) {
            return coded.errorCode().code() + " " + AdapterGuard.describe(coded);
        }
        return failure.getMessage();
    }

    static String joined(List<RuleViolation> violations) {
        return violations.stream().map(v -> v.code() + " " + v.message()).collect(Collectors.joining("; "));
    }
}
