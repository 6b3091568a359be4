package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalCandidate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxFeesAndCatalogTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final FeeQuoteAdapter fees = sandbox.provider.feeQuoteAdapter().orElseThrow();
    private final Set<String> allBindings = Set.of("DEVICE", "ACCOUNT", "MERCHANT_INFO");

    @Test
    void theDefaultQuoteHasTheUnbindFeeTheSimFeeAndTheDepositRefund() {
        FeeQuote quote = fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, allBindings);

        assertEquals(List.of(FeeKind.UNBIND_FEE, FeeKind.SIM_FEE, FeeKind.DEPOSIT_REFUND),
                quote.items().stream().map(FeeItem::kind).toList());
        assertEquals(Money.cny(5_000), quote.items().get(0).amount());
        assertEquals(Money.cny(5_000 + 3_600 - 20_000), quote.total());
        assertTrue(quote.chargesMerchant());
        assertEquals(sandbox.clock.instant().plus(Duration.ofDays(7)), quote.validUntil());
    }

    @Test
    void anUnchangedQuoteKeepsItsIdAndChangedAmountsGiveANewOne() {
        FeeQuote first = fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, allBindings);
        sandbox.clock.advance(Duration.ofHours(1));
        assertEquals(first, fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, allBindings));

        sandbox.backend.setFees(MERCHANT_NUMBER, List.of(new FeeItem(FeeKind.UNBIND_FEE, Money.cny(8_000), "解绑费")));
        FeeQuote changed = fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, allBindings);

        assertNotEquals(first.quoteId(), changed.quoteId());
        assertEquals(Money.cny(8_000), changed.total());
    }

    @Test
    void anExpiredQuoteIsIssuedAnewUnderAnotherId() {
        FeeQuote first = fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, allBindings);
        sandbox.clock.advance(Duration.ofDays(8));

        FeeQuote renewed = fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, allBindings);

        assertNotEquals(first.quoteId(), renewed.quoteId());
        assertEquals(first.items(), renewed.items());
    }

    @Test
    void withoutTheDeviceBindingNothingIsCharged() {
        FeeQuote quote = fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, Set.of("ACCOUNT"));

        assertEquals(List.of(), quote.items());
    }

    @Test
    void unknownBindingsAndMerchantsAreErrors() {
        assertEquals(StandardErrorCode.INVALID_REQUEST, assertThrows(ProviderException.class,
                () -> fees.quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL, Set.of("SIM"))).errorCode());
        assertEquals(StandardErrorCode.MERCHANT_NOT_FOUND, assertThrows(ProviderException.class,
                () -> fees.quoteFees("000", TERMINAL_SERIAL, allBindings)).errorCode());
    }

    @Test
    void theCatalogOffersThreeModelsIncludingTheDemoReplacement() {
        List<TerminalCandidate> candidates = sandbox.provider.replacementCatalog().orElseThrow()
                .candidatesFor(MERCHANT_NUMBER);

        assertEquals(3, candidates.size());
        assertTrue(candidates.stream().anyMatch(candidate -> candidate.model().equals(SandboxDemoData.REPLACEMENT_MODEL)));
    }
}
