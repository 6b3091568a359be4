package io.posunbind.spi.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SensitiveNumberTest {

    @Test
    void aCardNumberShowsAtMostTheFirstSixAndLastFourDigits() {
        CardNumber card = CardNumber.of("6222 8212 3456 0017");
        assertEquals("622282******0017", card.toString());
        assertEquals("6222821234560017", card.reveal());
    }

    @Test
    void shortAccountNumbersKeepOnlyTheirEnd() {
        assertEquals("********5678", AccountNumber.of("123456785678").masked());
        // Too short to show four digits safely: only the last quarter stays.
        assertEquals("***4", AccountNumber.of("1234").masked());
    }

    @Test
    void identityAndPhoneNumbersAreMasked() {
        assertEquals("1****************X", IdentityNumber.of("11010519491231002X").toString());
        assertEquals("138****5678", PhoneNumber.of("13812345678").toString());
    }

    @Test
    void recordsThatHoldSensitiveNumbersPrintThemMasked() {
        SettlementAccount account = new SettlementAccount(SettlementAccountKind.BANK_CARD,
                AccountNumber.of("6222821234560017"), "示例餐饮", "工商银行");
        Document document = new Document.SettlementAccountProof(account);
        assertFalse(account.toString().contains("6222821234560017"));
        assertFalse(document.toString().contains("6222821234560017"));
        assertFalse(Optional.of(account).toString().contains("2821234560"));
    }

    @Test
    void equalityIsByValueAndKind() {
        assertEquals(AccountNumber.of("6222821234560017"), AccountNumber.of("6222-8212-3456-0017"));
        assertNotEquals(AccountNumber.of("6222821234560017"), CardNumber.of("6222821234560017"));
    }

    @Test
    void malformedNumbersAreRefusedWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CardNumber.of("12ab"));
        assertFalse(e.getMessage().contains("12ab"));
        assertThrows(NullPointerException.class, () -> PhoneNumber.of(null));
    }
}
