package io.posunbind.spi;

import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.UnbindApplication;
import java.util.Optional;

/**
 * Submits the unbind application to the bank or institution and reads its decision, which can take
 * days. Optional: without it the application travels outside the SDK and the caller records the
 * decision. Implementations must be thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface InstitutionApplicationAdapter extends OperationLookup {

    /**
     * Submits the application. Usually answers {@link OperationOutcome.Pending} with the institution's
     * application reference; the decision then arrives by callback or through {@link #readDecision}.
     */
    OperationOutcome submitApplication(OperationContext context, UnbindApplication application);

    /** Reads the decision on an application, empty while it is still under review. */
    Optional<InstitutionDecision> readDecision(String applicationReference);
}
