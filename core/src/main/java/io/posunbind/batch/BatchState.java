package io.posunbind.batch;

import io.posunbind.spi.API;

/** Where a batch stands. */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum BatchState {
    /** Rows start as the window, the cap on cases in flight and the workers allow. */
    RUNNING,
    /** No row starts; cases already started go on to their next wait or their end. */
    PAUSED,
    /** Cancelled: no row starts again; started cases that could not be cancelled go on (see {@link BatchCancellation}). */
    CANCELLED,
    /** Every row ended: its case ended, or it was refused at its start. */
    FINISHED;

    /** Whether the batch may still start rows or have open cases. */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }
}
