package io.posunbind.audit;

import io.posunbind.spi.API;

/** Whether the audited action succeeded, as PCI DSS 10.2.2 asks every audit record to say. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum AuditOutcome {
    /** The action did what was asked. */
    SUCCESS,
    /** The action failed or was refused. */
    FAILURE;

    /** {@link #SUCCESS} when true, {@link #FAILURE} otherwise. */
    public static AuditOutcome of(boolean succeeded) {
        return succeeded ? SUCCESS : FAILURE;
    }
}
