package io.posunbind.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.internal.rules.InventoryRules;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.validation.BankCardNumberValidator;
import io.posunbind.validation.ChineseMobileNumberValidator;
import io.posunbind.validation.ResidentIdentityNumberValidator;
import io.posunbind.validation.TerminalSerialNumberValidator;
import io.posunbind.validation.UnifiedSocialCreditCodeValidator;
import io.posunbind.validation.ValidationCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagesTest {

    private static final Messages EN = Messages.forLocale(Locale.ENGLISH);
    private static final Messages ZH = Messages.forLocale(Locale.SIMPLIFIED_CHINESE);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "zh, zh-CN",
            "zh-CN, zh-CN",
            "zh-Hans, zh-CN",
            "zh-Hans-CN, zh-CN",
            "zh-Hans-SG, zh-CN",
            "zh-TW, en",
            "zh-HK, en",
            "zh-Hant, en",
            "zh-Hant-CN, en",
            "zh-SG, en",
            "en, en",
            "en-US, en",
            "en-GB, en",
            "fr-FR, en",
            "ja-JP, en",
            "und, en"})
    void chooseChineseOnlyForSimplifiedChinese(String requested, String expected) {
        Messages messages = Messages.forLocale(Locale.forLanguageTag(requested));
        assertEquals(Locale.forLanguageTag(expected), messages.locale());
        assertSame(expected.equals("en") ? EN : ZH, messages);
    }

    @Test
    void englishStaysEnglishOnAChineseSystem() {
        // Why messages_en.properties exists: without it, an English lookup would fall back to the JVM's
        // default locale and find the Chinese bundle.
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            ResourceBundle.clearCache();
            ResourceBundle bundle = ResourceBundle.getBundle(Messages.BUNDLE, Locale.ENGLISH);
            assertEquals("Shut the old terminal down", bundle.getString("step.DECOMMISSION_TERMINAL"));
        } finally {
            Locale.setDefault(before);
            ResourceBundle.clearCache();
        }
    }

    @Test
    void namesEnumConstantsInBothLanguages() {
        assertEquals("关闭旧POS机", ZH.name(StepKind.DECOMMISSION_TERMINAL));
        assertEquals("Shut the old terminal down", EN.name(StepKind.DECOMMISSION_TERMINAL));
        assertEquals("测试交易", ZH.name(StepKind.RUN_TEST_TRANSACTION));
        assertEquals("等待中", ZH.name(CaseState.WAITING));
        assertEquals("设备绑定", ZH.name(BindingKind.DEVICE));
        assertEquals("账户绑定", ZH.name(BindingKind.ACCOUNT));
        assertEquals("营业执照", ZH.name(DocumentKind.BUSINESS_LICENCE));
        assertEquals("押金退还", ZH.name(FeeKind.DEPOSIT_REFUND));
        assertEquals("更换支付系统", ZH.name(UnbindReason.PAYMENT_SYSTEM_CHANGE));
        assertEquals("已关闭", ZH.name(TerminalStatus.DECOMMISSIONED));
        assertEquals("银行卡", ZH.name(SettlementAccountKind.BANK_CARD));
    }

    @Test
    void namesOfCodeEnumsAreTheirErrorTexts() {
        assertEquals(ZH.errorText(CoreErrorCode.CASE_NOT_FOUND), ZH.name(CoreErrorCode.CASE_NOT_FOUND));
        assertEquals("找不到该解绑案件，请核对案件编号。", ZH.errorText(CoreErrorCode.CASE_NOT_FOUND));
        assertEquals("The terminal is active and must be disabled first.",
                EN.errorText(StandardErrorCode.TERMINAL_ACTIVE));
        assertTrue(ZH.errorText(RuleCode.TERMINAL_BOUND_TO_SEVERAL_MERCHANTS).contains("一机多户"));
    }

    @Test
    void explainsCodesKeptAsText() {
        assertEquals(Optional.of("终端处于启用状态，须先停用。"), ZH.codeText("PRV-TERMINAL-ACTIVE"));
        assertEquals(Optional.of(ZH.errorText(RuleCode.FUNDS_UNSETTLED)), ZH.codeText("RULE-FUNDS-UNSETTLED"));
        assertEquals(Optional.of(EN.errorText(CoreErrorCode.RETRIES_EXHAUSTED)), EN.codeText("UNB-RETRIES-EXHAUSTED"));
        assertEquals(Optional.of(EN.text("validation.VAL-CARD-LUHN.brief")), EN.codeText(ValidationCodes.CARD_LUHN));
        assertEquals(Optional.empty(), EN.codeText("ACME-42"));
    }

    @Test
    void aProvidersOwnCodeWithoutTextShowsTheCode() {
        ErrorCode acme = new ErrorCode() {
            @Override
            public String code() {
                return "ACME-CARD-EXPIRED";
            }

            @Override
            public boolean retryable() {
                return false;
            }
        };
        assertEquals("ACME-CARD-EXPIRED", ZH.errorText(acme));
    }

    @Test
    void fillsArgumentsInEitherOrder() {
        assertEquals("The card number has 15 digits, but a card number has 12 to 19 (a UnionPay card 16 to 19)."
                + " Check that no digit is missing or repeated.", EN.text("validation.VAL-CARD-LENGTH", 15));
        assertEquals("统一社会信用代码的第3至8位是登记管理机关行政区划码，须为数字，但第5位是“A”。请对照营业执照核对。",
                ZH.text("validation.VAL-USCC-DIVISION", 5, 'A'));
        assertEquals("The check character (the 18th) does not match the first 17 characters, for which it would be"
                + " '3'. A character was probably mistyped; compare the whole code with the business licence.",
                EN.text("validation.VAL-USCC-CHECK", '3'));
        assertEquals("24个月总成本¥2,680", ZH.text("ranking.cost", "¥2,680", 24));
        assertEquals("total cost ¥2,680 over 1 month", EN.text("ranking.cost", "¥2,680", 1));
    }

    @Test
    void aMissingKeyShowsTheKeyAndIsLoggedOnce() {
        String key = "nowhere." + UUID.randomUUID();
        String log = capturingStandardError(() -> {
            assertEquals(key, ZH.text(key));
            assertEquals(key, ZH.text(key, 1, 2));
            assertEquals(key, ZH.text(key));
        });
        assertEquals(1, log.lines().filter(line -> line.contains(key)).count(), log);
        assertTrue(log.contains("WARN"), log);
        assertTrue(EN.find(key).isEmpty());
    }

    @Test
    void describesAMissingDocumentByItsName() {
        RuleViolation missing = RuleViolation.of(RuleCode.DOCUMENT_MISSING, "TRAINING_MATERIAL",
                "Submit the staff training material for the new terminal");
        assertEquals("新POS机员工培训资料：必需但未提交，请随案件补充提交。", ZH.describe(missing));
        assertEquals("Staff training material for the new terminal: Required but not submitted. Submit it with the"
                + " case.", EN.describe(missing));
    }

    @Test
    void describesAnInvalidFieldByTheValidatorsCodeItCarries() {
        RuleViolation invalid = new RuleViolation(RuleCode.DOCUMENT_INVALID.code(),
                "BUSINESS_LICENCE.unifiedSocialCreditCode", "The check character ... would be '3'. [VAL-USCC-CHECK]");
        assertEquals("营业执照的统一社会信用代码：校验码（第18位）与前17位不符。可能有字符输错，请对照营业执照逐位核对。",
                ZH.describe(invalid));
        assertTrue(EN.describe(invalid).startsWith("Business licence, Unified social credit code: The check character"),
                EN.describe(invalid));
    }

    @Test
    void describesAValidatorsOwnViolation() {
        RuleViolation luhn = new BankCardNumberValidator().validate("SETTLEMENT_ACCOUNT.cardNumber", "6222821234560018")
                .get(0);
        assertEquals(ValidationCodes.CARD_LUHN, luhn.code());
        assertEquals("结算账户信息的银行卡号：卡号校验位（Luhn）不符：有数字输错或两位顺序颠倒。请对照卡面重新填写。",
                ZH.describe(luhn));
    }

    @Test
    void describesBindingsAndRequestFields() {
        assertEquals("解绑范围的账户绑定：支付服务商无法解除此项绑定。",
                ZH.describe(RuleViolation.of(RuleCode.BINDING_NOT_SUPPORTED, "scope.ACCOUNT", "…")));
        assertEquals("商户号：请求无效：有字段缺失、过长或格式不正确。请更正后重新提交。",
                ZH.describe(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "merchantNumber", "…")));
    }

    @Test
    void anUnknownCodeKeepsItsOwnMessageAndAnEmptyFieldIsLeftOut() {
        assertEquals("供应商：终端已锁定",
                ZH.describe(new RuleViolation("ACME-LOCKED", "供应商", "终端已锁定")));
        assertEquals("该终端已解绑或已关闭。", ZH.describe(RuleViolation.of(RuleCode.TERMINAL_NOT_BOUND, "", "…")));
    }

    @Test
    void everyViolationTheRulesAndValidatorsProduceReadsAsChinese() {
        List<RuleViolation> violations = new ArrayList<>();
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);
        UnbindRequest request = UnbindRequest.builder().provider("p").merchantNumber("M1").terminalSerial("SN1")
                .reason(UnbindReason.CLOSURE).allBindings().requestedBy(Actor.operator("op")).build();
        violations.addAll(new DocumentRules(clock).check(request, List.of(DocumentKind.USAGE_RECORD_EXPORT), List.of(
                new Document.BusinessLicence("91310000MA1FL4B24A", " "),
                new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_CARD,
                        AccountNumber.of("62228212345600"), "示例餐饮", "工商银行")),
                new Document.LegalRepresentativeIdentity("张三", IdentityNumber.of("110105194913310021")),
                new Document.TerminalInformation("SN2", "PAX A920")), null, null));
        violations.addAll(new InventoryRules().check(request, new Terminal("SN1", "PAX A920", TerminalStatus.UNBOUND,
                List.of("M2", "M3"), Optional.empty(), List.of())));
        violations.addAll(new UnifiedSocialCreditCodeValidator().validate("uscc", "X1AB0000MA1FL4B24A"));
        violations.addAll(new UnifiedSocialCreditCodeValidator().validate("uscc", "91310000ma1fl4b24g"));
        violations.addAll(new ResidentIdentityNumberValidator(clock).validate("identityNumber", "11010519491231002"));
        violations.addAll(new BankCardNumberValidator().validate("cardNumber", "6222-82x1"));
        violations.addAll(new ChineseMobileNumberValidator().validate("mobileNumber", "12345"));
        violations.addAll(new TerminalSerialNumberValidator(TerminalSerialNumberValidator.defaultPattern()).validate("serialNumber", "a b"));
        violations.addAll(new TerminalSerialNumberValidator(TerminalSerialNumberValidator.defaultPattern()).validate("serialNumber", null));
        assertTrue(violations.size() >= 15, violations.toString());

        for (RuleViolation violation : violations) {
            String text = ZH.describe(violation);
            assertFalse(text.contains("rule.") || text.contains("validation.") || text.contains("error."), text);
            assertTrue(text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                    text);
            assertFalse(text.equals(violation.message()), text);
            assertFalse(text.contains("62228212345600") || text.contains("110105194913310021"), text);
            assertFalse(EN.describe(violation).contains("rule."), EN.describe(violation));
        }
    }

    @ParameterizedTest(name = "{0} fen")
    @CsvSource(delimiter = '|', textBlock = """
            268000 | ¥2,680 | ¥2,680
            1250   | ¥12.50 | ¥12.50
            -20000 | -¥200  | -¥200
            5      | ¥0.05  | ¥0.05
            0      | ¥0     | ¥0
            """)
    void formatsYuanTheSameWayInBothLanguages(long fen, String english, String chinese) {
        assertEquals(english, EN.money(Money.cny(fen)));
        assertEquals(chinese, ZH.money(Money.cny(fen)));
    }

    @Test
    void formatsOtherCurrenciesWithTheirDigits() {
        assertEquals("¥1,200", EN.money(new Money(1200, Currency.getInstance("JPY"))).replace("JP", ""));
        assertEquals("$1,234.56", EN.money(new Money(123456, Currency.getInstance("USD"))).replace("US", ""));
    }

    @Test
    void joinsListsTheWayEachLanguageDoes() {
        assertEquals("", EN.list(List.of()));
        assertEquals("银联", ZH.list(List.of("银联")));
        assertEquals("UnionPay and Alipay", EN.list(List.of("UnionPay", "Alipay")));
        assertEquals("银联和支付宝", ZH.list(List.of("银联", "支付宝")));
        assertEquals("UnionPay, WeChat Pay and Alipay", EN.list(List.of("UnionPay", "WeChat Pay", "Alipay")));
        assertEquals("银联、微信支付和支付宝", ZH.list(List.of("银联", "微信支付", "支付宝")));
        assertEquals("A, B, C and D", EN.list(List.of("A", "B", "C", "D")));
        assertEquals("A、B、C和D", ZH.list(List.of("A", "B", "C", "D")));
        // Items are arguments, never patterns: braces and apostrophes in them print as they are.
        assertEquals("{0} and it's", EN.list(List.of("{0}", "it's")));
    }

    @Test
    void rejectsNullWhereNullIsNoValue() {
        assertThrows(NullPointerException.class, () -> Messages.forLocale(null));
        assertThrows(NullPointerException.class, () -> EN.text(null));
        assertThrows(NullPointerException.class, () -> EN.name(null));
        assertThrows(NullPointerException.class, () -> EN.describe(null));
        assertThrows(NullPointerException.class, () -> EN.money(null));
        // Arguments may be null, as MessageFormat prints them.
        assertEquals("does not support null", EN.text("ranking.channels.missing", (Object) null));
    }

    private static String capturingStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
