package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.ProviderLimitStats;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.testing.MovableClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's limits on calls to a provider, seen from the provider's side: what reaches it, and when. */
class ProviderLimitersTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    private final MovableClock clock = new MovableClock(START);

    @Test
    void callsToAProviderAllowingFiveASecondAreSpacedSoNoClockSecondHoldsMore() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(5), clock);
        Map<Long, Integer> perSecond = new TreeMap<>();
        // Three callers try every 50 ms for four seconds: far more demand than the limit.
        for (int tick = 0; tick < 80; tick++) {
            for (int caller = 0; caller < 3; caller++) {
                try (Permit permit = limiter.acquire()) {
                    perSecond.merge(clock.instant().getEpochSecond(), 1, Integer::sum);
                } catch (CallDeferred deferred) {
                    assertTrue(deferred.wakeAt().isAfter(clock.instant()), "comes back later, never now");
                    assertEquals(StandardErrorCode.RATE_LIMITED, deferred.errorCode());
                }
            }
            clock.advance(Duration.ofMillis(50));
        }
        assertEquals(List.of(5, 5, 5, 5), List.copyOf(perSecond.values()), perSecond.toString());
        ProviderLimitStats stats = limiter.stats();
        assertEquals(20, stats.callsPermitted());
        assertEquals(240 - 20, stats.callsDeferred());
    }

    @Test
    void aStepMayMakeAFewCallsTogetherAndEachDeferredCallerComesBackWhenATokenComesBackForIt() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(5), clock);
        for (int call = 0; call < 5; call++) {
            limiter.acquire().close(); // five calls together, answered 0, 100, ..., 400 ms from the start
            clock.advance(Duration.ofMillis(100));
        }
        List<Instant> wakeTimes = new ArrayList<>();
        for (int caller = 0; caller < 3; caller++) {
            wakeTimes.add(assertThrows(CallDeferred.class, limiter::acquire).wakeAt());
        }
        assertEquals(List.of(START.plusMillis(1000), START.plusMillis(1100), START.plusMillis(1200)), wakeTimes,
                "the first, second and third tokens to come back, one for each");
        clock.advance(Duration.ofMillis(499)); // 999 ms
        assertThrows(CallDeferred.class, limiter::acquire);
        for (Instant wake : wakeTimes) {
            clock.advance(Duration.between(clock.instant(), wake));
            limiter.acquire().close(); // each finds its token
        }
    }

    @Test
    void aPromiseToACallerThatNeverCameBackLapsesAtItsWakeTime() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(3), clock);
        for (int call = 0; call < 3; call++) {
            limiter.acquire().close(); // answered at 0, 300 and 600 ms
            clock.advance(Duration.ofMillis(300));
        }
        assertEquals(START.plusMillis(1000), assertThrows(CallDeferred.class, limiter::acquire).wakeAt());
        assertEquals(START.plusMillis(1300), assertThrows(CallDeferred.class, limiter::acquire).wakeAt());

        clock.advance(Duration.ofMillis(200)); // 1100 ms: the first caller never came back for its token
        limiter.acquire().close(); // another takes it
        assertEquals(START.plusMillis(1600), assertThrows(CallDeferred.class, limiter::acquire).wakeAt(),
                "after the token still promised to the second caller (1300), not after the lapsed one too (2100)");
    }

    @Test
    void aStepKindThatRanOutMidwayKeepsRoomForItsReadsNextTimeWhileOtherKindsTakeOneTokenAtATime() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(5), clock);
        for (int call = 0; call < 3; call++) {
            limiter.acquire().close(); // outside a step: two tokens left
        }
        try (StepCalls inventory = StepCalls.open("TAKE_INVENTORY")) {
            limiter.acquire().close();
            limiter.acquire().close();
            assertThrows(CallDeferred.class, limiter::acquire, "the third read in a row finds no token");
        }
        clock.advance(Duration.ofSeconds(1)); // every token back
        for (int call = 0; call < 4; call++) {
            limiter.acquire().close(); // one token left
        }

        try (StepCalls inventory = StepCalls.open("TAKE_INVENTORY")) {
            assertThrows(CallDeferred.class, limiter::acquire, "an inventory starts only with room for three reads");
        }
        try (StepCalls unbind = StepCalls.open("UNBIND_TERMINAL")) {
            limiter.acquire().close(); // a step of another kind is not held to the inventory's three
        }
    }

    @Test
    void aRateBelowOneASecondAllowsOneCallPerPeriod() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.perSecond(0.5), clock);
        limiter.acquire().close();
        assertEquals(START.plusSeconds(2), assertThrows(CallDeferred.class, limiter::acquire).wakeAt());
        clock.advance(Duration.ofSeconds(2));
        limiter.acquire().close();
    }

    @Test
    void noMoreCallsAreOpenAtOnceThanAllowedAndAPermitGivenBackLetsTheNextOneIn() {
        ProviderLimiter limiter = new ProviderLimiter("acme", ProviderLimits.of(ProviderLimits.UNLIMITED, 2), clock);
        Permit first = limiter.acquire();
        Permit second = limiter.acquire();

        CallDeferred third = assertThrows(CallDeferred.class, limiter::acquire);
        assertEquals(START.plus(ProviderLimiter.CONCURRENCY_RECHECK), third.wakeAt());

        first.close();
        first.close(); // given back once, however often closed
        Permit next = limiter.acquire();
        assertThrows(CallDeferred.class, limiter::acquire);
        second.close();
        next.close();
        assertEquals(3, limiter.stats().callsPermitted());
        assertEquals(2, limiter.stats().callsDeferred());
    }

    @Test
    void aRateLimitedAnswerPausesEveryCallToThatProviderUntilItsRetryAfterButNotCallsToAnotherProvider() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of(), clock);
        FakeProvider acme = new FakeProvider("acme", ProviderLimits.unlimited());
        FakeProvider other = new FakeProvider("other", ProviderLimits.unlimited());
        DeviceUnbindAdapter acmeDevices = limiters.limit(acme).deviceAdapter().orElseThrow();
        DeviceUnbindAdapter otherDevices = limiters.limit(other).deviceAdapter().orElseThrow();

        OperationOutcome told = acmeDevices.unbindTerminal(context("case-1"), FakeProvider.BUSY_SERIAL);
        assertTrue(told instanceof OperationOutcome.RetryableFailure, told.toString());

        // Another case's call to the same provider is held back, and never reaches it...
        CallDeferred held = assertThrows(CallDeferred.class,
                () -> acmeDevices.unbindTerminal(context("case-2"), "0820000002"));
        assertEquals(START.plusSeconds(30), held.wakeAt());
        assertThrows(CallDeferred.class, () -> acmeDevices.lookup(sent("case-3")));
        assertEquals(1, acme.calls.get());
        // ...while another provider is called as usual.
        assertTrue(otherDevices.unbindTerminal(context("case-4"), "0820000004") instanceof OperationOutcome.Done);
        ProviderLimitStats stats = limiters.stats("acme");
        assertEquals(Optional.of(START.plusSeconds(30)), stats.pausedUntil());
        assertEquals(1, stats.pausesFromRetryAfter());
        assertEquals(2, stats.deferredByPause());
        assertEquals(0, limiters.stats("other").callsDeferred());

        clock.advance(Duration.ofSeconds(30));
        assertTrue(acmeDevices.unbindTerminal(context("case-2"), "0820000002") instanceof OperationOutcome.Done);
        assertEquals(2, acme.calls.get());
        assertEquals(Optional.empty(), limiters.stats("acme").pausedUntil());
    }

    @Test
    void aRateLimitedReadWithoutRetryAfterPausesTheProviderBriefly() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of(), clock);
        DeviceUnbindAdapter devices = limiters.limit(new FakeProvider("acme", ProviderLimits.unlimited()))
                .deviceAdapter().orElseThrow();
        assertThrows(ProviderException.class, () -> devices.readTerminal(FakeProvider.BUSY_SERIAL));
        CallDeferred held = assertThrows(CallDeferred.class, () -> devices.readTerminal("0820000002"));
        assertEquals(START.plus(ProviderLimiter.PAUSE_WITHOUT_RETRY_AFTER), held.wakeAt());
    }

    @Test
    void theApplicationsLimitsWinOverTheProvidersDeclaration() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of("acme", ProviderLimits.of(1, 1)), clock);
        FakeProvider acme = new FakeProvider("acme", ProviderLimits.of(50, 10));
        FakeProvider other = new FakeProvider("other", ProviderLimits.of(50, 10));
        DeviceUnbindAdapter acmeDevices = limiters.limit(acme).deviceAdapter().orElseThrow();
        limiters.limit(other);

        assertEquals(ProviderLimits.of(1, 1), limiters.stats("acme").limits());
        assertEquals(ProviderLimits.of(50, 10), limiters.stats("other").limits());
        acmeDevices.unbindTerminal(context("case-1"), "0820000001");
        // the declared 50 a second would allow another call now
        assertThrows(CallDeferred.class, () -> acmeDevices.unbindTerminal(context("case-2"), "0820000002"));
        assertEquals(1, acme.calls.get());
    }

    @Test
    void aProviderWithoutLimitsIsNeverHeldBack() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of(), clock);
        FakeProvider acme = new FakeProvider("acme", ProviderLimits.unlimited());
        PaymentProvider limited = limiters.limit(acme);
        for (int call = 0; call < 1_000; call++) {
            limited.deviceAdapter().orElseThrow().unbindTerminal(context("case-" + call), "0820000001");
        }
        assertEquals(1_000, acme.calls.get());
        assertEquals(0, limiters.stats("acme").callsDeferred());
        // The provider's own methods are no calls to its API and take no permit.
        assertEquals("acme", limited.id());
        assertEquals(1_000, limiters.stats("acme").callsPermitted());
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ProviderLimits.of(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> ProviderLimits.of(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> ProviderLimits.of(5, -2));
        assertTrue(ProviderLimits.unlimited().isUnlimited());
        assertFalse(ProviderLimits.perSecond(0.5).isUnlimited());
    }

    private static OperationContext context(String caseId) {
        return new OperationContext(sent(caseId), caseId, 1, Locale.CHINA, Duration.ofSeconds(30));
    }

    private static SentOperation sent(String caseId) {
        return SentOperation.of(new IdempotencyKey(caseId + ".5.0"), OperationKind.UNBIND_TERMINAL,
                OperationTarget.terminal("M-1", "0820000001"), Map.of(), START);
    }

    /** A provider whose device adapter counts the calls that reach it and answers 429 for one serial. */
    private static final class FakeProvider implements PaymentProvider {
        static final String BUSY_SERIAL = "0820000429";

        final AtomicInteger calls = new AtomicInteger();
        private final String id;
        private final ProviderLimits limits;

        FakeProvider(String id, ProviderLimits limits) {
            this.id = id;
            this.limits = limits;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String displayName() {
            return id;
        }

        @Override
        public ProviderLimits callLimits() {
            return limits;
        }

        @Override
        public Optional<DeviceUnbindAdapter> deviceAdapter() {
            return Optional.of((DeviceUnbindAdapter) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DeviceUnbindAdapter.class}, (proxy, method, args) -> {
                        calls.incrementAndGet();
                        boolean busy = args != null && List.of(args).contains(BUSY_SERIAL);
                        return switch (method.getName()) {
                            case "unbindTerminal" -> busy
                                    ? OperationOutcome.rateLimited("429", "too many requests", Duration.ofSeconds(30))
                                    : OperationOutcome.done("ref-" + calls.get());
                            case "lookup" -> Optional.empty();
                            case "readTerminal" -> throw new ProviderException(
                                    StandardErrorCode.RATE_LIMITED, "429", "too many requests");
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }));
        }
    }
}
