package io.posunbind.batch;

import io.posunbind.spi.API;

/**
 * Follows batches: rows starting and ending, the batch pausing, resuming, being cancelled, finishing. Register
 * with {@code unbinder.batches().listen(listener)}. Called on the thread that stored the change (a worker's, or
 * the caller's of a command); keep it quick, and let it not throw (what it throws is logged and ignored). For
 * counts at any moment, on any instance, ask {@link Batches#progress}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
@FunctionalInterface
public interface BatchListener {

    /** One event, after it was stored. */
    void onEvent(BatchEvent event);
}
