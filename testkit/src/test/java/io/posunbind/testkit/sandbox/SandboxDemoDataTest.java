package io.posunbind.testkit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.model.TerminalStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SandboxDemoDataTest {

    private static final String USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    @Test
    void theUnifiedSocialCreditCodeCarriesAValidGb32100CheckCharacter() {
        String code = SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE;

        assertEquals(18, code.length());
        assertEquals(code.charAt(17), gb32100CheckCharacter(code.substring(0, 17)));
        assertFalse(code.equals(code.substring(0, 17) + "0"), "sanity: a different check character is invalid");
    }

    @Test
    void theSettlementCardIsALuhnValidUnionPayLikeNumber() {
        String card = SandboxDemoData.SETTLEMENT_CARD_NUMBER;

        assertTrue(card.startsWith("622"));
        assertTrue(card.length() >= 16 && card.length() <= 19);
        assertTrue(luhnValid(card));
        assertEquals("622202*********6789", SandboxDemoData.settlementAccount().number().toString());
    }

    @Test
    void theDemoSeedGivesAnActiveTerminalAndANewReplacement() {
        SandboxBackend backend = SandboxDemoData.seed(new SandboxBackend(SandboxClock.at(Instant.EPOCH)));

        assertEquals(TerminalStatus.ACTIVE, backend.terminals().terminal(SandboxDemoData.TERMINAL_SERIAL).orElseThrow().status());
        assertEquals(TerminalStatus.NEW, backend.terminals().terminal(SandboxDemoData.REPLACEMENT_SERIAL).orElseThrow().status());
        assertTrue(backend.settlement().unsettledFunds(SandboxDemoData.MERCHANT_NUMBER, SandboxDemoData.TERMINAL_SERIAL).settled());
    }

    /** GB 32100-2015: weights 3^i mod 31, check = (31 - sum mod 31) mod 31. */
    private static char gb32100CheckCharacter(String first17) {
        int sum = 0;
        int weight = 1;
        for (int i = 0; i < 17; i++) {
            sum += USCC_CHARACTERS.indexOf(first17.charAt(i)) * weight;
            weight = weight * 3 % 31;
        }
        return USCC_CHARACTERS.charAt((31 - sum % 31) % 31);
    }

    private static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }
}
