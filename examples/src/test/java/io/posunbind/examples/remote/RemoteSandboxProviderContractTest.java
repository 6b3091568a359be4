package io.posunbind.examples.remote;

import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxBackendFaults;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.PaymentProviderContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;

/** The remote sandbox, an adapter over HTTP, passes the provider contract against a live sandbox server. */
class RemoteSandboxProviderContractTest extends PaymentProviderContract {

    private final SandboxBackend backend = SandboxDemoData.seed(new SandboxBackend());
    private final SandboxBackendFaults faults = new SandboxBackendFaults(backend);
    private final SandboxServer server = SandboxServer.start(backend, 0);

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected PaymentProvider newProvider() {
        return new RemoteSandboxProvider(server.baseUri());
    }

    @Override
    protected BackendFaults backend() {
        return faults;
    }

    /**
     * Not registered on purpose: it needs the server's URL, which a no-argument constructor cannot have,
     * and it shares the id {@code sandbox} with the in-process sandbox, which ServiceLoader finds. Once
     * providers are created by a factory with typed settings (SPI 2), it can be registered like any other.
     */
    @Override
    @Disabled("RemoteSandboxProvider needs its server's URL, so it is built by hand, not found by ServiceLoader")
    public void theProviderIsRegisteredForServiceLoaderUnderItsId() {
    }
}
