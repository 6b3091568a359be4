package io.posunbind.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells this process's workers that a command just recorded due work, so an idle worker looks at once
 * instead of after its poll interval. Other instances learn of the work at their next look. Thread-safe.
 */
final class DueSignal {

    private final Set<Runnable> workers = ConcurrentHashMap.newKeySet();

    void subscribe(Runnable worker) {
        workers.add(worker);
    }

    void unsubscribe(Runnable worker) {
        workers.remove(worker);
    }

    /** A case became due in this process. */
    void due() {
        workers.forEach(Runnable::run);
    }
}
