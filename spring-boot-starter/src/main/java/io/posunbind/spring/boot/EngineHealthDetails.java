package io.posunbind.spring.boot;

import io.posunbind.observe.EngineHealth;
import io.posunbind.observe.ProviderHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The details an actuator health indicator shows for {@link EngineHealth}, the same on both Boot lines: the store,
 * each provider's reachability, the worker's lag, the dead-lettered cases and what degrades the engine. Codes and
 * counts only, never a case's data.
 *
 * <p>Stateless and thread-safe.
 */
final class EngineHealthDetails {

    private EngineHealthDetails() {
    }

    static Map<String, Object> of(EngineHealth health) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", health.status().name());
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("reachable", health.store().reachable());
        health.store().errorCode().ifPresent(code -> store.put("errorCode", code));
        details.put("store", store);
        Map<String, Object> providers = new LinkedHashMap<>();
        for (ProviderHealth provider : health.providers()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("reachability", provider.reachability().name());
            one.put("unansweredInRow", provider.unansweredInRow());
            provider.lastCallAt().ifPresent(at -> one.put("lastCallAt", at.toString()));
            provider.lastFailureCode().ifPresent(code -> one.put("lastFailureCode", code));
            providers.put(provider.providerId(), one);
        }
        details.put("providers", providers);
        health.workerLag().ifPresent(lag -> details.put("workerLag", lag.toString()));
        if (health.deadLetteredCases().isPresent()) {
            details.put("deadLetteredCases", health.deadLetteredCases().getAsLong());
        }
        details.put("degradedBy", health.degradedBy());
        details.put("checkedAt", health.checkedAt().toString());
        return details;
    }
}
