package io.posunbind.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryNonceStoreTest {

    private static final Instant T0 = Instant.parse("2025-06-03T08:00:00Z");

    @Test
    void aNonceIsNewOnceUntilItExpires() {
        InMemoryNonceStore store = new InMemoryNonceStore();
        assertTrue(store.markUsed("acme", "n1", T0.plusSeconds(60), T0));
        assertFalse(store.markUsed("acme", "n1", T0.plusSeconds(60), T0.plusSeconds(30)));
        assertFalse(store.markUsed("acme", "n1", T0.plusSeconds(60), T0.plusSeconds(60)), "kept up to its expiry");
        assertTrue(store.markUsed("acme", "n1", T0.plusSeconds(200), T0.plusSeconds(61)), "forgotten after it");
    }

    @Test
    void lookingAtANonceSpendsNothing() {
        InMemoryNonceStore store = new InMemoryNonceStore();
        assertFalse(store.isUsed("acme", "n1", T0));
        assertFalse(store.isUsed("acme", "n1", T0), "still unspent after a look");
        assertEquals(0, store.size());
        assertTrue(store.markUsed("acme", "n1", T0.plusSeconds(60), T0));
        assertTrue(store.isUsed("acme", "n1", T0.plusSeconds(60)), "spent up to its expiry");
        assertFalse(store.isUsed("other", "n1", T0.plusSeconds(1)), "per provider");
        assertFalse(store.isUsed("acme", "n1", T0.plusSeconds(61)), "forgotten after it");
    }

    @Test
    void noncesArePerProvider() {
        InMemoryNonceStore store = new InMemoryNonceStore();
        assertTrue(store.markUsed("acme", "n1", T0.plusSeconds(60), T0));
        assertTrue(store.markUsed("other", "n1", T0.plusSeconds(60), T0));
    }

    @Test
    void memoryIsBoundedAndExpiredEntriesAreDropped() {
        InMemoryNonceStore store = new InMemoryNonceStore(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(store.markUsed("acme", "n" + i, T0.plusSeconds(10 + i), T0));
        }
        PosUnbindException full = assertThrows(PosUnbindException.class,
                () -> store.markUsed("acme", "n3", T0.plusSeconds(60), T0));
        assertEquals(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE, full.errorCode());
        assertTrue(full.retryable());
        // Two of them expire: room again, and the size shows they are gone.
        assertTrue(store.markUsed("acme", "n3", T0.plusSeconds(60), T0.plusSeconds(12)));
        assertEquals(2, store.size());
    }

    @Test
    void aLongRunForgetsAsItGoes() {
        InMemoryNonceStore store = new InMemoryNonceStore(1_000);
        for (int i = 0; i < 100_000; i++) {
            Instant now = T0.plusSeconds(i);
            assertTrue(store.markUsed("acme", "n" + i, now.plusSeconds(360), now));
        }
        assertTrue(store.size() <= 362, "only the unexpired nonces are held: " + store.size());
    }

    @Test
    void concurrentMarksOfOneNonceAdmitExactlyOne() throws Exception {
        InMemoryNonceStore store = new InMemoryNonceStore();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 50; round++) {
                String nonce = "n" + round;
                AtomicInteger admitted = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    futures.add(pool.submit(() -> {
                        if (store.markUsed("acme", nonce, T0.plusSeconds(60), T0)) {
                            admitted.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
                assertEquals(1, admitted.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
