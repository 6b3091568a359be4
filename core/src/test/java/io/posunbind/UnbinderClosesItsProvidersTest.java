package io.posunbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.Secret;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** A host configures a provider through the builder, and closing the unbinder releases what it opened. */
class UnbinderClosesItsProvidersTest {

    private static final String CLIENT_SECRET = "cs_live_R2d2C3poBb8";

    /** An acquirer adapter holding a connection pool, as an HTTP adapter would. */
    private static final class PooledProvider implements PaymentProvider {
        final Secret clientSecret;
        boolean open = true;

        PooledProvider(Secret clientSecret) {
            this.clientSecret = clientSecret;
        }

        @Override
        public String id() {
            return "pooled";
        }

        @Override
        public String displayName() {
            return "Pooled Acquiring";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private static final class PooledFactory implements PaymentProviderFactory {
        final List<PooledProvider> created = new ArrayList<>();

        @Override
        public String id() {
            return "pooled";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            PooledProvider provider = new PooledProvider(settings.secret("client-secret"));
            created.add(provider);
            return provider;
        }
    }

    @Test
    void theProviderAFactoryCreatedIsClosedWhenTheUnbinderCloses() {
        PooledFactory factory = new PooledFactory();
        Unbinder unbinder = Unbinder.builder().store(new InMemoryCaseStore()).withoutDiscovery()
                .providerFactory(factory)
                .providerSettings("pooled", Map.of("client-secret", CLIENT_SECRET))
                .build();
        PooledProvider pooled = factory.created.get(0);
        assertEquals(List.of("pooled"), unbinder.providerIds());
        assertEquals(CLIENT_SECRET, pooled.clientSecret.reveal());
        assertTrue(pooled.open);

        unbinder.close();

        assertFalse(pooled.open);
    }

    @Test
    void aProviderHandedInAsAnInstanceBelongsToTheCallerAndStaysOpen() {
        PooledProvider mine = new PooledProvider(Secret.of(CLIENT_SECRET));
        Unbinder.builder().store(new InMemoryCaseStore()).withoutDiscovery().provider(mine).build().close();

        assertTrue(mine.open);
    }

    @Test
    void aMissingSettingFailsTheBuildNamingTheKeyAndNothingIsLeftOpen() {
        PooledFactory factory = new PooledFactory();
        InvalidSettingException missing = assertThrows(InvalidSettingException.class, () -> Unbinder.builder()
                .store(new InMemoryCaseStore()).withoutDiscovery()
                .providerFactory(factory)
                .providerSettings("pooled", Map.of("client_secret", CLIENT_SECRET))
                .build());

        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());
        assertEquals("client-secret", missing.key());
        assertFalse(missing.getMessage().contains(CLIENT_SECRET), missing.getMessage());
        assertTrue(factory.created.isEmpty());
    }

    @Test
    void theProvidersCreatedBeforeAFailedBuildAreClosed() {
        PooledFactory factory = new PooledFactory();
        // A store that offers no default data keys, and none chosen: the build fails after the providers exist.
        CaseStore storeWithoutKeys = Mockito.mock(CaseStore.class);
        assertThrows(IllegalStateException.class, () -> Unbinder.builder().store(storeWithoutKeys)
                .withoutDiscovery().providerFactory(factory)
                .providerSettings("pooled", Map.of("client-secret", CLIENT_SECRET))
                .build());

        assertEquals(1, factory.created.size());
        assertFalse(factory.created.get(0).open);
    }
}
