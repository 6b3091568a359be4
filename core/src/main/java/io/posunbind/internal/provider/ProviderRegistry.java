package io.posunbind.internal.provider;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SpiVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers an engine may use, by id: given as instances, created by explicitly given factories, or
 * found with {@link ServiceLoader} (plain providers and factories) on an explicit class loader, one broken
 * provider isolated from the others. Every provider's requested SPI version is checked. The registry owns
 * the providers it created (by factory or discovery) and closes them in {@link #close()}; instances given
 * to it belong to the caller. Thread-safe; immutable but for closing.
 */
public final class ProviderRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    private final Map<String, List<PaymentProvider>> byId;
    private final List<PaymentProvider> owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProviderRegistry(Map<String, List<PaymentProvider>> byId, List<PaymentProvider> owned) {
        this.byId = byId;
        this.owned = owned;
    }

    /**
     * Builds a registry from explicitly given providers and, when {@code classLoader} is not null, those
     * registered on it. Explicit providers win over discovered ones with the same id.
     */
    public static ProviderRegistry create(Collection<PaymentProvider> explicit, ClassLoader classLoader) {
        return create(explicit, List.of(), Map.of(), classLoader);
    }

    /**
     * Builds a registry. Explicit providers and factories win over discovered ones with the same id. A
     * factory is given the settings for its id, or empty settings.
     *
     * <p>A discovered provider or factory that cannot be loaded, is incompatible, fails in any way (its id,
     * its version, creating its provider throws or answers null) is logged with its code and left out,
     * unless the host gave settings for its id: then the host means to use it and the failure is thrown,
     * as it is for everything given explicitly.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#PROVIDER_INCOMPATIBLE},
     *         {@link CoreErrorCode#PROVIDER_BROKEN}, or the factory's own error (for example
     *         {@code PRV-SETTING-MISSING}); providers created before are closed
     */
    public static ProviderRegistry create(Collection<PaymentProvider> explicit,
            Collection<PaymentProviderFactory> explicitFactories, Map<String, ProviderSettings> settingsById,
            ClassLoader classLoader) {
        Map<String, List<PaymentProvider>> byId = new LinkedHashMap<>();
        List<PaymentProvider> owned = new ArrayList<>();
        try {
            Set<String> explicitIds = new HashSet<>();
            for (PaymentProvider provider : explicit) {
                String id = idOf(provider);
                checkVersion("Provider " + id, provider);
                byId.computeIfAbsent(id, key -> new ArrayList<>()).add(provider);
                explicitIds.add(id);
            }
            for (PaymentProviderFactory factory : explicitFactories) {
                PaymentProvider provider = createWith(factory, settingsById, owned);
                byId.computeIfAbsent(provider.id(), id -> new ArrayList<>()).add(provider);
                explicitIds.add(provider.id());
            }
            if (classLoader != null) {
                for (PaymentProvider provider : discover(classLoader, explicitIds, settingsById, owned)) {
                    byId.computeIfAbsent(provider.id(), id -> new ArrayList<>()).add(provider);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            closeAll(owned);
            throw e;
        }
        for (String id : settingsById.keySet()) {
            if (!byId.containsKey(id)) {
                LOG.warn("Settings were given for payment provider '{}', but no such provider or factory is installed",
                        id);
            }
        }
        return new ProviderRegistry(Map.copyOf(byId), List.copyOf(owned));
    }

    private static List<PaymentProvider> discover(ClassLoader classLoader, Set<String> explicitIds,
            Map<String, ProviderSettings> settingsById, List<PaymentProvider> owned) {
        List<PaymentProvider> found = new ArrayList<>();
        ServiceLoader<PaymentProvider> loader = ServiceLoader.load(PaymentProvider.class, classLoader);
        for (ServiceLoader.Provider<PaymentProvider> candidate : loader.stream().toList()) {
            String id = null;
            try {
                PaymentProvider provider = candidate.get();
                owned.add(provider); // created here, so closed here, even when left out below
                id = idOf(provider);
                if (explicitIds.contains(id)) {
                    continue;
                }
                checkVersion("Provider " + id, provider);
                found.add(provider);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                leaveOut("payment provider", candidate.type().getName(), id, settingsById, e);
            }
        }
        ServiceLoader<PaymentProviderFactory> factories = ServiceLoader.load(PaymentProviderFactory.class, classLoader);
        for (ServiceLoader.Provider<PaymentProviderFactory> candidate : factories.stream().toList()) {
            String id = null;
            try {
                PaymentProviderFactory factory = candidate.get();
                id = idOf(factory);
                if (!explicitIds.contains(id)) {
                    found.add(createWith(factory, settingsById, owned));
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                leaveOut("payment provider factory", candidate.type().getName(), id, settingsById, e);
            }
        }
        found.sort(Comparator.comparing(PaymentProvider::id).thenComparing(p -> p.getClass().getName()));
        return found;
    }

    /**
     * Leaves a discovered provider or factory out, so that one broken jar on the class path does not stop
     * every engine (as SLF4J isolates its providers), unless the host configured it: then it must not
     * silently go missing, and the failure is thrown, coded.
     */
    private static void leaveOut(String what, String type, String id, Map<String, ProviderSettings> settingsById,
            Throwable failure) {
        PosUnbindException coded = failure instanceof PosUnbindException known ? known
                : new PosUnbindException(CoreErrorCode.PROVIDER_BROKEN, "The " + what + " " + type + " failed while"
                        + " the engine loaded it: " + failure.getClass().getName(), null, failure);
        if (id != null && settingsById.containsKey(id)) {
            throw coded;
        }
        LOG.warn("Ignoring {} {} ({}): {}", what, type, coded.errorCode().code(), coded.getMessage());
    }

    private static PaymentProvider createWith(PaymentProviderFactory factory, Map<String, ProviderSettings> settingsById,
            List<PaymentProvider> owned) {
        String id = idOf(factory);
        String who = "Provider factory " + id + " (" + factory.getClass().getName() + ")";
        checkVersion(who, requestedVersionOf(who, factory::requestedSpiVersion));
        PaymentProvider provider;
        try {
            provider = factory.create(settingsById.getOrDefault(id, ProviderSettings.empty()));
        } catch (PosUnbindException e) {
            throw e; // coded by the factory, for example PRV-SETTING-MISSING naming the key
        } catch (RuntimeException e) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_BROKEN, who + " failed to create its provider: "
                    + e.getClass().getName(), null, e);
        }
        if (provider == null) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_BROKEN, who + " created null instead of a provider");
        }
        owned.add(provider);
        String createdId = idOf(provider);
        checkVersion("Provider " + createdId, provider);
        if (!createdId.equals(id)) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_INCOMPATIBLE, "Provider factory " + id
                    + " created a provider with id '" + createdId + "'; a factory must create providers of its own id");
        }
        return provider;
    }

    private static String idOf(PaymentProvider provider) {
        return idOf("Provider " + provider.getClass().getName(), provider::id);
    }

    private static String idOf(PaymentProviderFactory factory) {
        return idOf("Provider factory " + factory.getClass().getName(), factory::id);
    }

    /** The id an adapter answers; a throw or null is the adapter's fault, coded so the host can tell. */
    private static String idOf(String who, Supplier<String> id) {
        String answered;
        try {
            answered = id.get();
        } catch (RuntimeException e) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_BROKEN, who + " failed to tell its id: "
                    + e.getClass().getName(), null, e);
        }
        if (answered == null || answered.isBlank()) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_BROKEN, who + " has no id (it answered "
                    + (answered == null ? "null" : "a blank id") + ")");
        }
        return answered;
    }

    private static void checkVersion(String who, PaymentProvider provider) {
        checkVersion(who, requestedVersionOf(who, provider::requestedSpiVersion));
    }

    private static String requestedVersionOf(String who, Supplier<String> requested) {
        try {
            return requested.get();
        } catch (AbstractMethodError e) {
            // Built against SPI 1.x, which had no requestedSpiVersion(): the JVM finds no implementation.
            return "1.x";
        } catch (RuntimeException e) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_BROKEN, who + " failed to tell its SPI version: "
                    + e.getClass().getName(), null, e);
        }
    }

    /**
     * Accepts the same major version and a minor version no newer than the engine's: a newer minor may
     * call default methods this engine's SPI does not have.
     */
    static void checkVersion(String who, String requested) {
        Matcher version = VERSION.matcher(requested == null ? "" : requested);
        boolean compatible = version.matches()
                && Integer.parseInt(version.group(1)) == SpiVersion.MAJOR
                && Integer.parseInt(version.group(2)) <= SpiVersion.MINOR;
        if (!compatible) {
            throw new PosUnbindException(CoreErrorCode.PROVIDER_INCOMPATIBLE, who + " was built against posunbind SPI "
                    + requested + " but this engine speaks SPI " + SpiVersion.CURRENT + " (it accepts "
                    + SpiVersion.MAJOR + ".0 to " + SpiVersion.CURRENT + "); rebuild the adapter against posunbind-spi "
                    + SpiVersion.CURRENT + " or use an engine of its version");
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

    /**
     * This registry with every provider passed through {@code decorate} (the engine's limits on calls);
     * the returned registry takes over closing the providers this one created: close it, not this one.
     */
    public ProviderRegistry decoratedWith(UnaryOperator<PaymentProvider> decorate) {
        Map<String, List<PaymentProvider>> decorated = new LinkedHashMap<>();
        byId.forEach((id, matches) -> decorated.put(id, matches.stream().map(decorate).toList()));
        return new ProviderRegistry(decorated, owned);
    }

    /** The ids of all usable providers, sorted. */
    public List<String> ids() {
        return byId.keySet().stream().sorted().toList();
    }

    /** Closes every provider this registry created, once; a failing close is logged and the others still close. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(owned);
        }
    }

    private static void closeAll(List<PaymentProvider> providers) {
        for (PaymentProvider provider : providers) {
            try {
                provider.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Closing payment provider {} failed: {}", provider.getClass().getName(), e.toString());
            }
        }
    }
}
