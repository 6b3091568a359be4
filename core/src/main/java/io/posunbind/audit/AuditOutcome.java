package io.posunbind.audit;

/** Whether the audited action succeeded, as PCI DSS 10.2.2 asks every audit record to say. */
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
