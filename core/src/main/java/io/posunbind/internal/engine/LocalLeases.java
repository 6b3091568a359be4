package io.posunbind.internal.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The cases a thread of this instance works on right now, and those a worker holds between two tries of a
 * call the provider's limits deferred ({@link HeldCase}): the in-process side of a case's lease. The store's
 * lease names the instance, not the thread, so two threads of one instance would both pass its check; this
 * map makes the second one find the case busy, as another instance would. Nothing here ever waits: a thread
 * that finds its case taken is refused at once, so no thread is held on another case's provider call
 * (unlike the striped locks it replaces, which made unrelated cases wait on each other).
 *
 * <p>A held case is not busy: a thread that takes it (a command) takes it from the hold, atomically, and
 * works on the case as the store has it; the worker's later attempt to resume the hold then fails, and its
 * copy is dropped. So a command is never refused, nor does it wait, because a case waits for a permit.
 *
 * <p>Thread-safe. Memory is bounded by the cases running or held at once.
 */
final class LocalLeases {

    /** Per case, the thread working on it or the hold keeping it. */
    private final ConcurrentHashMap<String, Object> taken = new ConcurrentHashMap<>();

    /**
     * Takes the case for the calling thread, from a hold if a worker holds it; false when another thread of
     * this instance works on it.
     */
    boolean tryTake(String caseId) {
        Thread me = Thread.currentThread();
        while (true) {
            Object holder = taken.putIfAbsent(caseId, me);
            if (holder == null) {
                return true;
            }
            if (!(holder instanceof HeldCase) || holder == me) {
                return false;
            }
            if (taken.replace(caseId, holder, me)) {
                return true; // the hold is revoked: resuming it fails, and its copy of the case is dropped
            }
        }
    }

    /** Gives the case back; pair with a successful {@link #tryTake} in a {@code finally}. A hold stays. */
    void giveBack(String caseId) {
        taken.remove(caseId, Thread.currentThread());
    }

    /** Hands the case the calling thread works on to a hold; false when this thread does not have it. */
    boolean hold(HeldCase held) {
        return taken.replace(held.caseId(), Thread.currentThread(), held);
    }

    /** Takes a held case for the calling thread; false when a command took it from the hold meanwhile. */
    boolean resume(HeldCase held) {
        return taken.replace(held.caseId(), held, Thread.currentThread());
    }

    /** Whether a thread of this instance works on the case now, or a worker holds it. */
    boolean isTaken(String caseId) {
        return taken.containsKey(caseId);
    }
}
