/**
 * Micrometer meters and observations for a posunbind {@code Unbinder}: {@link io.posunbind.micrometer.UnbinderMetrics}
 * binds the gauges and function counters, {@link io.posunbind.micrometer.MicrometerEngineObserver} records
 * timers, counters and observations of every step and provider call.
 */
module io.posunbind.micrometer {
    requires transitive io.posunbind.core;
    requires transitive micrometer.core;
    requires transitive micrometer.observation;
    requires micrometer.commons;
    requires org.slf4j;

    exports io.posunbind.micrometer;
}
