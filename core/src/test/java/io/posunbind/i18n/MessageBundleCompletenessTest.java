package io.posunbind.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.posunbind.BindingKind;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.UnbindReason;
import io.posunbind.WaitReason;
import io.posunbind.internal.http.HttpStatuses;
import io.posunbind.replacement.RankingCriterion;
import io.posunbind.rules.RuleCode;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.validation.ValidationCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every user-facing text exists in both languages, and the two bundles agree. The enum constants and
 * validation codes are found by reflection, so a new constant without texts fails here, not in front of a
 * merchant.
 */
class MessageBundleCompletenessTest {

    private static final String BASE = "/io/posunbind/i18n/messages";

    /** Every enum whose constants a user sees by name. */
    private static final List<Class<? extends Enum<?>>> NAMED_ENUMS = List.of(
            StepKind.class, StepStatus.class, CaseState.class, WaitReason.class, UnbindReason.class,
            BindingKind.class, DocumentKind.class, FeeKind.class, TerminalStatus.class, PeripheralKind.class,
            SettlementAccountKind.class, RankingCriterion.class);

    /** Every enum of error or rule codes a user sees the text of. */
    private static final List<Class<? extends Enum<?>>> CODE_ENUMS = List.of(
            CoreErrorCode.class, StandardErrorCode.class, RuleCode.class, SettingErrorCode.class);

    /** Keys the code uses by their literal name, outside the enum- and code-derived ones. */
    private static final List<String> FIXED_KEYS = List.of(
            "violation.format", "violation.fieldPath",
            "list.pair", "list.start", "list.middle", "list.end",
            "ranking.explanation", "ranking.clause", "ranking.ranked", "ranking.disqualified",
            "ranking.ordinal.st", "ranking.ordinal.nd", "ranking.ordinal.rd", "ranking.ordinal.th",
            "ranking.channels.all", "ranking.channels.missing", "ranking.bank.listed", "ranking.bank.unlisted",
            "ranking.features.has", "ranking.features.missing", "ranking.features.none",
            "ranking.security.certified", "ranking.security.missing", "ranking.security.none",
            "ranking.cost", "ranking.cost.lowest", "ranking.cost.overBudget",
            "ranking.tie.cheaper", "ranking.tie.dearer", "ranking.tie.name", "ranking.onlyQualified",
            "cancel.partial");

    /**
     * Keys whose Chinese text may equal the English one: names that are the same in both languages. Kept
     * short on purpose; each entry must really be identical, or the test fails.
     */
    private static final Set<String> SAME_IN_BOTH = Set.of("feature.NFC", "security.PCI_PTS", "security.EMV_L2");

    private static Map<String, String> english;
    private static Map<String, String> chinese;
    private static Map<String, String> englishOverrides;

    @BeforeAll
    static void loadBundles() throws IOException {
        english = load(BASE + ".properties");
        chinese = load(BASE + "_zh_CN.properties");
        englishOverrides = load(BASE + "_en.properties");
    }

    @Test
    void bothLanguagesHaveTheSameKeys() {
        Set<String> onlyEnglish = new TreeSet<>(english.keySet());
        onlyEnglish.removeAll(chinese.keySet());
        Set<String> onlyChinese = new TreeSet<>(chinese.keySet());
        onlyChinese.removeAll(english.keySet());
        assertTrue(onlyEnglish.isEmpty() && onlyChinese.isEmpty(),
                "Missing in messages_zh_CN.properties: " + onlyEnglish
                        + "; missing in messages.properties: " + onlyChinese);
    }

    @Test
    void theEnglishBundleAddsNoKeysOfItsOwn() {
        // messages_en exists only to stop the fallback to the default locale; a key there alone would be
        // English-only and escape the comparison above.
        assertTrue(englishOverrides.isEmpty() || english.keySet().containsAll(englishOverrides.keySet()),
                "messages_en.properties has keys the base bundle lacks: " + englishOverrides.keySet());
    }

    @Test
    void everyNamedEnumConstantHasATextInBothLanguages() {
        assertEquals(Set.copyOf(NAMED_ENUMS), Messages.ENUM_PREFIXES.keySet(),
                "Messages.ENUM_PREFIXES and this test must list the same enums");
        List<String> missing = new ArrayList<>();
        for (Class<? extends Enum<?>> type : NAMED_ENUMS) {
            for (Enum<?> constant : type.getEnumConstants()) {
                requireInBoth(Messages.keyOf(constant), missing);
            }
        }
        assertTrue(missing.isEmpty(), "Enum constants without a text: " + missing);
    }

