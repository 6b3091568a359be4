package io.posunbind.validation;

import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codes;
import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resident identity numbers (GB 11643-1999).
 *
 * <p>Published numbers used here, and where they were published:
 * <ul>
 *   <li>11010519491231002X (北京市朝阳区, born 1949-12-31) and 440524188001010014 (广东省汕头市, born
 *       1880-01-01): the examples of GB 11643-1999 "公民身份号码", Appendix A (公民身份号码实例), as
 *       reproduced for example at https://download.csdn.net/download/kudy21/2033732 (both numbers) and
 *       https://barkure.xlog.app/MOD-112 (the first, "Appendix A ... of the national standard"). The second
 *       has a correct check digit, but its birth year 1880 is before the 1900-01-01 floor this validator
 *       applies, so it is rejected with VAL-ID-BIRTH-DATE alone.</li>
 * </ul>
 * The other numbers are made here from those two with {@link ResidentIdentityNumberValidator#checkDigit}.
 *
 * <p>Worked example by hand, 11010519491231002X: digits 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2, weights
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, products 7 9 0 5 0 20 2 9 24 27 7 18 30 5 0 0 4, sum 167;
 * 167 mod 11 = 2, and the table 1 0 X 9 8 7 6 5 4 3 2 gives X for 2.
 */
class ResidentIdentityNumberValidatorTest {

    private static final String FIELD = "legalRepresentative.identityNumber";

    /** 2026-06-15 08:00 in China. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-15T00:00:00Z"), ZoneOffset.UTC);

    private final ResidentIdentityNumberValidator validator = new ResidentIdentityNumberValidator(CLOCK);

    @Test
    void workedExampleOfTheStandardByHand() {
        assertEquals('X', ResidentIdentityNumberValidator.checkDigit("11010519491231002"));
        assertEquals('4', ResidentIdentityNumberValidator.checkDigit("44052418800101001"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            11010519491231002X
            11010519491231002x
            110105200002290021
            110105190012310026
            110105202606150029
            """)
    void acceptsValidNumbers(String number) {
        assertEquals(List.of(), validator.validate(FIELD, number));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            440524188001010014  | VAL-ID-BIRTH-DATE
            110105194912310021  | VAL-ID-CHECK
            11010519491231002Y  | VAL-ID-FORMAT
            11010519491231A02X  | VAL-ID-FORMAT
            X10105194912310021  | VAL-ID-FORMAT
            110105199902300023  | VAL-ID-BIRTH-DATE
            110105199902300024  | VAL-ID-BIRTH-DATE VAL-ID-CHECK
            110105190002290025  | VAL-ID-BIRTH-DATE
            110105194913310021  | VAL-ID-BIRTH-DATE
            110105194912000021  | VAL-ID-BIRTH-DATE
            110105189912310023  | VAL-ID-BIRTH-DATE
            110105202606160024  | VAL-ID-BIRTH-DATE
            110105202606160020  | VAL-ID-BIRTH-DATE VAL-ID-CHECK
            110105491231002     | VAL-ID-FORMAT
            11010519491231002   | VAL-ID-FORMAT
            11010519491231002X0 | VAL-ID-FORMAT
            '11010519491231002 '| VAL-ID-FORMAT
            １１０１０５１９４９１２３１００２X | VAL-ID-FORMAT
            """)
    void rejectsBrokenNumbers(String number, String expectedCodes) {
        assertEquals(codes(expectedCodes), codesOf(validator.validate(FIELD, number)));
    }

    static Stream<Arguments> birthDatesAroundMidnight() {
        // 2026-06-14 17:00 UTC is already 2026-06-15 01:00 in China: a baby born that day is not "in the future".
        Clock justAfterMidnightInChina = Clock.fixed(Instant.parse("2026-06-14T17:00:00Z"), ZoneOffset.UTC);
        // 2026-06-14 15:59 UTC is still 2026-06-14 in China: the 15th is tomorrow there.
        Clock justBeforeMidnightInChina = Clock.fixed(Instant.parse("2026-06-14T15:59:00Z"), ZoneOffset.UTC);
        return Stream.of(
                Arguments.of(justAfterMidnightInChina, "110105202606150029", ""),
                Arguments.of(justBeforeMidnightInChina, "110105202606150029", "VAL-ID-BIRTH-DATE"));
    }

    @ParameterizedTest(name = "{1} at {0} -> [{2}]")
    @MethodSource("birthDatesAroundMidnight")
    void judgesTheFutureByTheDateInChina(Clock clock, String number, String expectedCodes) {
        assertEquals(codes(expectedCodes), codesOf(new ResidentIdentityNumberValidator(clock).validate(FIELD, number)));
    }

    @Test
    void theNoArgumentValidatorUsesTheSystemClock() {
        assertEquals(List.of(), new ResidentIdentityNumberValidator().validate(FIELD, "11010519491231002X"));
    }

    @Test
    void checkDigitRejectsWhatItCannotCompute() {
        assertThrows(IllegalArgumentException.class, () -> ResidentIdentityNumberValidator.checkDigit("1101051949123100"));
        assertThrows(IllegalArgumentException.class, () -> ResidentIdentityNumberValidator.checkDigit("1101051949123100X"));
        assertThrows(NullPointerException.class, () -> ResidentIdentityNumberValidator.checkDigit(null));
        assertThrows(NullPointerException.class, () -> new ResidentIdentityNumberValidator(null));
    }
}
