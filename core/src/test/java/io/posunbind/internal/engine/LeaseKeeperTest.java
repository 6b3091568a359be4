package io.posunbind.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private final CaseStore store = mock(CaseStore.class);
    private final LeaseKeeper keeper = new LeaseKeeper(store, Clock.systemUTC(), "me", Duration.ofMillis(30));

    @AfterEach
    void close() {
        keeper.close();
    }

    @Test
    void aCaseTakenOverByAnotherInstanceIsNoLongerRenewedAndThatIsReported() throws InterruptedException {
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(false);
        when(store.load("case-1")).thenReturn(Optional.of(leasedTo(Optional.of("other"))));

        String log = capturingStandardError(() -> {
            keeper.held("case-1");
            verify(store, timeout(2_000)).load("case-1");
            Thread.sleep(100);
        });

        assertEquals(1, renewals(), "renewed once, found taken over, then left alone");
        assertTrue(log.contains("Lost the lease of case case-1"), log);
    }

    @Test
    void aCaseThisInstanceGaveBackIsNotReportedAsTakenOver() throws InterruptedException {
        // The engine's last write released the lease; the case has not left the keeper's set yet.
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(false);
        when(store.load("case-1")).thenReturn(Optional.of(leasedTo(Optional.empty())));

        String log = capturingStandardError(() -> {
            keeper.held("case-1");
            verify(store, timeout(2_000)).load("case-1");
            Thread.sleep(100);
        });

        assertEquals(1, renewals(), "no longer leased to this instance: left alone");
        assertFalse(log.contains("Lost the lease"), log);
    }

    @Test
    void aCaseThatIsGoneIsNoLongerRenewed() throws InterruptedException {
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(false);
        when(store.load("case-1")).thenReturn(Optional.empty());

        keeper.held("case-1");

        verify(store, timeout(2_000)).load("case-1");
        Thread.sleep(100);
        assertEquals(1, renewals());
    }

    @Test
    void aHeldCaseIsRenewedUntilReleased() throws InterruptedException {
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(true);

        keeper.held("case-1");

        verify(store, timeout(2_000).atLeast(3)).renewLease(eq("case-1"), eq("me"), any());
        keeper.released("case-1");
        Thread.sleep(50);
        long afterRelease = renewals();
        Thread.sleep(100);
        assertEquals(afterRelease, renewals());
        assertTrue(afterRelease >= 3);
    }

    @FunctionalInterface
    private interface Action {
        void run() throws InterruptedException;
    }

    /** What the logger (slf4j-simple, writing to standard error in the tests) printed meanwhile. */
    private static String capturingStandardError(Action action) throws InterruptedException {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private long renewals() {
        return mockingDetails(store).getInvocations().stream()
                .filter(invocation -> invocation.getMethod().getName().equals("renewLease")).count();
    }

    private static CaseRecord leasedTo(Optional<String> owner) {
        return new CaseRecord("case-1", 3, "RUNNING", "sandbox", "M1", "SN1", true, Optional.of(T0), T0, T0, "{}",
                owner, owner.map(o -> T0.plusSeconds(30)), false);
    }
}