    @Test
    void everyErrorAndRuleCodeHasATextInBothLanguages() {
        List<String> missing = new ArrayList<>();
        for (Class<? extends Enum<?>> type : CODE_ENUMS) {
            for (Enum<?> constant : type.getEnumConstants()) {
                requireInBoth(Messages.errorKey(((ErrorCode) constant).code()), missing);
                requireInBoth(Messages.keyOf(constant), missing);
            }
        }
        assertTrue(missing.isEmpty(), "Codes without a text: " + missing);
    }

    @Test
    void everyValidationCodeHasADetailedAndABriefTextInBothLanguages() {
        List<String> codes = validationCodes();
        assertTrue(codes.size() >= 14, "found only " + codes);
        List<String> missing = new ArrayList<>();
        for (String code : codes) {
            requireInBoth("validation." + code, missing);
            requireInBoth("validation." + code + ".brief", missing);
        }
        assertTrue(missing.isEmpty(), "Validation codes without a text: " + missing);
    }

    @Test
    void everyKeyTheCodeUsesByNameExists() {
        List<String> missing = new ArrayList<>();
        FIXED_KEYS.forEach(key -> requireInBoth(key, missing));
        HttpStatuses.ANSWERED.forEach(status -> requireInBoth("http.title." + status, missing));
        for (RankingCriterion criterion : RankingCriterion.values()) {
            requireInBoth("ranking.lead." + criterion.name(), missing);
            requireInBoth("ranking.trail." + criterion.name(), missing);
        }
        assertTrue(missing.isEmpty(), "Keys used by the code without a text: " + missing);
    }

    @Test
    void noKeyIsLeftOverFromARemovedConstantOrCode() {
        Set<String> known = new TreeSet<>(FIXED_KEYS);
        NAMED_ENUMS.forEach(type -> Arrays.stream(type.getEnumConstants()).map(Messages::keyOf).forEach(known::add));
        CODE_ENUMS.forEach(type -> Arrays.stream(type.getEnumConstants())
                .map(c -> Messages.errorKey(((ErrorCode) c).code())).forEach(known::add));
        validationCodes().forEach(code -> {
            known.add("validation." + code);
            known.add("validation." + code + ".brief");
        });
        Arrays.stream(RankingCriterion.values()).forEach(c -> {
            known.add("ranking.lead." + c.name());
            known.add("ranking.trail." + c.name());
        });
        HttpStatuses.ANSWERED.forEach(status -> known.add("http.title." + status));
        // Open vocabularies: field names, channels, features and certifications come from rules and providers.
        Pattern open = Pattern.compile("(field|channel|feature|security)\\.[A-Za-z0-9_]+");
        List<String> stale = english.keySet().stream()
                .filter(key -> !known.contains(key) && !open.matcher(key).matches())
                .sorted()
                .toList();
        assertTrue(stale.isEmpty(), "Keys that no constant, code or code path uses: " + stale);
    }

    @Test
    void chineseTextsAreTranslated() {
        List<String> untranslated = new ArrayList<>();
        for (Map.Entry<String, String> entry : chinese.entrySet()) {
            String key = entry.getKey();
            if (SAME_IN_BOTH.contains(key)) {
                continue;
            }
            if (entry.getValue().equals(english.get(key)) || !hasChineseCharacter(entry.getValue())) {
                untranslated.add(key + "=" + entry.getValue());
            }
        }
        assertTrue(untranslated.isEmpty(), "Chinese texts identical to English or without Chinese: " + untranslated);
    }

    @Test
    void theAllowListOfIdenticalTextsIsExact() {
        for (String key : SAME_IN_BOTH) {
            assertNotNull(english.get(key), key);
            assertEquals(english.get(key), chinese.get(key), key + " is on the allow-list but translated; remove it");
        }
    }

    @Test
    void placeholdersAreTheSameInBothLanguages() {
        List<String> differing = new ArrayList<>();
        for (String key : english.keySet()) {
            if (!chinese.containsKey(key)) {
                continue;
            }
            Set<Integer> inEnglish = placeholders(english.get(key));
            Set<Integer> inChinese = placeholders(chinese.get(key));
            if (!inEnglish.equals(inChinese)) {
                differing.add(key + ": en " + inEnglish + ", zh " + inChinese);
            }
        }
        assertTrue(differing.isEmpty(), "Placeholders differ: " + differing);
    }

