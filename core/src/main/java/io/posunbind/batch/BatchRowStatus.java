package io.posunbind.batch;

import io.posunbind.spi.API;

/** Where a row of a batch stands. */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum BatchRowStatus {
    /** Not started yet: no case exists for it. */
    PENDING,
    /** Its case was opened and has not ended yet. */
    STARTED,
    /** Its case ended (completed, failed, cancelled, ...): the case's state is the row's outcome. */
    ENDED,
    /** The batch was cancelled before the row started: it never became a case. */
    CANCELLED_BEFORE_START,
    /**
     * Opening its case was refused when its turn came (another case of the terminal was opened after the batch
     * was validated, the provider went away or lacks what the request needs): the code says why.
     */
    REFUSED_AT_START;

    /** Whether the row will change no more (its case, if any, ended). */
    public boolean isFinal() {
        return this == ENDED || this == CANCELLED_BEFORE_START || this == REFUSED_AT_START;
    }
}
