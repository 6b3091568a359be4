package io.posunbind.event;

import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.spi.API;

/**
 * Follows the progress of unbind cases. Called on the thread that advanced the case, after the change
 * was stored; keep it quick. An exception thrown here is logged and does not affect the case.
 */
@FunctionalInterface
@API(status = API.Status.STABLE, since = "0.1")
public interface UnbindListener {

    /** Receives one event. */
    void onEvent(UnbindEvent event);

    /**
     * Learns of a callback that was refused (forged, stale, replayed, malformed, unknown sender), which
     * belongs to no case yet. Does nothing by default; an audit trail records it.
     */
    default void onRejectedCallback(CallbackRejectedException rejection) {
    }
}
