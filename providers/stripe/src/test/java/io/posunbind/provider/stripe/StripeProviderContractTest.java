package io.posunbind.provider.stripe;

import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.PaymentProviderContract;
import io.posunbind.testkit.Probe;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The test kit's contract against the Stripe adapter on a WireMock stub of Stripe's Terminal API, probing
 * with the unbind (the reader's delete), the one mutating operation Stripe has. The pending check is
 * skipped with its reason: Stripe's delete is synchronous, so the stub cannot answer it asynchronously.
 */
class StripeProviderContractTest extends PaymentProviderContract {

    private final StripeStub stub = new StripeStub();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Override
    protected PaymentProvider newProvider() {
        return new StripeProviderFactory().create(ProviderSettings.of(stub.settings()));
    }

    @Override
    protected BackendFaults backend() {
        return stub;
    }

    @Override
    protected Map<String, String> settings() {
        return stub.settings();
    }

    @Override
    protected Probe probe() {
        return Probe.UNBIND_TERMINAL;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(StripeStub.API_KEY, StripeWebhookRequests.SECRET);
    }
}
