package io.posunbind.testkit.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An application developer's test of their unbinding flow, on the environment and a tiny provider. */
class UnbinderTestEnvironmentTest {

    private static final String SERIAL = "0820000001";
    private static final String MERCHANT = "898310058120001";

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-25T02:00:00Z"));
    private final FlakyDevices devices = new FlakyDevices();

    @Test
    void aDayWithoutTheInstitutionsDecisionBringsOneReminder() {
        try (UnbinderTestEnvironment env = environment()) {
            CaseSnapshot opened = env.unbinder().open(deviceUnbind());
            assertTrue(opened.isWaitingFor(WaitReason.INSTITUTION_DECISION), opened.toString());

            env.advanceAndRun(Duration.ofHours(23));
            assertEquals(List.of(), env.events(UnbindEvent.Reminder.class));
            env.advanceAndRun(Duration.ofHours(2));
            assertEquals(1, env.events(UnbindEvent.Reminder.class).size());
        }
    }

    @Test
    void retriesAfterAnOutageRunWhenTheirTimeComesAndTheCaseCompletes() {
        try (UnbinderTestEnvironment env = environment()) {
            CaseSnapshot opened = env.unbinder().open(deviceUnbind());
            devices.failuresLeft.set(2); // the provider is down for the first two tries of the next call
            env.unbinder().recordDecision(opened.id(), Actor.operator("operator:li.na"),
                    InstitutionDecision.approved("BANK-1", clock.instant()));
            assertTrue(env.snapshot(opened.id()).isWaitingFor(WaitReason.RETRY), env.snapshot(opened.id()).toString());

            env.runUntilQuiet();
            assertTrue(env.snapshot(opened.id()).isWaitingFor(WaitReason.RETRY), "no time passed, no retry ran");
            env.advanceInSteps(Duration.ofSeconds(10), Duration.ofMinutes(5));

            assertEquals(CaseState.COMPLETED, env.snapshot(opened.id()).state(), env.snapshot(opened.id()).toString());
            assertEquals(1, env.events(UnbindEvent.CaseFinished.class).size());
        }
    }

    @Test
    void theClockOnlyMovesForward() {
        clock.advance(Duration.ofDays(1));
        assertEquals(Instant.parse("2026-11-26T02:00:00Z"), clock.instant());
        assertEquals(clock.instant(), clock.withZone(ZoneId.of("Asia/Shanghai")).instant());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> clock.set(Instant.parse("2026-11-25T02:00:00Z")));
    }

    @Test
    void anEnvironmentWithoutAProviderIsRefused() {
        assertThrows(IllegalStateException.class, () -> UnbinderTestEnvironment.builder().clock(clock).build());
    }

    private UnbinderTestEnvironment environment() {
        PaymentProvider provider = new PaymentProvider() {
            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public String id() {
                return "acme";
            }

            @Override
            public String displayName() {
                return "Acme";
            }

            @Override
            public Optional<DeviceUnbindAdapter> deviceAdapter() {
                return Optional.of(devices);
            }
        };
        return UnbinderTestEnvironment.builder().clock(clock).provider(provider)
                .configure(builder -> builder.internalReview(false)).build();
    }

    private static UnbindRequest deviceUnbind() {
        return UnbindRequest.builder()
                .provider("acme")
                .merchantNumber(MERCHANT)
                .terminalSerial(SERIAL)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(new Document.BusinessLicence("91310000MA1FL4B24G", "上海示例餐饮有限公司"),
                        new Document.TerminalInformation(SERIAL, "PAX A920"))
                .build();
    }

    /** A provider's devices that are down for a given number of calls, then take effect. */
    private static final class FlakyDevices implements DeviceUnbindAdapter {
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public Terminal readTerminal(String serialNumber) {
            return new Terminal(serialNumber, "PAX A920", TerminalStatus.ACTIVE, List.of(MERCHANT), Optional.empty(),
                    List.of());
        }

        @Override
        public TerminalDataExport exportTerminalData(String serialNumber) {
            return new TerminalDataExport(serialNumber, List.of(), Map.of());
        }

        @Override
        public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
            return answer(context);
        }

        @Override
        public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
            return answer(context);
        }

        @Override
        public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
            return answer(context);
        }

        @Override
        public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
            return answer(context);
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.empty();
        }

        private OperationOutcome answer(OperationContext context) {
            return failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                    ? OperationOutcome.retryable("503", "unavailable", Duration.ofSeconds(30))
                    : OperationOutcome.done("ACME-" + context.idempotencyKey().value());
        }
    }
}
