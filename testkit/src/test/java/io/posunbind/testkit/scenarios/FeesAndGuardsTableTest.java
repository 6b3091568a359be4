package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.FeeConsent;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests: which quotes need consent, which consents count, and what a changed quote does. */
class FeesAndGuardsTableTest {

    static Stream<Arguments> quotes() {
        return Stream.of(
                // unbind fee, SIM fee, deposit refund -> needs consent?
                Arguments.of(5_000, 3_600, -20_000, true),
                Arguments.of(0, 0, -20_000, false),
                Arguments.of(0, 0, 0, false),
                Arguments.of(1, 0, -20_000, true),
                Arguments.of(0, 3_600, 0, true));
    }

    @ParameterizedTest(name = "fee {0}, SIM {1}, deposit {2}: consent needed = {3}")
    @MethodSource("quotes")
    void aQuoteNeedsConsentExactlyWhenItChargesTheMerchant(long fee, long sim, long deposit, boolean needsConsent) {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        List<FeeItem> items = new ArrayList<>();
        if (fee != 0) {
            items.add(new FeeItem(FeeKind.UNBIND_FEE, Money.cny(fee), "解绑手续费"));
        }
        if (sim != 0) {
            items.add(new FeeItem(FeeKind.SIM_FEE, Money.cny(sim), "SIM卡年费"));
        }
        if (deposit != 0) {
            items.add(new FeeItem(FeeKind.DEPOSIT_REFUND, Money.cny(deposit), "押金退还"));
        }
        merchant.sandbox.setFees(MERCHANT_NUMBER, items);

        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());

        if (needsConsent) {
            assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT), opened.toString());
            assertEquals(0, merchant.sandbox.requests().effects().size(), "nothing incurred before consent");
        } else {
            assertEquals(CaseState.COMPLETED, opened.state(), opened.toString());
        }
    }

    @ParameterizedTest(name = "consent to quote {0} totalling {1}: accepted = {2}")
    @CsvSource({"CURRENT, CURRENT, true", "CURRENT, 1, false", "OTHER, CURRENT, false", "OTHER, 1, false"})
    void onlyAConsentToTheExactQuoteCounts(String quote, String total, boolean accepted) {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        var current = opened.feeQuote().orElseThrow();
        FeeConsent consent = new FeeConsent(quote.equals("CURRENT") ? current.quoteId() : "SBX-Q-FORGED",
                total.equals("CURRENT") ? current.total() : Money.cny(Long.parseLong(total)), MerchantCase.MERCHANT,
                merchant.clock.instant());
        String result;
        try {
            result = merchant.unbinder.consentToFees(opened.id(), consent).state().name();
        } catch (io.posunbind.spi.PosUnbindException e) {
            result = e.errorCode().code();
        }
        assertEquals(accepted ? "COMPLETED" : "UNB-CONSENT-MISMATCH", result);
    }

    @ParameterizedTest(name = "consent after {0} days, unbind fee then {1}: asked again = {2}")
    @CsvSource({"1, 5000, false", "1, 6000, false", "8, 5000, true", "8, 6000, true"})
    void aLapsedOrChangedQuoteVoidsTheConsentAndAsksAgain(int days, long feeAtConsent, boolean askedAgain) {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        CaseSnapshot waiting = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        var shown = waiting.feeQuote().orElseThrow();
        merchant.sandbox.setFees(MERCHANT_NUMBER, List.of(
                new FeeItem(FeeKind.UNBIND_FEE, Money.cny(feeAtConsent), "解绑手续费"),
                new FeeItem(FeeKind.SIM_FEE, Money.cny(3_600), "SIM卡流量年费（当期未缴）"),
                new FeeItem(FeeKind.DEPOSIT_REFUND, Money.cny(-20_000), "机具押金退还")));
        merchant.clock.advance(Duration.ofDays(days));

        // The merchant agrees to the quote it was shown; it is still valid after one day, lapsed after eight.
        CaseSnapshot after = merchant.unbinder.consentToFees(waiting.id(), new FeeConsent(shown.quoteId(),
                shown.total(), MerchantCase.MERCHANT, merchant.clock.instant()));

        if (askedAgain) {
            assertTrue(after.isWaitingFor(WaitReason.FEE_CONSENT), after.toString());
            var fresh = after.feeQuote().orElseThrow();
            assertTrue(!fresh.quoteId().equals(shown.quoteId()));
            assertEquals(feeAtConsent + 3_600 - 20_000, fresh.total().minorUnits());
            assertEquals(0, merchant.sandbox.requests().effects().size(), "nothing incurred on a void consent");
        } else {
            assertEquals(CaseState.COMPLETED, after.state(), after.toString());
        }
        assertEquals(askedAgain ? 0 : 1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }
}
