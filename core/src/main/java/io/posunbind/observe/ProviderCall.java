package io.posunbind.observe;

import io.posunbind.CaseId;
import io.posunbind.StepKind;
import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Optional;

/**
 * A call into a provider's adapter about to be made.
 *
 * @param providerId the provider
 * @param operation  which call: the adapter contract's simple name and the method, such as
 *                   {@code DeviceUnbindAdapter.unbindDevice}; a small, fixed set of values
 * @param caseId     the case whose step makes the call; empty outside a step (a preview, a timer's last look)
 * @param step       the step making the call, when there is one
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ProviderCall(String providerId, String operation, Optional<CaseId> caseId, Optional<StepKind> step) {

    /** Checks the fields. */
    public ProviderCall {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(step, "step");
    }
}
