package io.posunbind.testkit.sandbox;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sandbox's standard answers (refusals, unavailability) and how it logs an answer without its details. */
final class SandboxAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBackend.class);

    /** The sandbox's own code for "temporarily unavailable", like an HTTP 503. */
    static final String UNAVAILABLE_CODE = "SBX-503";

    private SandboxAnswers() {
    }

    static OperationOutcome.Rejected rejected(StandardErrorCode code, String providerCode, String message) {
        return OperationOutcome.rejected(code, providerCode, message);
    }

    static OperationOutcome.Rejected terminalNotFound(String serialNumber) {
        return rejected(StandardErrorCode.TERMINAL_NOT_FOUND, "SBX-TERMINAL-NOT-FOUND",
                "Terminal " + serialNumber + " is unknown to the sandbox");
    }

    static OperationOutcome.Rejected merchantNotFound(String merchantNumber) {
        return rejected(StandardErrorCode.MERCHANT_NOT_FOUND, "SBX-MERCHANT-NOT-FOUND",
                "Merchant " + merchantNumber + " is unknown to the sandbox");
    }

    static ProviderException unavailable(String what) {
        return new ProviderException(StandardErrorCode.PROVIDER_UNAVAILABLE, UNAVAILABLE_CODE,
                "The sandbox cannot answer " + what + " now; try again later");
    }

    /** The outcome's type and reference or code, never its message or attributes, for the debug log. */
    static String describe(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Done done) {
            return "done " + done.providerReference();
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            return "pending " + pending.providerReference();
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return "rejected " + rejected.code().code() + " (" + rejected.providerCode() + ")";
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return "retryable failure " + failure.providerCode();
        }
        if (outcome instanceof OperationOutcome.NotApplicable) {
            return "not applicable";
        }
        return "unknown";
    }


    static OperationOutcome answer(OperationContext context, OperationOutcome outcome) {
        // Only the kind, key and outcome type are logged: parameters may hold an account number.
        LOG.debug("sandbox {} key={} attempt={}: {}", context.kind(), context.idempotencyKey(), context.attempt(),
                describe(outcome));
        return outcome;
    }
}
