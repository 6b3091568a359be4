package io.posunbind.internal.provider;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.SpiVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers an engine may use, by id. Found with {@link ServiceLoader} on an explicit class loader,
 * one broken provider isolated from the others, or given explicitly. Immutable and thread-safe.
 */
public final class ProviderRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    private final Map<String, List<PaymentProvider>> byId;

    private ProviderRegistry(Map<String, List<PaymentProvider>> byId) {
        this.byId = byId;
    }

    /**
     * Builds a registry from explicitly given providers and, when {@code classLoader} is not null, those
     * registered on it. Explicit providers win over discovered ones with the same id.
     */
    public static ProviderRegistry create(Collection<PaymentProvider> explicit, ClassLoader classLoader) {
        Map<String, List<PaymentProvider>> byId = new LinkedHashMap<>();
        for (PaymentProvider provider : explicit) {
            checkVersion(provider);
            byId.computeIfAbsent(provider.id(), id -> new ArrayList<>()).add(provider);
        }
        if (classLoader != null) {
            List<PaymentProvider> discovered = discover(classLoader);
            for (PaymentProvider provider : discovered) {
                if (byId.containsKey(provider.id()) && explicit.stream().anyMatch(p -> p.id().equals(provider.id()))) {
                    continue;
                }
                byId.computeIfAbsent(provider.id(), id -> new ArrayList<>()).add(provider);
            }
        }
        return new ProviderRegistry(Map.copyOf(byId));
    }

    private static List<PaymentProvider> discover(ClassLoader classLoader) {
        List<PaymentProvider> found = new ArrayList<>();
        ServiceLoader<PaymentProvider> loader = ServiceLoader.load(PaymentProvider.class, classLoader);
        for (ServiceLoader.Provider<PaymentProvider> candidate : loader.stream().toList()) {
            try {
                PaymentProvider provider = candidate.get();
                checkVersion(provider);
                found.add(provider);
            } catch (ServiceConfigurationError | PosUnbindException | LinkageError e) {
                // One broken provider must not hide the others (as SLF4J does with its providers).
                LOG.warn("Ignoring payment provider {}: {}", candidate.type().getName(), e.getMessage());
            }
        }
        found.sort(Comparator.comparing(PaymentProvider::id).thenComparing(p -> p.getClass().getName()));
        return found;
    }

    private static void checkVersion(PaymentProvider provider) {
        int major = SpiVersion.majorOf(provider.spiVersion());
        if (major != SpiVersion.MAJOR) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_INCOMPATIBLE,
                    "Provider " + provider.id() + " was built for SPI " + major + ".x but this engine speaks "
                            + SpiVersion.MAJOR + ".x; use a matching posunbind-spi version");
        }
    }

    /**
     * The provider with this id.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#PROVIDER_NOT_FOUND} or
     *         {@link CoreErrorCode#PROVIDER_AMBIGUOUS}
     */
    public PaymentProvider require(String id) {
        List<PaymentProvider> matches = byId.get(id);
        if (matches == null || matches.isEmpty()) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_NOT_FOUND,
                    "No payment provider with id '" + id + "'; known: " + byId.keySet()
                            + ". Put the provider's jar on the class path or pass it to the builder");
        }
        if (matches.size() > 1) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_AMBIGUOUS,
                    "Several payment providers claim id '" + id + "': "
                            + matches.stream().map(p -> p.getClass().getName()).toList()
                            + ". Remove one from the class path or pass the one you mean to the builder");
        }
        return matches.get(0);
    }

    /** The ids of all usable providers, sorted. */
    public List<String> ids() {
        return byId.keySet().stream().sorted().toList();
    }
}
