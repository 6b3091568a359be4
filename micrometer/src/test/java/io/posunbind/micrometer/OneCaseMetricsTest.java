package io.posunbind.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation.ContextView;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.testkit.app.TestClock;
import io.posunbind.testkit.app.UnbinderTestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * An operations team's dashboard and traces for one case, opened, approved by the institution and completed:
 * the exact meters and observations posunbind leaves, with Micrometer's own test registries.
 */
class OneCaseMetricsTest {

    private static final CaseId CASE = CaseId.of("order-4711");
    private static final String SERIAL = "0820000001";

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-25T02:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final RecordedObservations recorded = new RecordedObservations();
    private final AcmeDevices devices = new AcmeDevices();

    @Test
    void oneCompletedCaseLeavesTheseMetersAndTheseObservations() {
        observations.observationConfig().observationHandler(recorded);
        try (UnbinderTestEnvironment env = environment()) {
            new UnbinderMetrics(env.unbinder(), clock, Duration.ZERO).bindTo(meters);

            CaseSnapshot opened = env.unbinder().open(CASE, request());
            assertTrue(opened.isWaitingFor(WaitReason.INSTITUTION_DECISION), opened.describe(Locale.ENGLISH));
            assertEquals(1.0, gauge("posunbind.cases.waiting", "reason", "INSTITUTION_DECISION"));
            assertEquals(1.0, gauge("posunbind.cases", "state", "WAITING"));

            CaseSnapshot done = env.unbinder().recordDecision(CASE, Actor.operator("operator:li.na"),
                    InstitutionDecision.approved("BANK-1", clock.instant()));
            assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));

            List<String> meterLines = describe(meters);
            List<String> observationLines = recorded.lines();
            System.out.println("Meters after one completed case:\n  " + String.join("\n  ", meterLines));
            System.out.println("Observations of one completed case:\n  " + String.join("\n  ", observationLines));

            assertEquals(1.0, gauge("posunbind.cases", "state", "COMPLETED"));
            assertEquals(0.0, gauge("posunbind.cases.waiting", "reason", "INSTITUTION_DECISION"));
            assertEquals(0.0, gauge("posunbind.cases.dead.lettered", null, null));
            assertEquals(0.0, meters.get("posunbind.worker.lag").timeGauge().value());
            assertEquals(EXPECTED_TIMERS, timers(), "the step and provider-call timers of one case");
            assertTrue(meters.find("posunbind.retries").counters().isEmpty(), "no retry in this case");
            assertTrue(meters.find("posunbind.dead.letters").counters().isEmpty(), "no dead letter in this case");
        }

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("posunbind.step", 9)
                .hasNumberOfObservationsWithNameEqualTo("posunbind.provider.call", 8)
                .forAllObservationsWithNameEqualTo("posunbind.provider.call", call -> call
                        .hasHighCardinalityKeyValue("posunbind.case.id", CASE.value())
                        .hasLowCardinalityKeyValue("provider", AcmeDevices.ID)
                        .hasLowCardinalityKeyValue("outcome", "SUCCEEDED")
                        .hasParentObservationContextMatching(parent -> ((ContextView) parent).getName().equals("posunbind.step")))
                .forAllObservationsWithNameEqualTo("posunbind.step", step -> step
                        .hasHighCardinalityKeyValue("posunbind.case.id", CASE.value())
                        .doesNotHaveLowCardinalityKeyValueWithKey("posunbind.case.id")
                        .doesNotHaveParentObservation());
    }

    /**
     * Every timer by name and tags, with its count, for the case: eight steps run (the approval twice: it waits,
     * then the recorded decision ends it), eight provider calls (a {@code prepare} before each of the three
     * mutating calls).
     */
    private static final List<String> EXPECTED_TIMERS = List.of(
            "posunbind.provider.call.duration{code=none,operation=DeviceUnbindAdapter.decommissionTerminal,outcome=SUCCEEDED,provider=acme} count=1",
            "posunbind.provider.call.duration{code=none,operation=DeviceUnbindAdapter.disableTerminal,outcome=SUCCEEDED,provider=acme} count=1",
            "posunbind.provider.call.duration{code=none,operation=DeviceUnbindAdapter.exportTerminalData,outcome=SUCCEEDED,provider=acme} count=1",
            "posunbind.provider.call.duration{code=none,operation=DeviceUnbindAdapter.prepare,outcome=SUCCEEDED,provider=acme} count=3",
            "posunbind.provider.call.duration{code=none,operation=DeviceUnbindAdapter.readTerminal,outcome=SUCCEEDED,provider=acme} count=1",
            "posunbind.provider.call.duration{code=none,operation=DeviceUnbindAdapter.unbindTerminal,outcome=SUCCEEDED,provider=acme} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=BACK_UP_TERMINAL_DATA} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=CHECK_DOCUMENTS} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=DECOMMISSION_TERMINAL} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=DISABLE_TERMINAL} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=OBTAIN_INSTITUTION_APPROVAL} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=TAKE_INVENTORY} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=UNBIND_TERMINAL} count=1",
            "posunbind.step.duration{outcome=DONE,provider=acme,step=VERIFY_COMPLETION} count=1",
            "posunbind.step.duration{outcome=WAITING,provider=acme,step=OBTAIN_INSTITUTION_APPROVAL} count=1");

    private List<String> timers() {
        return meters.getMeters().stream().filter(meter -> meter.getId().getType() == Meter.Type.TIMER)
                .map(meter -> meter.getId().getName() + tags(meter) + " count=" + meters.get(meter.getId().getName())
                        .tags(meter.getId().getTags()).timer().count())
                .sorted().toList();
    }

    private double gauge(String name, String tag, String value) {
        return (tag == null ? meters.get(name) : meters.get(name).tag(tag, value)).gauge().value();
    }

    static List<String> describe(MeterRegistry registry) {
        return registry.getMeters().stream().sorted(Comparator.comparing((Meter meter) -> meter.getId().getName())
                        .thenComparing(OneCaseMetricsTest::tags))
                .map(meter -> meter.getId().getType() + " " + meter.getId().getName() + tags(meter) + " "
                        + StreamSupport.stream(meter.measure().spliterator(), false)
                                .map(measurement -> measurement.getStatistic() + "=" + measurement.getValue())
                                .filter(text -> !text.startsWith("TOTAL_TIME") && !text.startsWith("MAX"))
                                .collect(Collectors.joining(",")))
                .toList();
    }

    private static String tags(Meter meter) {
        return meter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private UnbinderTestEnvironment environment() {
        return UnbinderTestEnvironment.builder().clock(clock).provider(devices.provider())
                .configure(builder -> builder.observer(new MicrometerEngineObserver(meters, observations))).build();
    }

    private static UnbindRequest request() {
        return UnbindRequest.builder().provider(AcmeDevices.ID).merchantNumber(AcmeDevices.MERCHANT)
                .terminalSerial(SERIAL).reason(UnbindReason.PAYMENT_SYSTEM_CHANGE).scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(new Document.BusinessLicence("91310000MA1FL4B24G", "上海示例餐饮有限公司"),
                        new Document.TerminalInformation(SERIAL, "PAX A920"))
                .build();
    }
}
