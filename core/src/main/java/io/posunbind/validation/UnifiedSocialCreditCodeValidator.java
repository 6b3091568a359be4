package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates a unified social credit code (统一社会信用代码), the 18-character code on a business
 * licence, against GB 32100-2015.
 *
 * <p>It checks, and reports every failure of:
 * <ul>
 *   <li>the form: exactly 18 characters from {@code 0-9} and the upper-case letters other than
 *       {@code I, O, Z, S, V} ({@link ValidationCodes#USCC_FORMAT}); lower-case letters are rejected
 *       rather than folded, because the code is compared with the provider's records character by
 *       character. A form problem stops the other checks, since positions can no longer be trusted;</li>
 *   <li>character 1, the registration authority (登记管理部门), is one that has been assigned:
 *       {@code 1} 机构编制, {@code 5} 民政, {@code 9} 工商 (market regulation) and {@code Y} other, which
 *       GB 32100-2015 lists, plus {@code 2} 外交, {@code 3} 司法行政, {@code 4} 文化, {@code 6} 旅游,
 *       {@code 7} 宗教, {@code 8} 工会, {@code A} 中央军委改革和编制办公室 and {@code N} 农业, assigned
 *       since, so that law firms ({@code 31…}) or trade unions ({@code 81…}) are not turned away
 *       ({@link ValidationCodes#USCC_AUTHORITY});</li>
 *   <li>character 2, the institution type (机构类别), is one that this authority assigns, for example
 *       {@code 1} enterprise, {@code 2} individual business, {@code 3} farmers' cooperative under
 *       {@code 9} ({@link ValidationCodes#USCC_INSTITUTION_TYPE});</li>
 *   <li>characters 3 to 8, the administrative division code of the registering office (GB/T 2260),
 *       are digits ({@link ValidationCodes#USCC_DIVISION});</li>
 *   <li>character 18 is the check character: 31 minus the sum of the first 17 character values
 *       weighted by 3<sup>i</sup> mod 31, modulo 31 ({@link ValidationCodes#USCC_CHECK}).</li>
 * </ul>
 * Characters 9 to 17, the entity identifier (主体标识码, the organisation code of GB 11714), are checked
 * only for their character set, not for the GB 11714 check character inside them: GB 32100 guards the
 * whole code with character 18, and a stricter rule here could turn away codes that are valid.
 *
 * <p>The code is public, so messages may quote its characters, including the expected check character.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Example:
 * <pre>{@code
 * UnifiedSocialCreditCodeValidator.isValid("91350100M000100Y43");  // true
 * new UnifiedSocialCreditCodeValidator().validate("licence.uscc", "91350100M000100Y4Z");
 * // one VAL-USCC-FORMAT violation: Z is never used
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class UnifiedSocialCreditCodeValidator implements FieldValidator {

    /** The length of a unified social credit code. */
    public static final int LENGTH = 18;

    /** The 31 characters a code may use, in the order of their values 0 to 30. */
    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /** Weights 3^i mod 31 for positions 1 to 17. */
    private static final int[] WEIGHTS = new int[LENGTH - 1];

    static {
        int weight = 1;
        for (int i = 0; i < WEIGHTS.length; i++) {
            WEIGHTS[i] = weight;
            weight = weight * 3 % 31;
        }
    }

    /** Registration authority (character 1) to the institution types (character 2) it assigns. */
    private static final Map<Character, String> INSTITUTION_TYPES = Map.ofEntries(
            Map.entry('1', "1239"),  // 机构编制: 机关, 事业单位, 群众团体, 其他
            Map.entry('2', "19"),    // 外交: 外国常驻新闻机构, 其他
            Map.entry('3', "123459"), // 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
            Map.entry('4', "19"),    // 文化: 外国在华文化中心, 其他
            Map.entry('5', "1239"),  // 民政: 社会团体, 民办非企业单位, 基金会, 其他
            Map.entry('6', "129"),   // 旅游: 外国 / 港澳台旅游部门常驻代表机构, 其他
            Map.entry('7', "129"),   // 宗教: 宗教活动场所, 宗教院校, 其他
            Map.entry('8', "19"),    // 工会: 基层工会, 其他
            Map.entry('9', "123"),   // 工商: 企业, 个体工商户, 农民专业合作社
            Map.entry('A', "19"),    // 中央军委改革和编制办公室: 军队事业单位, 其他
            Map.entry('N', "1239"),  // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
            Map.entry('Y', "1"));    // 其他

    private static final UnifiedSocialCreditCodeValidator SHARED = new UnifiedSocialCreditCodeValidator();

    /** Creates the validator; it has no settings. */
    public UnifiedSocialCreditCodeValidator() {
    }

    /**
     * Whether a code is valid in every respect this validator checks.
     *
     * @param code the code, possibly {@code null}
     * @return {@code true} if {@link #validate} would report nothing
     */
    public static boolean isValid(String code) {
        return SHARED.validate("unifiedSocialCreditCode", code).isEmpty();
    }

    /**
     * The check character (character 18) for the first 17 characters of a code, for tests and for
     * generators of sample codes. Only the character set is checked, not the registration authority,
     * institution type or division code.
     *
     * @param first17 17 characters from {@code 0-9A-HJ-NPQRTUWXY}
     * @return the check character, a digit or an upper-case letter
     * @throws IllegalArgumentException if {@code first17} does not have 17 characters from that set
     * @throws NullPointerException     if {@code first17} is {@code null}
     */
    public static char checkCharacter(String first17) {
        Objects.requireNonNull(first17, "first17");
        if (first17.length() != LENGTH - 1) {
            throw new IllegalArgumentException("Expected the first 17 characters of a unified social credit code, got "
                    + first17.length() + " characters");
        }
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            int value = ALPHABET.indexOf(first17.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("Character " + (i + 1)
                        + " is not allowed in a unified social credit code (0-9, A-H, J-N, P-R, T, U, W-Y)");
            }
            sum += value * WEIGHTS[i];
        }
        return ALPHABET.charAt((31 - sum % 31) % 31);
    }

    @Override
    public List<RuleViolation> validate(String field, String value) {
        var missing = RequiredValue.missing(field, value,
                "The unified social credit code is missing. "
                        + "Enter the 18-character code printed on the business licence.");
        if (missing.isPresent()) {
            return List.of(missing.get());
        }
        if (value.length() != LENGTH) {
            return List.of(new RuleViolation(ValidationCodes.USCC_FORMAT, field,
                    "The unified social credit code must have 18 characters but has "
                            + (value.length() > 99 ? "far more" : String.valueOf(value.length()))
                            + ". Copy it again from the business licence, without spaces."));
        }
        String formProblem = formProblem(value);
        if (formProblem != null) {
            return List.of(new RuleViolation(ValidationCodes.USCC_FORMAT, field, formProblem));
        }

        List<RuleViolation> violations = new ArrayList<>(4);
        char authority = value.charAt(0);
        String types = INSTITUTION_TYPES.get(authority);
        if (types == null) {
            violations.add(new RuleViolation(ValidationCodes.USCC_AUTHORITY, field,
                    "The first character of the unified social credit code, '" + authority
                            + "', is not a registration authority code (1-9, A, N or Y; 9 for companies and"
                            + " individual businesses). Check the code against the business licence."));
        } else if (types.indexOf(value.charAt(1)) < 0) {
            violations.add(new RuleViolation(ValidationCodes.USCC_INSTITUTION_TYPE, field,
                    "The second character of the unified social credit code, '" + value.charAt(1)
                            + "', is not an institution type that registration authority '" + authority
                            + "' assigns (expected one of " + String.join(", ", types.split(""))
                            + "). Check the code against the business licence."));
        }
        for (int i = 2; i < 8; i++) {
            if (!isAsciiDigit(value.charAt(i))) {
                violations.add(new RuleViolation(ValidationCodes.USCC_DIVISION, field,
                        "Characters 3 to 8 of the unified social credit code are the administrative division"
                                + " code of the registering office and must be digits, but character " + (i + 1)
                                + " is '" + value.charAt(i) + "'. Check the code against the business licence."));
                break;
            }
        }
        char expected = checkCharacter(value.substring(0, LENGTH - 1));
        if (value.charAt(LENGTH - 1) != expected) {
            violations.add(new RuleViolation(ValidationCodes.USCC_CHECK, field,
                    "The check character (the 18th) of the unified social credit code does not match the first 17"
                            + " characters, for which it would be '" + expected + "'. A character was probably"
                            + " mistyped, not necessarily the last; compare the whole code with the business"
                            + " licence."));
        }
        return List.copyOf(violations);
    }

    /** The message for the first character problem of an 18-character value, or null if all are allowed. */
    private static String formProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (ALPHABET.indexOf(c) >= 0) {
                continue;
            }
            String position = "Character " + (i + 1) + " of the unified social credit code";
            if (c >= 'a' && c <= 'z') {
                return position + " is a lower-case letter. Write the code with digits and upper-case letters"
                        + " only, as printed on the business licence.";
            }
            if ("IOZSV".indexOf(c) >= 0) {
                return position + " is the letter '" + c + "', which unified social credit codes never use"
                        + " (I, O, Z, S and V are left out). It is probably a misread digit such as 1, 0, 2 or 5,"
                        + " or the letter U; check the business licence.";
            }
            return position + " is not allowed: the code uses only digits and the upper-case letters A-H, J-N,"
                    + " P-R, T, U and W-Y. Remove spaces and punctuation and check the business licence.";
        }
        return null;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
