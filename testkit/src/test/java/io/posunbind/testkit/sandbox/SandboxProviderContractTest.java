package io.posunbind.testkit.sandbox;

import io.posunbind.spi.PaymentProvider;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.PaymentProviderContract;

/** The sandbox passes the provider contract, as any adapter must. */
class SandboxProviderContractTest extends PaymentProviderContract {

    private final SandboxBackend backend = SandboxDemoData.seed(new SandboxBackend());
    private final SandboxBackendFaults faults = new SandboxBackendFaults(backend);

    @Override
    protected PaymentProvider newProvider() {
        return new SandboxProvider(backend);
    }

    @Override
    protected BackendFaults backend() {
        return faults;
    }
}
