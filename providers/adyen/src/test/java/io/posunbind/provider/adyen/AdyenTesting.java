package io.posunbind.provider.adyen;

import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** What the Adyen tests share: the provider as a host configures it on the stub, and operations as the engine sends them. */
final class AdyenTesting {

    static final String HMAC_KEY = AdyenProviderContractTest.HMAC_KEY;
    static final String PREVIOUS_HMAC_KEY = "0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E";
    static final String SHOP = "AdyenShopCN";

    private AdyenTesting() {
    }

    static Map<String, String> settings(AdyenManagementStub stub) {
        Map<String, String> settings = new HashMap<>(Map.of("base-uri", stub.baseUri(),
                "api-key", AdyenManagementStub.API_KEY, "webhook-hmac-key", HMAC_KEY,
                "webhook-hmac-key-previous", PREVIOUS_HMAC_KEY, "read-timeout", AdyenManagementStub.READ_TIMEOUT,
                "connect-timeout", "1s", "poll-after", "1m"));
        return settings;
    }

    static PaymentProvider provider(Map<String, String> settings) {
        return new AdyenProviderFactory().create(ProviderSettings.of(settings));
    }

    static PaymentProvider provider(AdyenManagementStub stub) {
        return provider(settings(stub));
    }

    static DeviceUnbindAdapter device(PaymentProvider provider) {
        return provider.deviceAdapter().orElseThrow();
    }

    /** The reassignment as the engine persists it before the first call, with the adapter's note. */
    static SentOperation unbind(DeviceUnbindAdapter device, String key, String merchant, String serial) {
        SentOperation operation = SentOperation.of(new IdempotencyKey(key), OperationKind.UNBIND_TERMINAL,
                OperationTarget.terminal(merchant, serial), Map.of(), Instant.parse("2026-12-01T08:00:00Z"));
        return operation.withAdapterNote(device.prepare(operation));
    }

    static OperationContext context(SentOperation operation) {
        return OperationContext.of(operation, "order-4711");
    }
}
