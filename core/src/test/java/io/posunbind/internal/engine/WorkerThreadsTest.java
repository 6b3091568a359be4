package io.posunbind.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/** Virtual threads where the JDK has them, found at run time; platform daemon threads on Java 17. */
class WorkerThreadsTest {

    @Test
    void virtualThreadsAreUsedExactlyWhenTheRunningJdkHasThem() throws Exception {
        boolean jdkHasThem = Runtime.version().feature() >= 21;
        assertEquals(jdkHasThem, WorkerThreads.virtualThreadsAvailable());

        Thread thread = WorkerThreads.factory("posunbind-worker-test", true).newThread(() -> {
        });
        assertTrue(thread.getName().startsWith("posunbind-worker-test-"), thread.getName());
        if (jdkHasThem) {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            assertTrue((Boolean) isVirtual.invoke(thread));
        } else {
            assertTrue(thread.isDaemon(), "a platform worker thread never keeps the JVM alive");
        }
    }

    @Test
    void platformThreadsWhenVirtualOnesAreNotWanted() {
        ThreadFactory factory = WorkerThreads.factory("posunbind-worker-platform", false);
        Thread first = factory.newThread(() -> {
        });
        Thread second = factory.newThread(() -> {
        });
        assertTrue(first.isDaemon());
        assertFalse(first.getName().equals(second.getName()), "each thread has its own name");
    }
}
