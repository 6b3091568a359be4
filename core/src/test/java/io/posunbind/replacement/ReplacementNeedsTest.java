package io.posunbind.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.model.Money;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplacementNeedsTest {

    @Test
    void termsAreTrimmedUpperCasedAndKeepTheCallersOrder() {
        ReplacementNeeds needs = ReplacementNeeds.builder()
                .requiredChannels(" wechat", "UnionPay ", "ALIPAY")
                .bank(" icbc ")
                .requiredFeatures("printer")
                .niceToHaveFeatures("nfc", "PRINTER", "multi_currency")
                .requiredSecurity("pci_pts")
                .build();

        assertEquals(List.of("WECHAT", "UNIONPAY", "ALIPAY"), List.copyOf(needs.requiredChannels()));
        assertEquals(Optional.of("ICBC"), needs.bank());
        assertEquals(Set.of("PRINTER"), needs.requiredFeatures());
        assertEquals(List.of("NFC", "MULTI_CURRENCY"), List.copyOf(needs.niceToHaveFeatures()),
                "a required feature is not also nice to have");
        assertEquals(Set.of("PCI_PTS"), needs.requiredSecurity());
        assertEquals(ReplacementNeeds.DEFAULT_MONTHS, needs.months());
        assertEquals(Optional.empty(), needs.budget());
    }

    @Test
    void rejectsBlankTermsNegativeBudgetsAndImpossibleMonths() {
        assertThrows(IllegalArgumentException.class, () -> ReplacementNeeds.builder().requiredChannels(" ").build());
        assertThrows(NullPointerException.class,
                () -> ReplacementNeeds.builder().requiredFeatures((String) null).build());
        assertThrows(IllegalArgumentException.class,
                () -> ReplacementNeeds.builder().budget(Money.cny(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> ReplacementNeeds.builder().months(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> ReplacementNeeds.builder().months(ReplacementNeeds.MAX_MONTHS + 1).build());
        assertEquals(ReplacementNeeds.MAX_MONTHS,
                ReplacementNeeds.builder().months(ReplacementNeeds.MAX_MONTHS).build().months());
    }
}
