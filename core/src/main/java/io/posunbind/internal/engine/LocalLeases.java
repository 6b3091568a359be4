package io.posunbind.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cases a thread of this instance works on right now: the in-process side of a case's lease. The
 * store's lease names the instance, not the thread, so two threads of one instance would both pass its
 * check; this set makes the second one find the case busy, as another instance would. Nothing here ever
 * waits: a thread that finds its case taken is refused at once, so no thread is held on another case's
 * provider call (unlike the striped locks it replaces, which made unrelated cases wait on each other).
 *
 * <p>Thread-safe. Memory is bounded by the cases running at once.
 */
final class LocalLeases {

    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    /** Takes the case for the calling thread; false when another thread of this instance works on it. */
    boolean tryTake(String caseId) {
        return taken.add(caseId);
    }

    /** Gives the case back; pair with a successful {@link #tryTake} in a {@code finally}. */
    void giveBack(String caseId) {
        taken.remove(caseId);
    }

    /** Whether a thread of this instance works on the case now. */
    boolean isTaken(String caseId) {
        return taken.contains(caseId);
    }
}
