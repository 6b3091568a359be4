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
import java.net.URI;
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
}
