package io.posunbind.examples.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.TerminalStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SandboxProviderDiscoveryTest {

    @Test
    void serviceLoaderFindsTheSandboxByIdThroughItsRegistrationFile() {
        List<PaymentProvider> sandboxes = ServiceLoader.load(PaymentProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.id().equals("sandbox"))
                .toList();

        assertEquals(1, sandboxes.size());
        PaymentProvider sandbox = sandboxes.get(0);
        assertInstanceOf(SandboxProvider.class, sandbox);
        assertEquals(SpiVersion.CURRENT, sandbox.spiVersion());
        assertTrue(sandbox.honoursIdempotencyKeys());
        assertEquals(EnumSet.allOf(ProviderCapability.class), sandbox.capabilities());
    }

    @Test
    void aLoadedSandboxSharesTheDemoSeededBackendSoAProgramCanSteerIt() {
        // The demo may have run in this JVM already and moved the shared terminals on.
        SandboxBackend.resetShared();
        SandboxProvider loaded = (SandboxProvider) ServiceLoader.load(PaymentProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.id().equals(SandboxProvider.ID))
                .findFirst().orElseThrow();

        assertSame(SandboxBackend.shared(), loaded.backend());
        // Read only: other tests may load the same shared backend.
        assertEquals(TerminalStatus.NEW,
                loaded.deviceAdapter().orElseThrow().readTerminal(SandboxDemoData.REPLACEMENT_SERIAL).status());
        assertEquals(SandboxDemoData.MERCHANT_NAME, loaded.merchantInfoAdapter().orElseThrow()
                .readMerchantInfo(SandboxDemoData.MERCHANT_NUMBER).orElseThrow().name());
    }
}
