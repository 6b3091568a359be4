package io.posunbind.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.rules.RuleViolation;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unified social credit codes (GB 32100-2015).
 *
 * <p>Published codes used here, and where they were published:
 * <ul>
 *   <li>91350100M000100Y43: the worked example of the GB 32100-2015 check-character calculation, as
 *       reproduced in "统一社会信用代码唯一性校验规则" (https://renrendoc.com/p-47802332.html), which shows
 *       that 91350100M000100Y4Z is wrong and that the check character must be 3; the corrected code is
 *       the format illustration of the English Wikipedia article "Unified Social Credit Identifier".</li>
 *   <li>914403001922038216, 华为技术有限公司 (Huawei Technologies): infobox of the Chinese Wikipedia
 *       article 華為 (https://zh.wikipedia.org/zh-hk/華為).</li>
 *   <li>91440300708461136T, 深圳市腾讯计算机系统有限公司: China Check sample report
 *       (https://check-china.com/example_report/en/8), "Unified social credit code".</li>
 *   <li>9144030071526726XG 腾讯科技（深圳）有限公司, 91110000710926094P 中国石油化工股份有限公司 (Sinopec)
 *       and 91310000631696382C 宝山钢铁股份有限公司 (Baosteel): China Checkup, "Unified Social Credit
 *       Code" (https://www.chinacheckup.com/blogs/articles/unified-social-credit-code).</li>
 *   <li>91310000736239890T, 中国银联股份有限公司 (China UnionPay): the owner of UnionPay's signing
 *       certificate, "CFCA@中国银联@N91310000736239890T@9", which UnionPay's Java acp SDK
 *       ({@code CertUtil.verifyCertificate}) accepts.</li>
 *   <li>12100000400000624D 清华大学 (Tsinghua University, a public institution: authority 1, type 2)
 *       and 12440300455752807L 清华大学深圳国际研究生院: the universities' invoice headers (发票抬头,
 *       纳税人识别号) as published in Tsinghua laboratories' public handbooks.</li>
 * </ul>
 * Every one was checked with {@link UnifiedSocialCreditCodeValidator#checkCharacter} and the worked
 * example also by hand in {@link #workedExampleOfTheStandardByHand()}.
 */
class UnifiedSocialCreditCodeValidatorTest {

    private static final String FIELD = "businessLicence.unifiedSocialCreditCode";

    private final UnifiedSocialCreditCodeValidator validator = new UnifiedSocialCreditCodeValidator();

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            91350100M000100Y43 | GB 32100-2015 worked example, corrected
            914403001922038216 | 华为技术有限公司
            91440300708461136T | 深圳市腾讯计算机系统有限公司
            9144030071526726XG | 腾讯科技（深圳）有限公司
            91110000710926094P | 中国石油化工股份有限公司
            91310000631696382C | 宝山钢铁股份有限公司
            91310000736239890T | 中国银联股份有限公司
            12100000400000624D | 清华大学
            12440300455752807L | 清华大学深圳国际研究生院
            """)
    void acceptsPublishedCodes(String code, String holder) {
        assertEquals(List.of(), validator.validate(FIELD, code), holder);
        assertTrue(UnifiedSocialCreditCodeValidator.isValid(code), holder);
        assertEquals(code.charAt(17), UnifiedSocialCreditCodeValidator.checkCharacter(code.substring(0, 17)), holder);
    }

    @Test
    void workedExampleOfTheStandardByHand() {
        // 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 have the values 9 1 3 5 0 1 0 0 21 0 0 0 1 0 0 30 4;
        // the weights 3^(i-1) mod 31 are 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28;
        // the products are 9 3 27 135 0 26 0 0 420 0 0 0 8 0 0 900 112, which sum to 1640;
        // 1640 mod 31 = 28, and 31 - 28 = 3, so the check character is '3', not 'Z'.
        assertEquals('3', UnifiedSocialCreditCodeValidator.checkCharacter("91350100M000100Y4"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            91350100M000100Y4Z  | VAL-USCC-FORMAT
            91350100M000100Y44  | VAL-USCC-CHECK
            914403001922038217  | VAL-USCC-CHECK
            914403001922038261  | VAL-USCC-CHECK
            91440300I922038216  | VAL-USCC-FORMAT
            91110000710926O94P  | VAL-USCC-FORMAT
            914403001922038Z16  | VAL-USCC-FORMAT
            91310000S31696382C  | VAL-USCC-FORMAT
            9131000063169638VC  | VAL-USCC-FORMAT
            9144030071526726xg  | VAL-USCC-FORMAT
            '9144030019220382 6'| VAL-USCC-FORMAT
            9144030019220382-6  | VAL-USCC-FORMAT
            91440300192203821   | VAL-USCC-FORMAT
            9144030019220382160 | VAL-USCC-FORMAT
            ９１４４０３００１９２２０３８２１６ | VAL-USCC-FORMAT
            """)
    void rejectsBrokenCodes(String code, String expectedCodes) {
        assertEquals(codes(expectedCodes), codesOf(validator.validate(FIELD, code)));
        assertFalse(UnifiedSocialCreditCodeValidator.isValid(code));
    }

    static Stream<Arguments> generatedCodes() {
        return Stream.of(
                // The structure checks, each alone: the check character is right.
                Arguments.of(withCheck("B1440300192203821"), "VAL-USCC-AUTHORITY"),
                Arguments.of(withCheck("01440300192203821"), "VAL-USCC-AUTHORITY"),
                Arguments.of(withCheck("94440300192203821"), "VAL-USCC-INSTITUTION-TYPE"),
                Arguments.of(withCheck("Y2440300192203821"), "VAL-USCC-INSTITUTION-TYPE"),
                Arguments.of(withCheck("1A440300192203821"), "VAL-USCC-INSTITUTION-TYPE"),
                Arguments.of(withCheck("9144A300192203821"), "VAL-USCC-DIVISION"),
                Arguments.of(withCheck("91440300192203821").replace("91440", "914R0"), "VAL-USCC-DIVISION VAL-USCC-CHECK"),
                // Several problems at once are all reported.
                Arguments.of("B4440300192203821" + "0", "VAL-USCC-AUTHORITY VAL-USCC-CHECK"),
                Arguments.of("944403A0192203821" + "0", "VAL-USCC-INSTITUTION-TYPE VAL-USCC-DIVISION VAL-USCC-CHECK"),
                // Authorities and types assigned by the code centre beside 1, 5, 9 and Y are accepted.
                Arguments.of(withCheck("31110000400834282"), ""),
                Arguments.of(withCheck("32110000400834282"), ""),
                Arguments.of(withCheck("35110000400834282"), ""),
                Arguments.of(withCheck("36110000400834282"), "VAL-USCC-INSTITUTION-TYPE"),
                Arguments.of(withCheck("53100000500021676"), ""),
                Arguments.of(withCheck("52310000MJ4999999"), ""),
                Arguments.of(withCheck("81110000MC1234567"), ""),
                Arguments.of(withCheck("N2130100MF1234567"), ""),
                Arguments.of(withCheck("A1100000MB1234567"), ""),
                Arguments.of(withCheck("Y1110000MD1234567"), ""),
                Arguments.of(withCheck("92330100MA2AAAAAA"), ""),
                Arguments.of(withCheck("93330100MA2BBBBBB"), ""));
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @MethodSource("generatedCodes")
    void checksStructureAndReportsEveryProblem(String code, String expectedCodes) {
        assertEquals(codes(expectedCodes), codesOf(validator.validate(FIELD, code)));
    }

    @Test
    void namesTheExpectedCheckCharacterOfThePublicCode() {
        List<RuleViolation> violations = validator.validate(FIELD, "91350100M000100Y44");
        assertEquals(1, violations.size());
        assertEquals(FIELD, violations.get(0).field());
        assertTrue(violations.get(0).message().contains("'3'"), violations.get(0).message());
    }

    @Test
    void explainsTheLettersThatAreNeverUsed() {
        String message = validator.validate(FIELD, "91440300I922038216").get(0).message();
        assertTrue(message.contains("Character 9"), message);
        assertTrue(message.contains("'I'"), message);
    }

    @Test
    void checkCharacterRejectsWhatItCannotCompute() {
        assertThrows(IllegalArgumentException.class, () -> UnifiedSocialCreditCodeValidator.checkCharacter("9144030019220382"));
        assertThrows(IllegalArgumentException.class, () -> UnifiedSocialCreditCodeValidator.checkCharacter("91440300I92203821"));
        assertThrows(NullPointerException.class, () -> UnifiedSocialCreditCodeValidator.checkCharacter(null));
    }

    @Test
    void isValidIsFalseForNull() {
        assertFalse(UnifiedSocialCreditCodeValidator.isValid(null));
    }

    private static String withCheck(String first17) {
        return first17 + UnifiedSocialCreditCodeValidator.checkCharacter(first17);
    }

    static List<String> codes(String spaceSeparated) {
        return spaceSeparated == null || spaceSeparated.isBlank()
                ? List.of()
                : Arrays.asList(spaceSeparated.trim().split("\\s+"));
    }

    static List<String> codesOf(List<RuleViolation> violations) {
        return violations.stream().map(RuleViolation::code).toList();
    }
}
