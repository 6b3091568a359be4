/**
 * Micrometer for posunbind, with or without Spring:
 *
 * <pre>{@code
 * MicrometerEngineObserver observer = new MicrometerEngineObserver(meterRegistry, observationRegistry);
 * Unbinder unbinder = Unbinder.builder().store(store).observer(observer).build();
 * new UnbinderMetrics(unbinder).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Meter and observation names start with {@code posunbind.}; tags carry provider ids, step kinds,
 * operation names, outcomes and error codes only (few values each). The case id is a high-cardinality key
 * value of observations, for traces, never a meter tag. Null is not a value in this package.
 */
package io.posunbind.micrometer;
