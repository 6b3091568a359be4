package io.posunbind.testkit.sandbox;

import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeQuote;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Quotes the sandbox's fees. The fees belong to the device binding (unbind fee, SIM fee still due,
 * deposit refund), so a quote without {@code "DEVICE"} is empty. An unchanged quote keeps its id and
 * validity; changed amounts give a new id, so a consent to the old one no longer matches.
 * Thread-safe through the backend's lock.
 */
final class SandboxFeeQuoteAdapter implements FeeQuoteAdapter {

    private static final Set<String> BINDINGS = Set.of("DEVICE", "ACCOUNT", "MERCHANT_INFO");

    private final AdapterGateway acquirer;

    SandboxFeeQuoteAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public FeeQuote quoteFees(String merchantNumber, String terminalSerial, Set<String> bindings) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Set<String> requested = Set.copyOf(bindings);
        if (!BINDINGS.containsAll(requested)) {
            throw new ProviderException(StandardErrorCode.INVALID_REQUEST, "SBX-UNKNOWN-BINDING",
                    "Bindings are named " + BINDINGS + ", got " + requested);
        }
        return acquirer.read("quoteFees", () -> {
            MerchantState merchant = acquirer.world().merchantState(merchantNumber).orElseThrow(() -> new ProviderException(
                    StandardErrorCode.MERCHANT_NOT_FOUND, "SBX-MERCHANT-NOT-FOUND",
                    "Merchant " + merchantNumber + " is unknown to the sandbox"));
            List<FeeItem> items = requested.contains("DEVICE") ? acquirer.world().feesOf(merchant) : List.of();
            WorldState.IssuedQuote issued = acquirer.world().issueQuote(merchantNumber, terminalSerial, requested, items);
            return new FeeQuote(issued.quoteId(), items, issued.validUntil());
        });
    }
}
