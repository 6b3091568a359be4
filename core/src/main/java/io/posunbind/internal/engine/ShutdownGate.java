package io.posunbind.internal.engine;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets work into the engine until it closes, counts the work still running, and lets a closer wait for it
 * to end. Work that entered before the close runs to the end of its current step; new work is refused
 * with {@link CoreErrorCode#UNBINDER_CLOSED}.
 *
 * <p>Thread-safe.
 */
final class ShutdownGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean closing;
    private int running;

    /**
     * Lets one piece of work in; pair with {@link #exit()} in a {@code finally}.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#UNBINDER_CLOSED} once closing
     */
    void enter() {
        lock.lock();
        try {
            if (closing) {
                throw new PosUnbindException(CoreErrorCode.UNBINDER_CLOSED,
                        "This unbinder is shutting down and takes no more work; send the command to a running instance");
            }
            running++;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            running--;
            if (running == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the gate is closing: running work finishes its current step, then returns. */
    boolean closing() {
        return closing;
    }

    /** Refuses new work from now on. */
    void close() {
        lock.lock();
        try {
            closing = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no work runs, at most {@code timeout} (a real duration: threads are waited for, not
     * cases).
     *
     * @return how many pieces of work still run; 0 when all ended in time
     */
    int awaitIdle(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (running > 0 && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
            return running;
        } finally {
            lock.unlock();
        }
    }
}
