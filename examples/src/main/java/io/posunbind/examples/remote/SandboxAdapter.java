package io.posunbind.examples.remote;

import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.TerminalSetupAdapter;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The adapters a remote call can address, by the name that travels in {@code "adapter"}. Both ends
 * resolve methods on the SPI interface, never on the sandbox's classes, so the wire is exactly the SPI.
 */
enum SandboxAdapter {
    DEVICE("device", DeviceUnbindAdapter.class, PaymentProvider::deviceAdapter),
    ACCOUNT("account", AccountUnbindAdapter.class, PaymentProvider::accountAdapter),
    MERCHANT_INFO("merchantInfo", MerchantInfoAdapter.class, PaymentProvider::merchantInfoAdapter),
    APPLICATION("application", InstitutionApplicationAdapter.class, PaymentProvider::applicationAdapter),
    FEES("fees", FeeQuoteAdapter.class, PaymentProvider::feeQuoteAdapter),
    TERMINAL_SETUP("terminalSetup", TerminalSetupAdapter.class, PaymentProvider::terminalSetupAdapter),
    CATALOG("catalog", ReplacementCatalog.class, PaymentProvider::replacementCatalog),
    TRANSFER("transfer", io.posunbind.spi.TerminalTransferAdapter.class, PaymentProvider::transferAdapter),
    VERIFICATION("verification", io.posunbind.spi.VerificationAdapter.class, PaymentProvider::verificationAdapter);

    private final String wireName;
    private final Class<?> type;
    private final Function<PaymentProvider, Optional<?>> lookup;

    SandboxAdapter(String wireName, Class<?> type, Function<PaymentProvider, Optional<?>> lookup) {
        this.wireName = wireName;
        this.type = type;
        this.lookup = lookup;
    }

    String wireName() {
        return wireName;
    }

    Class<?> type() {
        return type;
    }

    /** The provider's adapter of this kind, if it has one. */
    Optional<?> of(PaymentProvider provider) {
        return lookup.apply(provider);
    }

    static Optional<SandboxAdapter> byWireName(String name) {
        return Arrays.stream(values()).filter(adapter -> adapter.wireName.equals(name)).findFirst();
    }

    /**
     * The SPI method with this name and number of parameters. The SPI has no overloads, so name and
     * arity identify a method; the arity check guards against a client built on another SPI version.
     */
    Optional<Method> method(String name, int parameterCount) {
        return Arrays.stream(type.getMethods())
                .filter(method -> !java.lang.reflect.Modifier.isStatic(method.getModifiers()))
                .filter(method -> method.getName().equals(name) && method.getParameterCount() == parameterCount)
                .findFirst();
    }
}
