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
import io.posunbind.store.InMemoryCaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease heartbeat. It runs on its own thread every third of the lease, so these tests never sleep
 * and assert no durations: a second case that is always renewed paces them, and waiting for its next
 * renewals proves that whole heartbeats ran in between. Lease ends come from the injected clock.
 */
class LeaseKeeperTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final Duration LEASE = Duration.ofMillis(30);
    /** A case that is always renewed: each of its renewals marks one heartbeat. */
    private static final String PACER = "case-pacer";
    /** How long a heartbeat may take to come round on a loaded machine; only a bound, never waited out. */
    private static final int PATIENCE_MILLIS = 30_000;

    private final CaseStore store = mock(CaseStore.class);
    private final LeaseKeeper keeper = new LeaseKeeper(store, Clock.fixed(T0, ZoneOffset.UTC), "me", LEASE);

    @AfterEach
    void close() {
        keeper.close();
    }

    @Test
    void eachRenewedLeaseCountsAsOneHeartbeatAndALostOneDoesNot() {
        InMemoryCaseStore cases = new InMemoryCaseStore();
        cases.insert(new CaseRecord("mine", 1, "RUNNING", "sandbox", "m", "t-1", true, Optional.of(T0), T0, T0, "{}",
                Optional.of("me"), Optional.of(T0.plus(LEASE)), false));
        cases.insert(new CaseRecord("lost", 1, "RUNNING", "sandbox", "m", "t-2", true, Optional.of(T0), T0, T0, "{}",
                Optional.of("other"), Optional.of(T0.plus(LEASE)), false));
        ClaimCounters counters = new ClaimCounters();
        // A lease long enough that the heartbeat thread never runs during the test: renewAll is called here.
        LeaseKeeper counting = new LeaseKeeper(cases, Clock.fixed(T0, ZoneOffset.UTC), "me", Duration.ofHours(1),
                counters);
        try {
            counting.held("mine");
            counting.held("lost");
            counting.renewAll();
            counting.renewAll();
        } finally {
            counting.close();
        }
        assertEquals(2, counters.snapshot().heartbeats());
        assertEquals(Optional.of(T0.plus(Duration.ofHours(1))), cases.load("mine").orElseThrow().leaseUntil());
    }

    @Test
    void aCaseTakenOverByAnotherInstanceIsNoLongerRenewedAndThatIsReported() throws InterruptedException {
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(false);
        when(store.load("case-1")).thenReturn(Optional.of(leasedTo(Optional.of("other"))));

        String log = capturingStandardError(() -> {
            holdPacer();
            keeper.held("case-1");
            verify(store, timeout(PATIENCE_MILLIS).atLeastOnce()).load("case-1");
            awaitWholeHeartbeats();
        });

        assertEquals(1, renewals("case-1"), "renewed once, found taken over, then left alone");
        assertTrue(log.contains("Lost the lease of case case-1"), log);
    }

    @Test
    void aCaseThisInstanceGaveBackIsNotReportedAsTakenOver() throws InterruptedException {
        // The engine's last write released the lease; the case has not left the keeper's set yet.
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(false);
        when(store.load("case-1")).thenReturn(Optional.of(leasedTo(Optional.empty())));

        String log = capturingStandardError(() -> {
            holdPacer();
            keeper.held("case-1");
            verify(store, timeout(PATIENCE_MILLIS).atLeastOnce()).load("case-1");
            awaitWholeHeartbeats();
        });

        assertEquals(1, renewals("case-1"), "no longer leased to this instance: left alone");
        assertFalse(log.contains("Lost the lease"), log);
    }

    @Test
    void aCaseThatIsGoneIsNoLongerRenewed() {
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(false);
        when(store.load("case-1")).thenReturn(Optional.empty());
        holdPacer();

        keeper.held("case-1");

        verify(store, timeout(PATIENCE_MILLIS).atLeastOnce()).load("case-1");
        awaitWholeHeartbeats();
        assertEquals(1, renewals("case-1"));
    }

    @Test
    void aHeldCaseIsRenewedToTheClocksNowPlusTheLeaseUntilReleased() {
        when(store.renewLease(eq("case-1"), eq("me"), any())).thenReturn(true);
        holdPacer();

        keeper.held("case-1");

        verify(store, timeout(PATIENCE_MILLIS).atLeast(3)).renewLease("case-1", "me", T0.plus(LEASE));
        keeper.released("case-1");
        awaitWholeHeartbeats();
        long afterRelease = renewals("case-1");
        awaitWholeHeartbeats();
        assertEquals(afterRelease, renewals("case-1"), "renewed after it was released");
        assertTrue(afterRelease >= 3);
        assertTrue(mockingDetails(store).getInvocations().stream()
                .filter(invocation -> invocation.getMethod().getName().equals("renewLease"))
                .allMatch(invocation -> invocation.getArgument(2).equals(T0.plus(LEASE))),
                "every lease is extended from the injected clock's now");
    }

    private void holdPacer() {
        when(store.renewLease(eq(PACER), eq("me"), any())).thenReturn(true);
        keeper.held(PACER);
    }

    /**
     * Returns once a whole heartbeat that started after this call has run. Heartbeats never overlap, one
     * may be under way now, and the pacer may come anywhere in a heartbeat: its third renewal from now
     * is, at the earliest, in the heartbeat after the first one that started after this call.
     */
    private void awaitWholeHeartbeats() {
        long target = renewals(PACER) + 3;
        verify(store, timeout(PATIENCE_MILLIS).atLeast((int) target)).renewLease(eq(PACER), eq("me"), any());
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

    private long renewals(String caseId) {
        return mockingDetails(store).getInvocations().stream()
                .filter(invocation -> invocation.getMethod().getName().equals("renewLease")
                        && invocation.getArgument(0).equals(caseId))
                .count();
    }

    private static CaseRecord leasedTo(Optional<String> owner) {
        return new CaseRecord("case-1", 3, "RUNNING", "sandbox", "M1", "SN1", true, Optional.of(T0), T0, T0, "{}",
                owner, owner.map(o -> T0.plusSeconds(30)), false);
    }
}
