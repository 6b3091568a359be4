package io.posunbind.internal.limits;

import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import java.time.Instant;

/**
 * A provider call the engine did not make because the provider's limits allow none now: nothing reached
 * the provider. The case runner reschedules the case at {@link #wakeAt()} without counting a failure; a
 * caller outside a case (a preview) sees a retryable {@link StandardErrorCode#RATE_LIMITED}.
 */
public final class CallDeferred extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final Instant wakeAt;

    CallDeferred(String providerId, String why, Instant wakeAt) {
        super(StandardErrorCode.RATE_LIMITED, "No call to provider " + providerId + " now (" + why
                + "); nothing was sent; try again at " + wakeAt);
        this.wakeAt = wakeAt;
    }

    /** When a call may be allowed again (a hint: another caller may take the permit first). */
    public Instant wakeAt() {
        return wakeAt;
    }
}