    @Test
    void everyTextIsAValidPatternWithoutStrayApostrophes() {
        List<String> broken = new ArrayList<>();
        check(english, Locale.ENGLISH, broken);
        check(chinese, Locale.SIMPLIFIED_CHINESE, broken);
        assertTrue(broken.isEmpty(), "Broken patterns: " + broken);
    }

    @Test
    void noKeyIsDefinedTwice() throws IOException {
        for (String file : List.of(BASE + ".properties", BASE + "_zh_CN.properties", BASE + "_en.properties")) {
            List<String> keys = keysInOrder(file);
            Set<String> duplicates = keys.stream()
                    .filter(key -> keys.indexOf(key) != keys.lastIndexOf(key))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(duplicates.isEmpty(), file + " defines keys twice: " + duplicates);
        }
    }

    private static void check(Map<String, String> bundle, Locale locale, List<String> broken) {
        Pattern strayApostrophe = Pattern.compile("(?<!')'(?!')");
        for (Map.Entry<String, String> entry : bundle.entrySet()) {
            String value = entry.getValue();
            String where = locale + " " + entry.getKey();
            if (value.isBlank() || !value.equals(value.strip())) {
                broken.add(where + ": blank or with surrounding whitespace");
            }
            // A single apostrophe starts a quoted section in MessageFormat and would swallow text.
            if (strayApostrophe.matcher(value).find()) {
                broken.add(where + ": single apostrophe (write two)");
            }
            try {
                Object[] args = Stream.iterate(2, i -> i + 1).limit(5).toArray();
                String formatted = new MessageFormat(value, locale).format(args);
                if (formatted.contains("{") || formatted.contains("}")) {
                    broken.add(where + ": unformatted braces in " + formatted);
                }
            } catch (IllegalArgumentException e) {
                broken.add(where + ": " + e.getMessage());
            }
        }
    }

    /** The argument indices a pattern uses, including those inside choice sub-patterns. */
    private static Set<Integer> placeholders(String pattern) {
        Matcher matcher = Pattern.compile("\\{(\\d+)").matcher(pattern.replace("''", ""));
        Set<Integer> indices = new TreeSet<>();
        while (matcher.find()) {
            indices.add(Integer.parseInt(matcher.group(1)));
        }
        return indices;
    }

    private static boolean hasChineseCharacter(String text) {
        return text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
                || (c >= 0x3000 && c <= 0x303F)   // CJK punctuation: 、。「」〔〕
                || (c >= 0xFF00 && c <= 0xFFEF)); // full-width forms: ：，（）
    }

    private void requireInBoth(String key, List<String> missing) {
        if (!english.containsKey(key)) {
            missing.add(key + " (en)");
        }
        if (!chinese.containsKey(key)) {
            missing.add(key + " (zh_CN)");
        }
    }

    private static List<String> validationCodes() {
        List<String> codes = new ArrayList<>();
        for (Field field : ValidationCodes.class.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                try {
                    codes.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    fail(e);
                }
            }
        }
        return codes;
    }

    private static Map<String, String> load(String resource) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (InputStream in = MessageBundleCompletenessTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing");
            // Read as UTF-8 explicitly, as ResourceBundle does since Java 9; a stray ISO-8859-1 file fails here.
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()));
        }
        Map<String, String> map = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(key -> map.put(key, properties.getProperty(key)));
        return map;
    }

    /** Keys in file order, so that duplicates, which Properties silently overwrites, can be seen. */
    private static List<String> keysInOrder(String resource) throws IOException {
        List<String> keys = new ArrayList<>();
        try (InputStream in = MessageBundleCompletenessTest.class.getResourceAsStream(resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            String previous = "";
            while ((line = reader.readLine()) != null) {
                boolean continuation = previous.endsWith("\\");
                previous = line;
                String trimmed = line.strip();
                if (continuation || trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                    continue;
                }
                int end = trimmed.indexOf('=');
                keys.add((end < 0 ? trimmed : trimmed.substring(0, end)).strip());
            }
        }
        return keys;
    }
}
