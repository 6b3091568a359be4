package io.posunbind.spring.boot;

import io.posunbind.Unbinder;
import io.posunbind.observe.EngineHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The engine's health for Spring Boot 4 ({@code org.springframework.boot.health.contributor}, in the module
 * spring-boot-health): DOWN when the store does not answer, UP otherwise; a DEGRADED engine (dead letters, worker
 * lag, an unreachable provider) stays UP, so that probes do not restart a working instance, and says so in
 * {@code engine} and {@code degradedBy}.
 * Loaded only where those types exist (see {@link PosUnbindHealthAutoConfiguration}). Thread-safe.
 */
public final class Boot4UnbinderHealthIndicator implements HealthIndicator {

    private final Unbinder unbinder;

    /** The health of this unbinder. */
    public Boot4UnbinderHealthIndicator(Unbinder unbinder) {
        this.unbinder = Objects.requireNonNull(unbinder, "unbinder");
    }

    @Override
    public Health health() {
        EngineHealth health = unbinder.health();
        Health.Builder builder = health.status() == EngineHealth.Status.DOWN ? Health.down() : Health.up();
        return builder.withDetails(EngineHealthDetails.of(health)).build();
    }
}
