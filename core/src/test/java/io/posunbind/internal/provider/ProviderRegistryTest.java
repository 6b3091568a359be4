package io.posunbind.internal.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.Secret;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

class ProviderRegistryTest {

    /** Registered in src/test/resources/META-INF/services: a working provider. */
    public static final class WorkingProvider implements PaymentProvider {
        @Override
        public String id() {
            return "working";
        }

        @Override
        public String displayName() {
            return "Working";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }
    }

    /** Registered too: its constructor fails, which must not hide the working one. */
    public static final class BrokenProvider implements PaymentProvider {
        public BrokenProvider() {
            throw new IllegalStateException("misconfigured");
        }

        @Override
        public String id() {
            return "broken";
        }

        @Override
        public String displayName() {
            return "Broken";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }
    }

    /** Registered too: built for a future SPI major version. */
    public static final class FutureProvider implements PaymentProvider {
        @Override
        public String id() {
            return "future";
        }

        @Override
        public String displayName() {
            return "Future";
        }

        @Override
        public String requestedSpiVersion() {
            return (SpiVersion.MAJOR + 1) + ".0";
        }
    }

    /**
     * Registered in src/test/resources/META-INF/services/io.posunbind.spi.PaymentProviderFactory: creates a
     * provider that needs a base URI and an API key, and records whether it was closed.
     */
    public static final class ConfiguredFactory implements PaymentProviderFactory {
        @Override
        public String id() {
            return "configured";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            return new ConfiguredProvider(settings.uri("base-uri"), settings.secret("api-key"));
        }
    }

    /** What {@link ConfiguredFactory} creates. */
    public static final class ConfiguredProvider implements PaymentProvider {
        final URI baseUri;
        final Secret apiKey;
        final AtomicInteger closings = new AtomicInteger();

        ConfiguredProvider(URI baseUri, Secret apiKey) {
            this.baseUri = baseUri;
            this.apiKey = apiKey;
        }

        @Override
        public String id() {
            return "configured";
        }

        @Override
        public String displayName() {
            return "Configured";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public void close() {
            closings.incrementAndGet();
        }

        @Override
        public String toString() {
            return "ConfiguredProvider[" + baseUri + ", " + apiKey + "]";
        }
    }

    /** On the class path, configured by nobody: throws a NullPointerException on empty settings. */
    public static final class NpeOnEmptySettingsFactory implements PaymentProviderFactory {
        @Override
        public String id() {
            return "npe-factory";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            String baseUri = settings.optionalString("base-uri").orElse(null);
            return named(baseUri.strip()); // the author never tried it without settings
        }
    }

    /** On the class path: creates null. */
    public static final class NullCreatingFactory implements PaymentProviderFactory {
        @Override
        public String id() {
            return "null-factory";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            return null;
        }
    }

    /** On the class path: its id() throws. */
    public static final class IdThrowsProvider implements PaymentProvider {
        @Override
        public String id() {
            throw new IllegalStateException("id not configured");
        }

        @Override
        public String displayName() {
            return "Id throws";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }
    }

    /** On the class path: its id() is null. */
    public static final class NullIdProvider implements PaymentProvider {
        @Override
        public String id() {
            return null;
        }

        @Override
        public String displayName() {
            return "Null id";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }
    }

    /** On the class path: its requestedSpiVersion() throws. */
    public static final class VersionThrowsProvider implements PaymentProvider {
        @Override
        public String id() {
            return "version-throws";
        }

        @Override
        public String displayName() {
            return "Version throws";
        }

        @Override
        public String requestedSpiVersion() {
            throw new UnsupportedOperationException("no version");
        }
    }

    /** On the class path: its requestedSpiVersion() is null. */
    public static final class NullVersionProvider implements PaymentProvider {
        @Override
        public String id() {
            return "null-version";
        }

        @Override
        public String displayName() {
            return "Null version";
        }

        @Override
        public String requestedSpiVersion() {
            return null;
        }
    }

