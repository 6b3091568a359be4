package io.posunbind.event;

/**
 * Follows the progress of unbind cases. Called on the thread that advanced the case, after the change
 * was stored; keep it quick. An exception thrown here is logged and does not affect the case.
 */
@FunctionalInterface
public interface UnbindListener {

    /** Receives one event. */
    void onEvent(UnbindEvent event);
}
