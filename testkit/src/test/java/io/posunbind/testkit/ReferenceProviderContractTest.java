package io.posunbind.testkit;

import io.posunbind.spi.PaymentProvider;
import java.util.Set;

/** The kit's reference adapter passes the contract: what an adapter author writes, in full. */
class ReferenceProviderContractTest extends PaymentProviderContract {

    private final FakeTerminalApi api = new FakeTerminalApi();

    @Override
    protected PaymentProvider newProvider() {
        return new ReferenceProvider(api);
    }

    @Override
    protected BackendFaults backend() {
        return api;
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(ReferenceProvider.API_KEY);
    }
}
