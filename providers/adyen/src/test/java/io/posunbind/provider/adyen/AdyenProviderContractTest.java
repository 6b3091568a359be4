package io.posunbind.provider.adyen;

import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.PaymentProviderContract;
import io.posunbind.testkit.Probe;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/** The test kit's contract, against the Adyen adapter created by its registered factory, on the WireMock stub. */
class AdyenProviderContractTest extends PaymentProviderContract {

    static final String HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

    private final AdyenManagementStub stub = new AdyenManagementStub();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Override
    protected PaymentProvider newProvider() {
        return new AdyenProviderFactory().create(ProviderSettings.of(settings()));
    }

    @Override
    protected BackendFaults backend() {
        return stub;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("base-uri", stub.baseUri(), "api-key", AdyenManagementStub.API_KEY,
                "webhook-hmac-key", HMAC_KEY, "read-timeout", AdyenManagementStub.READ_TIMEOUT, "connect-timeout", "1s");
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(AdyenManagementStub.API_KEY, HMAC_KEY);
    }

    /** Unbinding is the one operation Adyen's API performs: reassigning the terminal to the inventory. */
    @Override
    protected Probe probe() {
        return Probe.UNBIND_TERMINAL;
    }
}
