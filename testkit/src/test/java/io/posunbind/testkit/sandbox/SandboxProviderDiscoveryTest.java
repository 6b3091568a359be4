package io.posunbind.testkit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Unbinder;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.store.InMemoryCaseStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SandboxProviderDiscoveryTest {

    @Test
    void serviceLoaderFindsTheSandboxFactoryByIdThroughItsRegistrationFile() {
        List<PaymentProviderFactory> factories = ServiceLoader.load(PaymentProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(factory -> factory.id().equals("sandbox"))
                .toList();

        assertEquals(1, factories.size());
        assertEquals(SpiVersion.CURRENT, factories.get(0).requestedSpiVersion());
        PaymentProvider sandbox = factories.get(0).create(ProviderSettings.empty());
        assertInstanceOf(SandboxProvider.class, sandbox);
        assertEquals(SpiVersion.CURRENT, sandbox.requestedSpiVersion());
        assertTrue(sandbox.honoursIdempotencyKeys());
        assertEquals(EnumSet.allOf(ProviderCapability.class), sandbox.capabilities());
    }

    @Test
    void anUnbinderThatDiscoversProvidersCreatesTheSandboxFromItsSettings() {
        try (Unbinder unbinder = Unbinder.builder().store(new InMemoryCaseStore())
                .providerSettings("sandbox", Map.of("backend", "fresh"))
                .build()) {
            // The kit's own tests also register their reference provider; the sandbox is there once.
            assertEquals(1, unbinder.providerIds().stream().filter("sandbox"::equals).count(), unbinder.providerIds()::toString);
        }
        InvalidSettingException wrong = assertThrows(InvalidSettingException.class, () -> Unbinder.builder()
                .store(new InMemoryCaseStore())
                .providerSettings("sandbox", Map.of("backend", "elsewhere")).build());
        assertEquals("backend", wrong.key());
        assertEquals(SettingErrorCode.SETTING_INVALID, wrong.errorCode());
    }

    @Test
    void aLoadedSandboxSharesTheDemoSeededBackendSoAProgramCanSteerIt() {
        // The demo may have run in this JVM already and moved the shared terminals on.
        SandboxBackend.resetShared();
        SandboxProvider loaded = (SandboxProvider) ServiceLoader.load(PaymentProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(factory -> factory.id().equals(SandboxProvider.ID))
                .findFirst().orElseThrow()
                .create(ProviderSettings.empty());

        assertSame(SandboxBackend.shared(), loaded.backend());
        // Read only: other tests may load the same shared backend.
        assertEquals(TerminalStatus.NEW,
                loaded.deviceAdapter().orElseThrow().readTerminal(SandboxDemoData.REPLACEMENT_SERIAL).status());
        assertEquals(SandboxDemoData.MERCHANT_NAME, loaded.merchantInfoAdapter().orElseThrow()
                .readMerchantInfo(SandboxDemoData.MERCHANT_NUMBER).orElseThrow().name());
    }
}
