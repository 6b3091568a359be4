package io.posunbind.validation;

import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codes;
import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Terminal serial numbers, against the default pattern and a provider's own. */
class TerminalSerialNumberValidatorTest {

    private static final String FIELD = "terminal.serialNumber";

    private final TerminalSerialNumberValidator byDefault =
            new TerminalSerialNumberValidator(TerminalSerialNumberValidator.defaultPattern());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ABC123", "0820123456", "PAX-A920-0001", "n86-2000-sn", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"})
    void defaultPatternAcceptsSixToThirtyTwoLettersDigitsAndHyphens(String serialNumber) {
        assertEquals(List.of(), byDefault.validate(FIELD, serialNumber));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ABC12
            ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456
            SN 123456
            SN_123456
            'ABC123 '
            序列号123456
            ＡＢＣ１２３
            """)
    void defaultPatternRejectsOtherShapes(String serialNumber) {
        assertEquals(codes("VAL-SN-FORMAT"), codesOf(byDefault.validate(FIELD, serialNumber)));
    }

    @Test
    void providerPatternDecides() {
        TerminalSerialNumberValidator tenDigits = TerminalSerialNumberValidator.forPattern("\\d{10}");
        assertEquals(List.of(), tenDigits.validate(FIELD, "0820123456"));
        assertEquals(codes("VAL-SN-FORMAT"), codesOf(tenDigits.validate(FIELD, "082012345X")));
        assertEquals(codes("VAL-SN-FORMAT"), codesOf(tenDigits.validate(FIELD, "08201234567")));
        // The whole value must match, not a part of it.
        assertEquals(codes("VAL-SN-FORMAT"), codesOf(tenDigits.validate(FIELD, "SN0820123456")));
    }

    @Test
    void messageNamesThePatternToFollow() {
        String message = TerminalSerialNumberValidator.forPattern("\\d{10}").validate(FIELD, "X").get(0).message();
        assertTrue(message.contains("\\d{10}"), message);
    }

    @Test
    void valuesBeyondTheMaximumAreNotMatched() {
        // Even a pattern that would accept anything cannot make an over-long value valid.
        TerminalSerialNumberValidator anything = TerminalSerialNumberValidator.forPattern(".*");
        assertEquals(List.of(), anything.validate(FIELD, "A".repeat(TerminalSerialNumberValidator.MAX_LENGTH)));
        assertEquals(codes("VAL-SN-FORMAT"),
                codesOf(anything.validate(FIELD, "A".repeat(TerminalSerialNumberValidator.MAX_LENGTH + 1))));
    }

    @Test
    void factoriesAndAccessors() {
        Pattern pattern = Pattern.compile("[0-9]{8}");
        assertSame(pattern, new TerminalSerialNumberValidator(pattern).pattern());
        assertEquals("[A-Za-z0-9-]{6,32}", TerminalSerialNumberValidator.defaultPattern().pattern());
        assertThrows(PatternSyntaxException.class, () -> TerminalSerialNumberValidator.forPattern("[unclosed"));
        assertThrows(NullPointerException.class, () -> TerminalSerialNumberValidator.forPattern(null));
        assertThrows(NullPointerException.class, () -> new TerminalSerialNumberValidator(null));
    }
}
