package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.ProviderLimits;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Instances on one database share a provider's limits evenly, announced through heartbeats (the JDBC store's
 * table, here in memory), on a clock moved by hand: the split's arithmetic, joining and dying instances, a
 * pause reaching every instance, and an instance cut off from the database.
 */
class ProviderLimitSharesTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    private final InMemoryLimitBoard board = new InMemoryLimitBoard();
    /** When each call let through by any instance started. */
    private final List<Instant> calls = new ArrayList<>();

    @Test
    void fourHundredCallsASecondOverThreeInstancesAre134And133And133AddingUpToExactlyTheLimit() {
        EvenSplit split = new EvenSplit(List.of("a", "b", "c"), "a", Instant.EPOCH);
        assertEquals(List.of(134, 133, 133), List.of(split.shareOf(400),
                new EvenSplit(split.live(), "b", Instant.EPOCH).shareOf(400),
                new EvenSplit(split.live(), "c", Instant.EPOCH).shareOf(400)));
        // Two calls open at once over three instances: whole calls, so one instance gets none.
        assertEquals(List.of(1, 1, 0), IntStream.range(0, 3).mapToObj(rank -> EvenSplit.share(2, rank, 3)).toList());
        assertEquals(400, EvenSplit.alone("a").shareOf(400));
    }

    @Test
    void noInstancesShareGrowsWhenAnotherJoinsNorShrinksWhenOneDropsOutSoMixedViewsStayWithinTheLimit() {
        for (int total = 0; total <= 40; total++) {
            for (int instances = 2; instances <= 7; instances++) {
                for (int gone = 0; gone < instances; gone++) {
                    int sumOfMixedViews = 0;
                    for (int rank = 0; rank < instances; rank++) {
                        if (rank == gone) {
                            continue;
                        }
                        int before = EvenSplit.share(total, rank, instances);
                        int after = EvenSplit.share(total, rank > gone ? rank - 1 : rank, instances - 1);
                        assertTrue(after >= before, total + " over " + instances + ", rank " + rank);
                        sumOfMixedViews += rank % 2 == 0 ? before : after; // half the survivors saw the change
                    }
                    assertTrue(sumOfMixedViews <= total, "mixed views of " + total + " over " + instances);
                }
            }
        }
    }

    @Test
    void anInstanceCountsAsLiveUntilItsHeartbeatIsFiveSecondsOldAndAPauseOfAnyRowHoldsForAll() {
        Instant now = START.plusSeconds(100);
        List<ShareRow> rows = List.of(new ShareRow("a", now, Instant.EPOCH),
                new ShareRow("b", now.minusMillis(4_999), Instant.EPOCH),
                new ShareRow("c", now.minusSeconds(5), now.plusSeconds(30)));
        EvenSplit split = EvenSplit.of(rows, "a", now, FleetShare.EXPIRY);
        assertEquals(List.of("a", "b"), split.live(), "c's heartbeat expired");
        assertEquals(now.plusSeconds(30), split.pausedUntil(), "the pause c recorded before it died still holds");
        assertEquals(List.of("z"), EvenSplit.of(List.of(), "z", now, FleetShare.EXPIRY).live(), "itself, always");
    }

    @Test
    void threeInstancesTogetherNeverCallAProviderAllowingFortyASecondMoreThanFortyTimesInAnyOneSecondWindow() {
        List<ProviderLimiter> instances = List.of(limiter("a", 40, 0), limiter("b", 40, 0), limiter("c", 40, 0));
        // Each instance tries every 5 ms for 20 seconds: far more demand than the limit.
        for (int tick = 0; tick < 4_000; tick++) {
            instances.forEach(this::tryCall);
            clock.advance(Duration.ofMillis(5));
        }
        assertTrue(maxInAnyWindow(Duration.ofSeconds(1)) <= 40, "at most 40: " + maxInAnyWindow(Duration.ofSeconds(1)));
        // The two that joined the first waited five seconds, then the three used the whole limit between them.
        assertEquals(40, maxInAnyWindow(Duration.ofSeconds(1)), "the limit is used, not only kept");
        assertEquals(List.of(3, 3, 3), instances.stream().map(one -> one.stats().liveInstances()).toList());
        long lastFiveSeconds = calls.stream().filter(at -> !at.isBefore(clock.instant().minusSeconds(5))).count();
        assertTrue(lastFiveSeconds >= 5 * 39, "shares 14, 13, 13 each second: " + lastFiveSeconds);
    }

    @Test
    void twoConcurrentCallsOverThreeInstancesAreOneEachForTwoOfThemAndNoneForTheThird() {
        List<ProviderLimiter> instances = List.of(limiter("a", 0, 2), limiter("b", 0, 2), limiter("c", 0, 2));
        List<Permit> open = new ArrayList<>();
        for (int tick = 0; tick < 20; tick++) { // every instance has joined and seen the others
            instances.forEach(one -> open.addAll(tryHold(one)));
            open.forEach(Permit::close);
            open.clear();
            clock.advance(Duration.ofMillis(500));
        }
        List<Integer> heldByEach = new ArrayList<>();
        for (ProviderLimiter one : instances) {
            List<Permit> mine = new ArrayList<>(tryHold(one));
            mine.addAll(tryHold(one)); // a second call while the first is open
            heldByEach.add(mine.size());
            open.addAll(mine);
        }
        assertEquals(List.of(1, 1, 0), heldByEach, "two calls open in all, never more");
        open.forEach(Permit::close);
    }

    @Test
    void whenAnInstanceStopsHeartbeatingTheOthersTakeItsShareOnlyAfterItsHeartbeatExpired() {
        List<ProviderLimiter> instances = List.of(limiter("a", 30, 0), limiter("b", 30, 0), limiter("c", 30, 0));
        for (int tick = 0; tick < 2_000; tick++) { // 10 s: all three live, 10 calls a second each
            instances.forEach(this::tryCall);
            clock.advance(Duration.ofMillis(5));
        }
        Instant cStopped = clock.instant();
        int beforeTwo = callsBetween(cStopped.minusSeconds(1), cStopped);
        assertEquals(30, beforeTwo, "three shares of 10");
        // c dies: it calls and heartbeats no more. a and b keep to their shares until c's heartbeat has expired.
        List<ProviderLimiter> survivors = instances.subList(0, 2);
        for (int tick = 0; tick < 2_000; tick++) {
            survivors.forEach(this::tryCall);
            clock.advance(Duration.ofMillis(5));
        }
        assertTrue(callsBetween(cStopped.plusSeconds(1), cStopped.plusSeconds(2)) <= 20, "still 10 each");
        assertEquals(30, callsBetween(clock.instant().minusSeconds(1), clock.instant()), "c's 10 went to a and b");
        assertEquals(List.of(2, 2), survivors.stream().map(one -> one.stats().liveInstances()).toList());
        assertTrue(maxInAnyWindow(Duration.ofSeconds(1)) <= 30);
    }

    @Test
    void aRetryAfterToldToOneInstancePausesTheOthersFromTheirNextHeartbeat() {
        List<ProviderLimiter> instances = List.of(limiter("a", 30, 0), limiter("b", 30, 0));
        for (int tick = 0; tick < 1_400; tick++) { // b joined and waited; both call
            instances.forEach(this::tryCall);
            clock.advance(Duration.ofMillis(5));
        }
        instances.get(0).pause(Duration.ofSeconds(30));
        Instant told = clock.instant();
        for (int tick = 0; tick < 2_000; tick++) {
            instances.forEach(this::tryCall);
            clock.advance(Duration.ofMillis(5));
        }
        assertEquals(0, callsBetween(told.plus(FleetShare.HEARTBEAT), told.plusSeconds(10)),
                "nobody calls from b's next heartbeat on");
        assertEquals(Optional.of(told.plusSeconds(30)), instances.get(1).stats().pausedUntil());
        assertTrue(instances.get(1).stats().deferredByPause() > 0);
        for (int tick = 0; tick < 4_400; tick++) { // 22 s more
            instances.forEach(this::tryCall);
            clock.advance(Duration.ofMillis(5));
        }
        assertEquals(0, callsBetween(told.plus(FleetShare.HEARTBEAT), told.plusSeconds(30)));
        assertEquals(30, callsBetween(told.plusSeconds(30), told.plusSeconds(31)), "both call again after it");
    }

    @Test
    void anInstanceCutOffFromTheDatabaseStopsCallingBeforeTheOthersTakeItsShare() {
        ProviderLimiter a = limiter("a", 30, 0);
        for (int tick = 0; tick < 200; tick++) {
            tryCall(a);
            clock.advance(Duration.ofMillis(5));
        }
        board.unreachable(true);
        Instant cut = clock.instant();
        for (int tick = 0; tick < 2_000; tick++) {
            tryCall(a);
            clock.advance(Duration.ofMillis(5));
        }
        Instant lastCall = calls.get(calls.size() - 1);
        assertTrue(lastCall.isBefore(cut.plus(FleetShare.EXPIRY).minus(FleetShare.HEARTBEAT)),
                "its lease ran out " + Duration.between(cut, lastCall));
        CallDeferred deferred = assertThrows(CallDeferred.class, a::acquire);
        assertTrue(deferred.getMessage().contains("unknown"), deferred.getMessage());
        board.unreachable(false);
        clock.advance(FleetShare.HEARTBEAT);
        tryCall(a);
        assertEquals(clock.instant(), calls.get(calls.size() - 1), "alone again: no wait to rejoin");
    }

    private ProviderLimiter limiter(String instance, double perSecond, int concurrent) {
        ProviderLimits limits = ProviderLimits.of(perSecond, concurrent);
        return new ProviderLimiter("acme", limits, clock, instance,
                Optional.of(new FleetShare(board, "acme", instance, clock)));
    }

    private void tryCall(ProviderLimiter instance) {
        try (Permit permit = instance.acquire()) {
            calls.add(clock.instant());
        } catch (CallDeferred deferred) {
            assertTrue(deferred.wakeAt().isAfter(clock.instant()), "comes back later, never now");
        }
    }

    private static List<Permit> tryHold(ProviderLimiter instance) {
        try {
            return List.of(instance.acquire());
        } catch (CallDeferred deferred) {
            return List.of();
        }
    }

    private int callsBetween(Instant from, Instant to) {
        return (int) calls.stream().filter(at -> !at.isBefore(from) && at.isBefore(to)).count();
    }

    /** The most calls any window of this length held, wherever it starts. */
    private int maxInAnyWindow(Duration window) {
        int max = 0;
        int first = 0;
        for (int last = 0; last < calls.size(); last++) {
            while (!calls.get(first).plus(window).isAfter(calls.get(last))) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }
}
