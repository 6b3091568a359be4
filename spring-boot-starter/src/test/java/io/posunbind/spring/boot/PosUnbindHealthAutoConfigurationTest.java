package io.posunbind.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.store.CaseStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The actuator health indicator, on whichever Boot line runs these tests: Boot 3.5's type in the starter and in
 * boot35-managed, Boot 4's in boot40-managed. Read through reflection, since the two lines' Health types differ.
 */
class PosUnbindHealthAutoConfigurationTest {

    @TempDir
    Path folder;

    private ApplicationContextRunner application() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PosUnbindAutoConfiguration.class,
                        PosUnbindHealthAutoConfiguration.class))
                .withPropertyValues("posunbind.store.directory=" + folder.resolve("data"),
                        "posunbind.providers.sandbox.backend=fresh", "posunbind.worker.enabled=false");
    }

    @Test
    void theHealthIndicatorOfThisBootLineReportsTheStoreAndTheProviders() {
        application().run(context -> {
            assertNull(context.getStartupFailure());
            Object indicator = context.getBean(PosUnbindHealthAutoConfiguration.BEAN_NAME);
            assertTrue(indicator.getClass().getSimpleName().startsWith(expectedIndicator()),
                    indicator.getClass().getName());

            Object health = indicator.getClass().getMethod("health").invoke(indicator);

            Object status = health.getClass().getMethod("getStatus").invoke(health);
            assertEquals("UP", status.getClass().getMethod("getCode").invoke(status));
            Map<?, ?> details = (Map<?, ?>) health.getClass().getMethod("getDetails").invoke(health);
            assertEquals("UP", details.get("engine"));
            assertEquals(Map.of("reachable", true), details.get("store"));
            assertTrue(((Map<?, ?>) details.get("providers")).containsKey("sandbox"), details.toString());
        });
    }

    @Test
    void theStoreGoneDownMakesTheIndicatorDownWithTheStoresCode() {
        application().run(context -> {
            Object indicator = context.getBean(PosUnbindHealthAutoConfiguration.BEAN_NAME);
            ((AutoCloseable) context.getBean(CaseStore.class)).close();

            Object health = indicator.getClass().getMethod("health").invoke(indicator);

            Object status = health.getClass().getMethod("getStatus").invoke(health);
            assertEquals("DOWN", status.getClass().getMethod("getCode").invoke(status));
            Map<?, ?> store = (Map<?, ?>) ((Map<?, ?>) health.getClass().getMethod("getDetails").invoke(health))
                    .get("store");
            assertEquals(false, store.get("reachable"));
            assertTrue(String.valueOf(store.get("errorCode")).startsWith("UNB-"), store.toString());
        });
    }

    @Test
    void thePropertyTurnsTheIndicatorOff() {
        application().withPropertyValues("management.health.posunbind.enabled=false").run(context ->
                assertFalse(context.containsBean(PosUnbindHealthAutoConfiguration.BEAN_NAME)));
    }

    /** Which line's indicator: Boot 4 only where Boot 3.5's health types are absent. */
    private static String expectedIndicator() {
        try {
            Class.forName("org.springframework.boot.actuate.health.HealthIndicator");
            return "Boot3";
        } catch (ClassNotFoundException e) {
            return "Boot4";
        }
    }
}
