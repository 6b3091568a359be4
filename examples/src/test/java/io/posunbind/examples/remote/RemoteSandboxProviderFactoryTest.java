package io.posunbind.examples.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.posunbind.Unbinder;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;
import io.posunbind.store.InMemoryCaseStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A host configures the remote sandbox the way it would configure a real acquirer's adapter. */
class RemoteSandboxProviderFactoryTest {

    private static final String API_KEY = "sbx_key_Qm93LXRoaXMtaXMtc2VjcmV0";

    /** Hands out what the real factory creates, so the test can look at it after the unbinder closed. */
    private static final class Recording implements PaymentProviderFactory {
        final List<PaymentProvider> created = new ArrayList<>();
        private final RemoteSandboxProviderFactory factory = new RemoteSandboxProviderFactory();

        @Override
        public String id() {
            return factory.id();
        }

        @Override
        public String requestedSpiVersion() {
            return factory.requestedSpiVersion();
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            PaymentProvider provider = factory.create(settings);
            created.add(provider);
            return provider;
        }
    }

    @Test
    void theServersAddressAndKeyComeFromSettingsAndTheProviderClosesWithTheUnbinder() {
        try (SandboxServer server = SandboxServer.start(SandboxDemoData.seed(new SandboxBackend()), 0)) {
            Recording factory = new Recording();
            Unbinder unbinder = Unbinder.builder().store(new InMemoryCaseStore()).withoutDiscovery()
                    .providerFactory(factory)
                    .providerSettings("sandbox", Map.of("base-uri", server.baseUri().toString(), "timeout", "2s",
                            "api-key", API_KEY))
                    .build();
            RemoteSandboxProvider remote = assertInstanceOf(RemoteSandboxProvider.class, factory.created.get(0));
            assertEquals(SandboxDemoData.MERCHANT_NAME, remote.merchantInfoAdapter().orElseThrow()
                    .readMerchantInfo(SandboxDemoData.MERCHANT_NUMBER).orElseThrow().name());
            assertEquals(SpiVersion.CURRENT, remote.requestedSpiVersion());
            assertFalse(remote.toString().contains(API_KEY), remote.toString());

            unbinder.close();

            assertTrue(remote.isClosed());
        }
    }

    @Test
    void withoutTheServersAddressTheUnbinderDoesNotStartAndSaysWhichSettingIsMissing() {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class, () -> Unbinder.builder()
                .store(new InMemoryCaseStore()).withoutDiscovery()
                .providerFactory(new RemoteSandboxProviderFactory())
                .providerSettings("sandbox", Map.of("api-key", API_KEY))
                .build());

        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());
        assertEquals("base-uri", missing.key());
        assertFalse(missing.getMessage().contains(API_KEY), missing.getMessage());
    }

    @Test
    void theApiKeyTravelsAsABearerTokenWithEveryCall() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer acquirer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        acquirer.createContext("/rpc", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        acquirer.start();
        try (PaymentProvider remote = new RemoteSandboxProviderFactory().create(ProviderSettings.of(Map.of(
                "base-uri", "http://127.0.0.1:" + acquirer.getAddress().getPort(), "api-key", API_KEY)))) {
            try {
                remote.merchantInfoAdapter().orElseThrow().readMerchantInfo(SandboxDemoData.MERCHANT_NUMBER);
            } catch (RuntimeException stubsAnswer) {
                // The stub answers nothing an adapter can use; only what it received matters here.
            }
        } finally {
            acquirer.stop(0);
        }

        assertEquals(List.of("Bearer " + API_KEY), authorizations);
    }
}
