package io.posunbind.spring.boot;

import io.posunbind.Unbinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An actuator health indicator named {@code posunbind} over {@link Unbinder#health()}, for the Boot line the
 * application runs: Boot 4 moved the health API from {@code org.springframework.boot.actuate.health} to
 * {@code org.springframework.boot.health.contributor}, so each line has its own class, and each nested
 * configuration is read only when its line's types are on the class path (conditions by name, checked before the
 * class is loaded). Off with {@code management.health.posunbind.enabled=false}.
 */
@AutoConfiguration(after = PosUnbindAutoConfiguration.class)
@ConditionalOnBean(Unbinder.class)
@ConditionalOnProperty(prefix = "management.health.posunbind", name = "enabled", matchIfMissing = true)
public class PosUnbindHealthAutoConfiguration {

    /** The bean's name gives the indicator's name, {@code posunbind}. */
    static final String BEAN_NAME = "posunbindHealthIndicator";

    /** Spring Boot 3.5: the actuator's own health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3Health {

        @Bean(BEAN_NAME)
        @ConditionalOnMissingBean(name = BEAN_NAME)
        Boot3UnbinderHealthIndicator posunbindHealthIndicator(Unbinder unbinder) {
            return new Boot3UnbinderHealthIndicator(unbinder);
        }
    }

    /** Spring Boot 4: the health API of the module spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot4Health {

        @Bean(BEAN_NAME)
        @ConditionalOnMissingBean(name = BEAN_NAME)
        Boot4UnbinderHealthIndicator posunbindHealthIndicator(Unbinder unbinder) {
            return new Boot4UnbinderHealthIndicator(unbinder);
        }
    }
}
