package io.posunbind.spi;

import io.posunbind.spi.model.FeeQuote;
import java.util.Set;

/** Quotes the fees an unbind will incur. Optional: without it no fee step is planned. Thread-safe. */
@API(status = API.Status.STABLE, since = "2.0")
public interface FeeQuoteAdapter {

    /**
     * Quotes the fees for unbinding the given bindings of a terminal. Reading a quote incurs nothing.
     *
     * @param merchantNumber the merchant
     * @param terminalSerial the terminal
     * @param bindings       which bindings will be unbound, by name: "DEVICE", "ACCOUNT", "MERCHANT_INFO"
     */
    FeeQuote quoteFees(String merchantNumber, String terminalSerial, Set<String> bindings);
}