    /**
     * A class loader whose META-INF/services files list only the given classes, as a class path holding
     * those jars would.
     */
    private static ClassLoader classPathWith(List<Class<?>> providers, List<Class<?>> factories) throws IOException {
        Map<String, URL> files = Map.of(PaymentProvider.class.getName(), servicesFile(providers),
                PaymentProviderFactory.class.getName(), servicesFile(factories));
        return new ClassLoader(ProviderRegistryTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (name.startsWith("META-INF/services/")) {
                    URL file = files.get(name.substring("META-INF/services/".length()));
                    return file == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(file));
                }
                return super.getResources(name);
            }
        };
    }

    private static URL servicesFile(List<Class<?>> classes) throws IOException {
        Path file = Files.createTempFile("services", ".txt");
        file.toFile().deleteOnExit();
        Files.writeString(file, String.join("\n", classes.stream().map(Class::getName).toList()) + "\n");
        return file.toUri().toURL();
    }

    private static final List<Class<?>> BROKEN_PROVIDERS = List.of(IdThrowsProvider.class, NullIdProvider.class,
            VersionThrowsProvider.class, NullVersionProvider.class, WorkingProvider.class);
    private static final List<Class<?>> BROKEN_FACTORIES = List.of(NpeOnEmptySettingsFactory.class,
            NullCreatingFactory.class);

    private static final String API_KEY = "ak_test_Zx81PqLmN0vR";

    private static PaymentProvider named(String id) {
        return new PaymentProvider() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String displayName() {
                return id;
            }

            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }
        };
    }

    @Test
    void discoveryIsolatesBrokenAndIncompatibleProviders() {
        ProviderRegistry registry = ProviderRegistry.create(List.of(), getClass().getClassLoader());
        assertEquals(List.of("working"), registry.ids());
        assertEquals("working", registry.require("working").id());
    }

    @Test
    void anUnknownIdNamesTheKnownOnes() {
        ProviderRegistry registry = ProviderRegistry.create(List.of(named("a")), null);
        PosUnbindException error = assertThrows(PosUnbindException.class, () -> registry.require("b"));
        assertEquals(CoreErrorCode.PROVIDER_NOT_FOUND, error.errorCode());
        assertTrue(error.getMessage().contains("[a]"), error.getMessage());
    }

    @Test
    void twoProvidersWithOneIdAreAmbiguous() {
        ProviderRegistry registry = ProviderRegistry.create(List.of(named("a"), named("a")), null);
        assertEquals(CoreErrorCode.PROVIDER_AMBIGUOUS,
                assertThrows(PosUnbindException.class, () -> registry.require("a")).errorCode());
    }

    @Test
    void anExplicitProviderWinsOverADiscoveredOneWithTheSameId() {
        PaymentProvider explicit = named("working");
        ProviderRegistry registry = ProviderRegistry.create(List.of(explicit), getClass().getClassLoader());
        assertSame(explicit, registry.require("working"));
    }

    @Test
    void anExplicitProviderForAnotherSpiMajorIsRefused() {
        assertEquals(CoreErrorCode.PROVIDER_INCOMPATIBLE, assertThrows(PosUnbindException.class,
                () -> ProviderRegistry.create(List.of(new FutureProvider()), null)).errorCode());
    }

    @Test
    void capabilitiesFollowTheAdaptersAProviderReturns() {
        PaymentProvider provider = new PaymentProvider() {
            @Override
            public String id() {
                return "device-only";
            }

            @Override
            public String displayName() {
                return "Device only";
            }

            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public Optional<DeviceUnbindAdapter> deviceAdapter() {
                return Optional.of(Mockito.mock(DeviceUnbindAdapter.class));
            }
        };
        assertEquals(java.util.Set.of(ProviderCapability.DEVICE_UNBIND), provider.capabilities());
    }

    @Test
    void aDiscoveredFactoryCreatesItsProviderFromTheSettingsGivenForItsId() {
        ProviderRegistry registry = ProviderRegistry.create(List.of(), List.of(),
                Map.of("configured", ProviderSettings.of(Map.of("base-uri", "https://api.example", "api-key", API_KEY))),
                getClass().getClassLoader());

        ConfiguredProvider configured = (ConfiguredProvider) registry.require("configured");
        assertEquals(URI.create("https://api.example"), configured.baseUri);
        assertEquals(API_KEY, configured.apiKey.reveal());
        assertFalse(configured.toString().contains(API_KEY), configured.toString());
        assertEquals(List.of("configured", "working"), registry.ids());
    }

    @Test
    void aConfiguredProviderWithoutARequiredSettingFailsStartUpNamingTheKeyAndNeverTheSecret() {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class, () -> ProviderRegistry.create(
                List.of(), List.of(), Map.of("configured", ProviderSettings.of(Map.of("api-key", API_KEY))),
                getClass().getClassLoader()));

        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());
        assertEquals("base-uri", missing.key());
        assertTrue(missing.getMessage().contains("'base-uri'"), missing.getMessage());
        assertFalse(missing.getMessage().contains(API_KEY), missing.getMessage());
    }

    @Test
    void aDiscoveredFactoryNobodyConfiguredIsLeftOutWithoutHidingTheOthers() {
        ProviderRegistry registry = ProviderRegistry.create(List.of(), getClass().getClassLoader());

        assertEquals(List.of("working"), registry.ids());
    }

    @Test
    void anExplicitFactoryMissingASettingFailsEvenWithoutDiscovery() {
        assertEquals("api-key", assertThrows(InvalidSettingException.class, () -> ProviderRegistry.create(List.of(),
                List.of(new ConfiguredFactory()), Map.of("configured", ProviderSettings.of(
                        Map.of("base-uri", "https://api.example"))), null)).key());
    }

    @Test
    void closingTheRegistryClosesWhatItCreatedOnceButNotTheProvidersItWasGiven() {
        AtomicInteger givenClosings = new AtomicInteger();
        PaymentProvider given = new PaymentProvider() {
            @Override
            public String id() {
                return "given";
            }

            @Override
            public String displayName() {
                return "Given";
            }

            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public void close() {
                givenClosings.incrementAndGet();
            }
        };
        ProviderRegistry registry = ProviderRegistry.create(List.of(given), List.of(new ConfiguredFactory()),
                Map.of("configured", ProviderSettings.of(Map.of("base-uri", "https://api.example", "api-key", API_KEY))),
                null);
        ConfiguredProvider configured = (ConfiguredProvider) registry.require("configured");

        registry.close();
        registry.close();

        assertEquals(1, configured.closings.get());
        assertEquals(0, givenClosings.get());
    }

    @Test
    void aProviderOfANewerSpiMinorOrOfNoRecognisableVersionIsRefused() {
        ProviderRegistry.checkVersion("Provider ok", SpiVersion.CURRENT);
        ProviderRegistry.checkVersion("Provider older minor", SpiVersion.MAJOR + ".0");
        for (String requested : new String[] {SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1), "1.1", "2", "two", null}) {
            PosUnbindException refused = assertThrows(PosUnbindException.class,
                    () -> ProviderRegistry.checkVersion("Provider acme", requested));
            assertEquals(CoreErrorCode.PROVIDER_INCOMPATIBLE, refused.errorCode(), String.valueOf(requested));
            assertTrue(refused.getMessage().contains("Provider acme was built against posunbind SPI " + requested),
                    refused.getMessage());
        }
    }

    @Test
    void brokenProvidersAndFactoriesOnTheClassPathThatNobodyConfiguredAreLeftOutAndTheWorkingOneStillLoads()
            throws IOException {
        ProviderRegistry registry = ProviderRegistry.create(List.of(), List.of(), Map.of(),
                classPathWith(BROKEN_PROVIDERS, BROKEN_FACTORIES));

        assertEquals(List.of("working"), registry.ids());
    }

    @Test
    void aBrokenFactoryTheHostConfiguredFailsStartUpWithACode() throws IOException {
        ClassLoader classPath = classPathWith(BROKEN_PROVIDERS, BROKEN_FACTORIES);
        for (String configured : List.of("npe-factory", "null-factory")) {
            PosUnbindException refused = assertThrows(PosUnbindException.class, () -> ProviderRegistry.create(
                    List.of(), List.of(), Map.of(configured, ProviderSettings.empty()), classPath), configured);
            assertEquals(CoreErrorCode.PROVIDER_BROKEN, refused.errorCode(), configured);
        }
    }

    @Test
    void aProviderOrFactoryGivenExplicitlyThatFailsToTellItsIdOrVersionOrToCreateIsRefusedWithACode() {
        for (PaymentProvider given : List.of(new IdThrowsProvider(), new NullIdProvider(),
                new VersionThrowsProvider())) {
            PosUnbindException refused = assertThrows(PosUnbindException.class,
                    () -> ProviderRegistry.create(List.of(given), null), given.getClass().getSimpleName());
            assertEquals(CoreErrorCode.PROVIDER_BROKEN, refused.errorCode(), given.getClass().getSimpleName());
        }
        for (PaymentProviderFactory given : List.of(new NpeOnEmptySettingsFactory(), new NullCreatingFactory())) {
            PosUnbindException refused = assertThrows(PosUnbindException.class,
                    () -> ProviderRegistry.create(List.of(), List.of(given), Map.of(), null),
                    given.getClass().getSimpleName());
            assertEquals(CoreErrorCode.PROVIDER_BROKEN, refused.errorCode(), given.getClass().getSimpleName());
        }
    }
}
