package io.posunbind.internal.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads a worker runs cases on: virtual threads when the JDK has them (Java 21 and later), platform
 * daemon threads otherwise. posunbind compiles for Java 17, so virtual threads are found at run time,
 * through the public {@code Thread.Builder} interface by reflection; any failure (an older JDK, virtual
 * threads still a preview) falls back to platform threads. Thread-safe.
 */
final class WorkerThreads {

    private WorkerThreads() {
    }

    /**
     * A factory of threads named {@code prefix-1}, {@code prefix-2}, …
     *
     * @param preferVirtual whether to use virtual threads when the JDK has them
     */
    static ThreadFactory factory(String prefix, boolean preferVirtual) {
        if (preferVirtual) {
            Optional<ThreadFactory> virtual = virtualFactory(prefix);
            if (virtual.isPresent()) {
                return virtual.get();
            }
        }
        AtomicLong next = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Whether this JDK runs virtual threads (without preview flags). */
    static boolean virtualThreadsAvailable() {
        return virtualFactory("posunbind-probe").isPresent();
    }

    /** {@code Thread.ofVirtual().name(prefix + "-", 1).factory()}, if this JDK has it. */
    private static Optional<ThreadFactory> virtualFactory(String prefix) {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object named = builder.getMethod("name", String.class, long.class)
                    .invoke(ofVirtual.invoke(null), prefix + "-", 1L);
            return Optional.of((ThreadFactory) builder.getMethod("factory").invoke(named));
        } catch (NoSuchMethodException | ClassNotFoundException | IllegalAccessException
                | InvocationTargetException | ClassCastException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
