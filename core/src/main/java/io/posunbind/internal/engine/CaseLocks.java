package io.posunbind.internal.engine;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes work on one case inside this JVM with a fixed set of striped locks, so memory stays bounded
 * however many cases pass. Across JVMs the store's version check decides.
 */
final class CaseLocks {

    private final ReentrantLock[] stripes;

    CaseLocks(int stripeCount) {
        stripes = new ReentrantLock[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(String caseId) {
        return stripes[Math.floorMod(caseId.hashCode(), stripes.length)];
    }
}
