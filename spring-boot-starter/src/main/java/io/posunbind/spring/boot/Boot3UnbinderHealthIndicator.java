package io.posunbind.spring.boot;

import io.posunbind.Unbinder;
import io.posunbind.observe.EngineHealth;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The engine's health for Spring Boot 3.5's actuator ({@code org.springframework.boot.actuate.health}): DOWN when
 * the store does not answer, UP otherwise; a DEGRADED engine (dead letters, worker lag, an unreachable provider)
 * stays UP, so that probes do not restart a working instance, and says so in {@code engine} and {@code degradedBy}.
 * Loaded only where those types exist (see {@link PosUnbindHealthAutoConfiguration}). Thread-safe.
 */
public final class Boot3UnbinderHealthIndicator implements HealthIndicator {

    private final Unbinder unbinder;

    /** The health of this unbinder. */
    public Boot3UnbinderHealthIndicator(Unbinder unbinder) {
        this.unbinder = Objects.requireNonNull(unbinder, "unbinder");
    }

    @Override
    public Health health() {
        EngineHealth health = unbinder.health();
        Health.Builder builder = health.status() == EngineHealth.Status.DOWN ? Health.down() : Health.up();
        return builder.withDetails(EngineHealthDetails.of(health)).build();
    }
}
