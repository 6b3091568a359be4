package io.posunbind.micrometer;

import static io.posunbind.micrometer.MeterNames.ABSENT;
import static io.posunbind.micrometer.MeterNames.CALL_DURATION;
import static io.posunbind.micrometer.MeterNames.CALL_OBSERVATION;
import static io.posunbind.micrometer.MeterNames.CASE_ID;
import static io.posunbind.micrometer.MeterNames.CLAIM_SIZE;
import static io.posunbind.micrometer.MeterNames.CODE;
import static io.posunbind.micrometer.MeterNames.DEAD_LETTERS;
import static io.posunbind.micrometer.MeterNames.OPERATION;
import static io.posunbind.micrometer.MeterNames.OUTCOME;
import static io.posunbind.micrometer.MeterNames.PROVIDER;
import static io.posunbind.micrometer.MeterNames.RETRIES;
import static io.posunbind.micrometer.MeterNames.STEP;
import static io.posunbind.micrometer.MeterNames.STEP_DURATION;
import static io.posunbind.micrometer.MeterNames.STEP_OBSERVATION;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.posunbind.observe.CallScope;
import io.posunbind.observe.ClaimBatch;
import io.posunbind.observe.DeadLetter;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.ProviderCall;
import io.posunbind.observe.RetryScheduled;
import io.posunbind.observe.StepScope;
import io.posunbind.observe.StepStart;
import io.posunbind.spi.API;
import java.util.Objects;

/**
 * Records what the engine does as Micrometer meters and observations: set it with
 * {@code Unbinder.builder().observer(new MicrometerEngineObserver(meterRegistry, observationRegistry))}.
 *
 * <ul>
 *   <li>every step run: a timer {@code posunbind.step.duration} (tags {@code provider}, {@code step},
 *       {@code outcome}) and an observation {@code posunbind.step}, made current while the step runs;</li>
 *   <li>every provider call: a timer {@code posunbind.provider.call.duration} (tags {@code provider},
 *       {@code operation}, {@code outcome}, {@code code}) and an observation {@code posunbind.provider.call},
 *       a child of its step's;</li>
 *   <li>counters {@code posunbind.retries} and {@code posunbind.dead.letters} (tags {@code provider},
 *       {@code step}, {@code code}) and a distribution summary {@code posunbind.claim.size} of the cases
 *       each claim of due work took.</li>
 * </ul>
 *
 * <p>Observations carry the same low-cardinality key values as the timers, plus the case id as a
 * high-cardinality key value ({@code posunbind.case.id}): tracers (OpenTelemetry, Brave through Micrometer
 * Tracing) put it on the span, meter handlers leave it out. With Spring Boot's observation-to-metrics
 * handler, the observations also become timers named {@code posunbind.step} and
 * {@code posunbind.provider.call}; the timers above are this observer's own, so they exist without it too.
 * With {@link ObservationRegistry#NOOP} no observation is made.
 *
 * <p>Thread-safe. Scopes end on the thread that started them, as {@link EngineObserver} promises, so an
 * observation's scope is opened and closed on one thread.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class MicrometerEngineObserver implements EngineObserver {

    private final MeterRegistry meters;
    private final ObservationRegistry observations;

    /** Records meters only, no observation. */
    public MicrometerEngineObserver(MeterRegistry meters) {
        this(meters, ObservationRegistry.NOOP);
    }

    /** Records meters in {@code meters} and observations in {@code observations}. */
    public MicrometerEngineObserver(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.observations = Objects.requireNonNull(observations, "observations");
    }

    @Override
    public StepScope stepStarted(StepStart step) {
        Timer.Sample sample = Timer.start(meters);
        Observation observation = Observation.createNotStarted(STEP_OBSERVATION, observations)
                .contextualName("posunbind " + step.step())
                .lowCardinalityKeyValue(PROVIDER, step.providerId())
                .lowCardinalityKeyValue(STEP, step.step().name())
                .highCardinalityKeyValue(CASE_ID, step.caseId().value())
                .start();
        Observation.Scope scope = observation.openScope();
        return (outcome, code) -> {
            sample.stop(Timer.builder(STEP_DURATION)
                    .description("How long one run of a case's step took, by provider, step kind and outcome")
                    .tag(PROVIDER, step.providerId()).tag(STEP, step.step().name()).tag(OUTCOME, outcome.name())
                    .register(meters));
            scope.close();
            observation.lowCardinalityKeyValue(OUTCOME, outcome.name())
                    .lowCardinalityKeyValue(CODE, code.orElse(ABSENT))
                    .stop();
        };
    }

    @Override
    public CallScope providerCallStarted(ProviderCall call) {
        Timer.Sample sample = Timer.start(meters);
        String step = call.step().map(Enum::name).orElse(ABSENT);
        Observation observation = Observation.createNotStarted(CALL_OBSERVATION, observations)
                .contextualName(call.providerId() + " " + call.operation())
                .lowCardinalityKeyValue(PROVIDER, call.providerId())
                .lowCardinalityKeyValue(OPERATION, call.operation())
                .lowCardinalityKeyValue(STEP, step)
                .highCardinalityKeyValue(CASE_ID, call.caseId().map(id -> id.value()).orElse(ABSENT))
                .start();
        Observation.Scope scope = observation.openScope();
        return (outcome, code) -> {
            String codeTag = code.orElse(ABSENT);
            sample.stop(Timer.builder(CALL_DURATION)
                    .description("How long a call into a provider's adapter took, by provider, operation and outcome")
                    .tag(PROVIDER, call.providerId()).tag(OPERATION, call.operation())
                    .tag(OUTCOME, outcome.name()).tag(CODE, codeTag)
                    .register(meters));
            scope.close();
            observation.lowCardinalityKeyValue(OUTCOME, outcome.name())
                    .lowCardinalityKeyValue(CODE, codeTag)
                    .stop();
        };
    }

    @Override
    public void retryScheduled(RetryScheduled retry) {
        Counter.builder(RETRIES).description("Steps scheduled again after a transient failure or an unknown outcome")
                .tag(PROVIDER, retry.providerId()).tag(STEP, retry.step().name()).tag(CODE, retry.code())
                .register(meters).increment();
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        Counter.builder(DEAD_LETTERS).description("Cases that failed and now wait for an operator")
                .tag(PROVIDER, deadLetter.providerId()).tag(STEP, deadLetter.step().map(Enum::name).orElse(ABSENT))
                .tag(CODE, deadLetter.code())
                .register(meters).increment();
    }

    @Override
    public void claimed(ClaimBatch claim) {
        DistributionSummary.builder(CLAIM_SIZE).description("Due cases each claim of this instance took")
                .baseUnit("cases").register(meters).record(claim.casesClaimed());
    }
}
