package io.posunbind.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** What the scrubber masks in free text, and what it deliberately leaves readable. */
class SensitiveNumberScrubberTest {

    @Test
    void cardNumbersKeepOnlyTheirLastFourDigits() {
        assertEquals("卡号 ***************6789", SensitiveNumberScrubber.scrub("卡号 6222021001123456789"));
        assertEquals("**** **** **** ***6 789", SensitiveNumberScrubber.scrub("6222 0210 0112 3456 789"));
        assertEquals("****-****-****-0016", SensitiveNumberScrubber.scrub("6250-9460-0000-0016"));
        // A 12- to 15-digit card is recognised by its Luhn check digit.
        assertEquals("***********0005", SensitiveNumberScrubber.scrub("378282246310005"));
    }

    @Test
    void identityNumbersAreMaskedWhetherTheyEndInADigitOrX() {
        assertEquals("**************002X", SensitiveNumberScrubber.scrub("11010519491231002X"));
        assertEquals("id **************0021.", SensitiveNumberScrubber.scrub("id 110105194912310021."));
    }

    @Test
    void longAccountNumbersAreMaskedEvenWithoutACheckDigit() {
        assertEquals("****************0512", SensitiveNumberScrubber.scrub("31050161373700000512"));
    }

    @Test
    void fullWidthDigitsFromChineseInputMethodsAreMaskedToo() {
        assertEquals("卡***************６７８９", SensitiveNumberScrubber.scrub("卡６２２２０２１００１１２３４５６７８９"));
    }

    @Test
    void mobileNumbersKeepTheirFirstThreeAndLastFourDigits() {
        assertEquals("联系 138****5678", SensitiveNumberScrubber.scrub("联系 13812345678"));
    }

    @Test
    void merchantNumbersDatesAndShortNumbersStayReadable() {
        String text = "商户号 898310058120001，终端 0820000001，2026-11-25，工单 20261125，金额 268.00";
        assertSame(text, SensitiveNumberScrubber.scrub(text));
    }

    @Test
    void scrubbingTwiceChangesNothingMore() {
        String once = SensitiveNumberScrubber.scrub("6222021001123456789 13812345678 11010519491231002X");
        assertEquals(once, SensitiveNumberScrubber.scrub(once));
    }
}
