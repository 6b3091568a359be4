package io.posunbind.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;

/** Thrown when a case was changed by someone else since it was read. Read it again and retry. */
@API(status = API.Status.STABLE, since = "0.1")
public final class StaleCaseVersionException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception for a case and the version the writer expected. */
    public StaleCaseVersionException(String caseId, long expectedVersion) {
        super(CoreErrorCode.STALE_CASE_VERSION,
                "Case " + caseId + " is no longer at version " + expectedVersion + "; reload it and try again");
    }
}
