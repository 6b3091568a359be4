package io.posunbind.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.testkit.app.TestClock;
import io.posunbind.testkit.app.UnbinderTestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard shows when things go wrong: a provider down for a while (retries, unavailable calls),
 * a refusal for good (a dead letter), and due work nobody claims (worker lag), counted without asking the
 * store at every scrape.
 */
class FailuresAndBacklogMetricsTest {

    private static final String SERIAL = "0820000001";
    private static final Actor OPERATOR = Actor.operator("operator:li.na");

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-25T02:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final AcmeDevices devices = new AcmeDevices();

    @Test
    void aProviderDownForTwoCallsCountsTwoRetriesAndItsUnavailableCalls() {
        try (UnbinderTestEnvironment env = environment()) {
            devices.unavailableFor.set(2); // the next two mutating calls: the first step that changes something
            CaseId id = approved(env);
            assertTrue(env.snapshot(id).isWaitingFor(WaitReason.RETRY));
            env.advanceInSteps(Duration.ofSeconds(10), Duration.ofMinutes(10));
            assertEquals(CaseState.COMPLETED, env.snapshot(id).state(), env.snapshot(id).describe(Locale.ENGLISH));
        }
        System.out.println("Meters after two retries:\n  " + String.join("\n  ", OneCaseMetricsTest.describe(meters)));
        assertEquals(2.0, meters.get("posunbind.retries").tag("provider", AcmeDevices.ID).tag("step", "DISABLE_TERMINAL")
                .tag("code", "PRV-UNAVAILABLE").counter().count());
        assertEquals(2, meters.get("posunbind.provider.call.duration").tag("operation", "DeviceUnbindAdapter.disableTerminal")
                .tag("outcome", "RETRYABLE_FAILURE").tag("code", "PRV-UNAVAILABLE").timer().count());
        assertEquals(2, meters.get("posunbind.step.duration").tag("step", "DISABLE_TERMINAL").tag("outcome", "RETRY")
                .timer().count());
        DistributionSummary claims = meters.get("posunbind.claim.size").summary();
        assertTrue(claims.count() >= 2 && claims.totalAmount() == 2.0,
                "each retry was claimed once by the environment's runs: " + claims.count() + " claims, "
                        + claims.totalAmount() + " cases");
        assertEquals(2.0, meters.get("posunbind.claims.cases").functionCounter().count());
        TestObservationRegistryAssert.assertThat(observations).hasAnObservation(call -> call
                .hasNameEqualTo("posunbind.provider.call")
                .hasLowCardinalityKeyValue("outcome", "RETRYABLE_FAILURE")
                .hasLowCardinalityKeyValue("code", "PRV-UNAVAILABLE"));
    }

    @Test
    void aRefusalForGoodCountsADeadLetterAndShowsOnTheGauge() {
        devices.refusing = true;
        try (UnbinderTestEnvironment env = environment()) {
            CaseId id = approved(env);
            assertEquals(CaseState.FAILED, env.snapshot(id).state());
            assertEquals(1.0, meters.get("posunbind.dead.letters").tag("provider", AcmeDevices.ID)
                    .tag("step", "DISABLE_TERMINAL").tag("code", "PRV-TERMINAL-STATE").counter().count());
            assertEquals(1.0, meters.get("posunbind.cases.dead.lettered").gauge().value());
            assertEquals(1.0, meters.get("posunbind.cases").tag("state", "FAILED").gauge().value());
            assertEquals(1, meters.get("posunbind.provider.call.duration").tag("outcome", "REJECTED")
                    .tag("code", "PRV-TERMINAL-STATE").timer().count());
        }
    }

    @Test
    void dueWorkNobodyClaimsShowsAsWorkerLagAndTheStoreIsCountedOncePerInterval() {
        try (UnbinderTestEnvironment env = environment(WaitPolicy.none(), Duration.ofSeconds(30))) {
            assertEquals(0.0, meters.get("posunbind.cases").tag("state", "RUNNING").gauge().value());
            env.unbinder().open(CaseId.of("order-4712"), request(), WaitPolicy.none());
            assertEquals(0.0, meters.get("posunbind.cases").tag("state", "RUNNING").gauge().value(),
                    "counted 0 s ago: the count is reused, not taken again for this scrape");

            clock.advance(Duration.ofMinutes(5));
            assertEquals(1.0, meters.get("posunbind.cases").tag("state", "RUNNING").gauge().value());
            assertEquals(300.0, meters.get("posunbind.worker.lag").timeGauge().value());

            env.runUntilQuiet();
            clock.advance(Duration.ofSeconds(30));
            assertEquals(0.0, meters.get("posunbind.worker.lag").timeGauge().value());
            assertEquals(1.0, meters.get("posunbind.cases.waiting").tag("reason", "INSTITUTION_DECISION").gauge().value());
        }
    }

    private CaseId approved(UnbinderTestEnvironment env) {
        CaseSnapshot opened = env.unbinder().open(CaseId.of("order-4711"), request());
        assertTrue(opened.isWaitingFor(WaitReason.INSTITUTION_DECISION), opened.describe(Locale.ENGLISH));
        env.unbinder().recordDecision(opened.id(), OPERATOR, InstitutionDecision.approved("BANK-1", clock.instant()));
        return opened.id();
    }

    private UnbinderTestEnvironment environment() {
        return environment(WaitPolicy.inline(), Duration.ZERO);
    }

    private UnbinderTestEnvironment environment(WaitPolicy commandWait, Duration countEvery) {
        UnbinderTestEnvironment env = UnbinderTestEnvironment.builder().clock(clock).provider(devices.provider())
                .configure(builder -> builder.commandWait(commandWait)
                        .observer(new MicrometerEngineObserver(meters, observations)))
                .build();
        new UnbinderMetrics(env.unbinder(), clock, countEvery).bindTo(meters);
        return env;
    }

    private static UnbindRequest request() {
        return UnbindRequest.builder().provider(AcmeDevices.ID).merchantNumber(AcmeDevices.MERCHANT)
                .terminalSerial(SERIAL).reason(UnbindReason.PAYMENT_SYSTEM_CHANGE).scope(BindingKind.DEVICE)
                .requestedBy(OPERATOR)
                .documents(new Document.BusinessLicence("91310000MA1FL4B24G", "上海示例餐饮有限公司"),
                        new Document.TerminalInformation(SERIAL, "PAX A920"))
                .build();
    }
}
