package io.posunbind.internal.batch;

import io.posunbind.batch.BatchEvent;
import io.posunbind.batch.BatchListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The batch listeners of one unbinder; one that throws is logged and does not stop the others. Thread-safe. */
final class BatchEvents {

    private static final Logger LOG = LoggerFactory.getLogger("io.posunbind.batches");

    private final List<BatchListener> listeners = new CopyOnWriteArrayList<>();

    void add(BatchListener listener) {
        listeners.add(listener);
    }

    /** Removes {@code listener} (added once; added twice, one of them): whether it was listening. */
    boolean remove(BatchListener listener) {
        return listeners.remove(listener);
    }

    void tell(BatchEvent event) {
        for (BatchListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("A batch listener failed on {} of batch {}: {}", event.getClass().getSimpleName(),
                        event.batchId(), e.toString());
            }
        }
    }
}
