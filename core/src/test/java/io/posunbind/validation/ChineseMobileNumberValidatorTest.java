package io.posunbind.validation;

import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codes;
import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chinese mobile numbers. 13800138000 is the number commonly used as a placeholder in Chinese forms and
 * documentation; the others are made up from it and belong to no one known.
 */
class ChineseMobileNumberValidatorTest {

    private static final String FIELD = "merchant.registeredMobile";

    private final ChineseMobileNumberValidator validator = new ChineseMobileNumberValidator();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            13800138000
            19912345678
            14700000000
            +8613800138000
            8613800138000
            +86 138 0013 8000
            86-138-0013-8000
            138-0013-8000
            ' 138 0013 8000 '
            """)
    void acceptsMobileNumbers(String number) {
        assertEquals(List.of(), validator.validate(FIELD, number));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            12345678901
            10086100861
            1380013800
            138001380000
            +138001380000
            +1 415 555 2671
            008613800138000
            +86 1380013800
            138a0013800
            (010)12345678
            01012345678
            +86+13800138000
            13800138000+
            １３８００１３８０００
            """)
    void rejectsWhatIsNoMobileNumber(String number) {
        assertEquals(codes("VAL-MOBILE-FORMAT"), codesOf(validator.validate(FIELD, number)));
    }
}
