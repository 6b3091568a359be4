package io.posunbind.internal.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderCapability;
import java.util.List;
import java.util.Optional;
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
}
