package io.posunbind.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.CallLimit;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.testing.MovableClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * An acquirer that limits one endpoint far more tightly than its whole API (as WeChat Pay limits its
 * settlement-account change to 20 calls a minute): the calls that perform that operation stay within its
 * limit in every window, while the others go on at the provider-wide pace; its 429 pauses that operation only;
 * and instances on one database split the operation's limit as they split the provider's. Counted at the
 * provider, on a clock moved by hand.
 */
class OperationLimitsTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final OperationKind TIGHT = OperationKind.UNBIND_TERMINAL;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final MovableClock clock = new MovableClock(START);

    @Test
    void anOperationAllowedThreeCallsAMinuteNeverMakesAFourthWhileOtherCallsGoOnAtTheProvidersPace() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of(), clock);
        CountingAcquirer acquirer = new CountingAcquirer("acme", ProviderLimits.of(10, 0)
                .withOperation(TIGHT, CallLimit.perMinute(3)));
        DeviceUnbindAdapter devices = limiters.limit(acquirer).deviceAdapter().orElseThrow();

        // For three minutes, every 100 ms: one case wants to unbind, one to disable, one reads a terminal.
        for (int tick = 0; tick < 1_800; tick++) {
            String serial = String.format("08%08d", tick);
            attempt(() -> devices.unbindTerminal(context("case-u" + serial, TIGHT), serial));
            attempt(() -> devices.disableTerminal(context("case-d" + serial, OperationKind.DISABLE_TERMINAL), serial));
            attempt(() -> devices.readTerminal(serial));
            clock.advance(Duration.ofMillis(100));
        }

        assertEquals(3, acquirer.mostInAnyWindow("unbindTerminal", MINUTE), "the unbind's own limit, kept and used");
        assertEquals(9, acquirer.calls("unbindTerminal"), "three a minute for three minutes");
        assertTrue(acquirer.mostInAnyWindow(null, Duration.ofSeconds(1)) <= 10, "the provider's limit holds for all");
        // Not slowed to the unbind's pace: the disables and reads share the rest of ten calls a second.
        assertTrue(acquirer.calls("disableTerminal") > 800, "disables: " + acquirer.calls("disableTerminal"));
        assertTrue(acquirer.calls("readTerminal") > 800, "reads: " + acquirer.calls("readTerminal"));
    }

    @Test
    void aCallTheProviderWideLimitHoldsBackGivesItsOperationsPermitBackUnspent() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of(), clock);
        CountingAcquirer acquirer = new CountingAcquirer("acme", ProviderLimits.perSecond(1)
                .withOperation(TIGHT, CallLimit.perMinute(2)));
        DeviceUnbindAdapter devices = limiters.limit(acquirer).deviceAdapter().orElseThrow();

        devices.readTerminal("0820000001"); // the second's only call
        assertThrows(CallDeferred.class, () -> devices.unbindTerminal(context("case-1", TIGHT), "0820000001"));
        clock.advance(Duration.ofSeconds(1));
        devices.unbindTerminal(context("case-1", TIGHT), "0820000001");
        clock.advance(Duration.ofSeconds(1));
        devices.unbindTerminal(context("case-2", TIGHT), "0820000002"); // the minute's second: the first came back
        clock.advance(Duration.ofSeconds(1));
        CallDeferred third = assertThrows(CallDeferred.class,
                () -> devices.unbindTerminal(context("case-3", TIGHT), "0820000003"));
        assertEquals(START.plusSeconds(61), third.wakeAt(), "when the first unbind leaves its minute");
        assertEquals(2, acquirer.calls("unbindTerminal"));
        assertEquals(3, limiters.stats("acme").callsPermitted(), "a refunded permit is no call");
    }

    @Test
    void aRateLimitedAnswerToTheLimitedOperationPausesThatOperationOnlyAndOneToAnotherCallPausesTheProvider() {
        ProviderLimiters limiters = new ProviderLimiters(Map.of(), clock);
        CountingAcquirer acquirer = new CountingAcquirer("acme", ProviderLimits.perSecond(100)
                .withOperation(TIGHT, CallLimit.perMinute(20)));
        DeviceUnbindAdapter devices = limiters.limit(acquirer).deviceAdapter().orElseThrow();

        OperationOutcome told = devices.unbindTerminal(context("case-1", TIGHT), CountingAcquirer.BUSY_SERIAL);
        assertTrue(told instanceof OperationOutcome.RetryableFailure, told.toString());
        CallDeferred held = assertThrows(CallDeferred.class,
                () -> devices.unbindTerminal(context("case-2", TIGHT), "0820000002"));
        assertEquals(START.plusSeconds(30), held.wakeAt(), "the unbind waits for the Retry-After");
        // Everything else goes on: the acquirer's other endpoints did not refuse.
        assertTrue(devices.disableTerminal(context("case-3", OperationKind.DISABLE_TERMINAL), "0820000003")
                instanceof OperationOutcome.Done);
        devices.readTerminal("0820000003");
        assertEquals(Optional.empty(), limiters.stats("acme").pausedUntil(), "the provider is not paused");
        assertEquals(1, limiters.stats("acme").pausesFromRetryAfter());

        clock.advance(Duration.ofSeconds(30));
        assertTrue(devices.unbindTerminal(context("case-2", TIGHT), "0820000002") instanceof OperationOutcome.Done);

        // A 429 to an operation without a limit of its own can only be the account's: the whole provider waits.
        devices.disableTerminal(context("case-4", OperationKind.DISABLE_TERMINAL), CountingAcquirer.BUSY_SERIAL);
        assertThrows(CallDeferred.class, () -> devices.readTerminal("0820000004"));
        assertThrows(CallDeferred.class, () -> devices.unbindTerminal(context("case-5", TIGHT), "0820000005"));
        assertEquals(Optional.of(clock.instant().plusSeconds(30)), limiters.stats("acme").pausedUntil());
    }

    @Test
    void theApplicationRaisesTheAccountsRateWithoutLiftingAnEndpointsLimitAndMayChangeThatLimitAlone() {
        ProviderLimits declared = ProviderLimits.of(10, 4).withOperation(TIGHT, CallLimit.perMinute(20));
        ProviderLimiters raisedRate = new ProviderLimiters(Map.of("acme", ProviderLimits.of(50, 8)), clock);
        raisedRate.limit(new CountingAcquirer("acme", declared));
        assertEquals(ProviderLimits.of(50, 8).withOperation(TIGHT, CallLimit.perMinute(20)),
                raisedRate.stats("acme").limits(), "the account's figures are the application's, the endpoint's stay");

        ProviderLimiters raisedEndpoint = new ProviderLimiters(Map.of(),
                Map.of("acme", Map.of(TIGHT, CallLimit.perMinute(40),
                        OperationKind.SUBMIT_APPLICATION, CallLimit.perMinute(1))), clock, Optional.empty(), "a");
        raisedEndpoint.limit(new CountingAcquirer("acme", declared));
        assertEquals(ProviderLimits.of(10, 4).withOperation(TIGHT, CallLimit.perMinute(40)),
                raisedEndpoint.stats("acme").limits(), "an operation the acquirer does not perform is left out");
    }

    @Test
    void threeInstancesOnOneDatabaseTogetherNeverUnbindMoreThanSixTimesAMinute() {
        InMemoryLimitBoard board = new InMemoryLimitBoard();
        ProviderLimits limits = ProviderLimits.of(100, 0).withOperation(TIGHT, CallLimit.perMinute(6));
        CountingAcquirer acquirer = new CountingAcquirer("acme", limits);
        List<DeviceUnbindAdapter> instances = new ArrayList<>();
        for (String instance : List.of("a", "b", "c")) {
            instances.add(new ProviderLimiters(Map.of(), Map.of(), clock, Optional.of(board), instance)
                    .limit(acquirer).deviceAdapter().orElseThrow());
        }
        // For five minutes, every 200 ms, each instance has an unbind and a read to make.
        for (int tick = 0; tick < 1_500; tick++) {
            for (DeviceUnbindAdapter devices : instances) {
                String serial = String.format("08%08d", tick);
                attempt(() -> devices.unbindTerminal(context("case-" + serial, TIGHT), serial));
                attempt(() -> devices.readTerminal(serial));
            }
            clock.advance(Duration.ofMillis(200));
        }
        assertTrue(acquirer.mostInAnyWindow("unbindTerminal", MINUTE) <= 6,
                "at most six unbinds in any minute: " + acquirer.mostInAnyWindow("unbindTerminal", MINUTE));
        // The two that joined wait a minute and a few seconds, then each has two of the six.
        assertTrue(acquirer.calls("unbindTerminal") >= 6 * 3, "the limit is used: " + acquirer.calls("unbindTerminal"));
        assertTrue(acquirer.calls("readTerminal") > 1_500, "reads are not slowed: " + acquirer.calls("readTerminal"));
    }

    @Test
    void anInstanceJoiningUnbindsOnlyOnceTheCallsTheFirstMadeUnderItsWholeShareHaveLeftTheirMinute() {
        InMemoryLimitBoard board = new InMemoryLimitBoard();
        ProviderLimits limits = ProviderLimits.of(100, 0).withOperation(TIGHT, CallLimit.perMinute(6));
        CountingAcquirer acquirer = new CountingAcquirer("acme", limits);
        DeviceUnbindAdapter first = new ProviderLimiters(Map.of(), Map.of(), clock, Optional.of(board), "a")
                .limit(acquirer).deviceAdapter().orElseThrow();
        DeviceUnbindAdapter joining = new ProviderLimiters(Map.of(), Map.of(), clock, Optional.of(board), "b")
                .limit(acquirer).deviceAdapter().orElseThrow();
        for (int call = 0; call < 6; call++) {
            first.unbindTerminal(context("case-a" + call, TIGHT), "082000000" + call); // alone: all six
        }
        clock.advance(Duration.ofSeconds(1));

        CallDeferred held = assertThrows(CallDeferred.class,
                () -> joining.unbindTerminal(context("case-b", TIGHT), "0820000100"));
        // Five missed heartbeats, plus the rest of the minute a's six calls stay in the window.
        assertEquals(START.plusSeconds(1).plus(FleetShare.EXPIRY).plusSeconds(59), held.wakeAt());
        assertEquals(FleetShare.EXPIRY, FleetShare.expiryFor(Duration.ofSeconds(1)), "one-second limits as before");
        assertEquals(6, acquirer.calls("unbindTerminal"));
    }

    private static void attempt(Supplier<?> call) {
        try {
            call.get();
        } catch (CallDeferred deferred) {
            // not sent: the case would come back at deferred.wakeAt()
        }
    }

    private static OperationContext context(String caseId, OperationKind kind) {
        SentOperation sent = SentOperation.of(new IdempotencyKey(caseId + ".5.0"), kind,
                OperationTarget.terminal("M-1", "0820000001"), Map.of(), START);
        return new OperationContext(sent, caseId, 1, Locale.CHINA, Duration.ofSeconds(30));
    }

    /** A device-only acquirer that records when each call reached it, by method; 429 for one serial. */
    private final class CountingAcquirer implements PaymentProvider {
        static final String BUSY_SERIAL = "0820000429";

        private final String id;
        private final ProviderLimits limits;
        private final Map<String, List<Instant>> received = new ConcurrentHashMap<>();

        CountingAcquirer(String id, ProviderLimits limits) {
            this.id = id;
            this.limits = limits;
        }

        int calls(String method) {
            return received.getOrDefault(method, List.of()).size();
        }

        /** The most calls of {@code method} (null: of any) that started within any window of that length. */
        int mostInAnyWindow(String method, Duration window) {
            List<Instant> all = new ArrayList<>();
            received.forEach((name, at) -> {
                if (method == null || method.equals(name)) {
                    all.addAll(at);
                }
            });
            all.sort(null);
            int most = 0;
            for (int first = 0, last = 0; last < all.size(); last++) {
                while (!all.get(first).plus(window).isAfter(all.get(last))) {
                    first++;
                }
                most = Math.max(most, last - first + 1);
            }
            return most;
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
                        received.computeIfAbsent(method.getName(), key -> new CopyOnWriteArrayList<>())
                                .add(clock.instant());
                        boolean busy = args != null && List.of(args).contains(BUSY_SERIAL);
                        return switch (method.getName()) {
                            case "unbindTerminal", "disableTerminal" -> busy
                                    ? OperationOutcome.rateLimited("429", "too many requests", Duration.ofSeconds(30))
                                    : OperationOutcome.done("ref-" + args[1]);
                            case "readTerminal" -> new Terminal((String) args[0], "PAX A920", TerminalStatus.ACTIVE,
                                    List.of("M-1"), Optional.empty(), List.of());
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }));
        }
    }
}
