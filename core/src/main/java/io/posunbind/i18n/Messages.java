package io.posunbind.i18n;

import io.posunbind.BindingKind;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.UnbindReason;
import io.posunbind.WaitReason;
import io.posunbind.replacement.RankingCriterion;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.TerminalStatus;
import java.math.BigDecimal;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-facing texts of posunbind in one of two languages: simplified Chinese (zh-CN) or English.
 * Step, state, document, fee and binding names; error, rule and validation texts; and the rendering of a
 * {@link RuleViolation} from its code and field, so that a merchant reads "营业执照的统一社会信用代码：校验码
 * （第18位）与前17位不符…" rather than the English message the rules wrote.
 *
 * <p>Keys follow one scheme: a prefix for the kind of text, a dot, then the enum constant's name or the
 * stable code, for example {@code step.TAKE_INVENTORY}, {@code state.WAITING},
 * {@code document.BUSINESS_LICENCE}, {@code error.UNB-CASE-NOT-FOUND}, {@code rule.RULE-DOCUMENT-MISSING},
 * {@code validation.VAL-USCC-CHECK}. Texts are {@link MessageFormat} patterns: {@code {0}} is the first
 * argument, and a literal apostrophe is written twice.
 *
 * <p>Modules beside core (a provider adapter) may ship texts for their own codes: see {@code
 * META-INF/posunbind/message-bundles} in the README's section on provider adapters. {@link #codeText} then
 * finds a {@code WXP-…} code's text as it finds core's.
 *
 * <p>A missing key never throws: {@link #text} returns the key itself and logs one warning per key and
 * language, so a gap shows up in the logs rather than as a failed case.
 *
 * <p>Instances are immutable and thread-safe; {@link #forLocale} returns one of two shared instances.
 *
 * <p>Null contract: parameters and return values are non-null, except message arguments, which may be
 * {@code null} and print as {@code "null"}.
 *
 * <p>Example:
 * <pre>{@code
 * Messages zh = Messages.forLocale(Locale.SIMPLIFIED_CHINESE);
 * zh.name(StepKind.DECOMMISSION_TERMINAL);                 // 关闭旧POS机
 * zh.errorText(CoreErrorCode.CASE_NOT_FOUND);              // 找不到该解绑案件，请核对案件编号。
 * snapshot.violations().stream().map(zh::describe).toList();
 * snapshot.failureCode().flatMap(zh::codeText);           // 银行或金融机构驳回了解绑申请。
 * zh.text("validation.VAL-USCC-CHECK", '3');               // the check character would be 3
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Messages {

    /** The base name of the bundles: {@code io/posunbind/i18n/messages*.properties}. */
    static final String BUNDLE = "io.posunbind.i18n.messages";

    /** The key prefix of each enum whose constants {@link #name} names; the completeness test walks this map. */
    static final Map<Class<? extends Enum<?>>, String> ENUM_PREFIXES = Map.ofEntries(
            Map.entry(StepKind.class, "step"),
            Map.entry(StepStatus.class, "stepStatus"),
            Map.entry(CaseState.class, "state"),
            Map.entry(WaitReason.class, "wait"),
            Map.entry(UnbindReason.class, "reason"),
            Map.entry(BindingKind.class, "binding"),
            Map.entry(DocumentKind.class, "document"),
            Map.entry(FeeKind.class, "fee"),
            Map.entry(TerminalStatus.class, "terminalStatus"),
            Map.entry(PeripheralKind.class, "peripheral"),
            Map.entry(SettlementAccountKind.class, "accountKind"),
            Map.entry(RankingCriterion.class, "criterion"));

    private static final Logger LOG = LoggerFactory.getLogger(Messages.class);

    /** Keys already warned about, with their language, so that a missing key is logged once, not per call. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** A validator's code kept at the end of a rule message, as the document rules write it: "… [VAL-ID-CHECK]". */
    private static final Pattern TRAILING_VALIDATION_CODE = Pattern.compile("\\[(VAL-[A-Z0-9-]+)]\\s*$");

    private static final Set<String> DOCUMENT_KINDS = constantNames(DocumentKind.class);
    private static final Set<String> BINDING_KINDS = constantNames(BindingKind.class);

    private static final Messages ENGLISH = new Messages(Locale.ENGLISH);
    private static final Messages CHINESE = new Messages(Locale.SIMPLIFIED_CHINESE);

    private final Locale locale;
    private final ResourceBundle bundle;
    /** Texts other modules ship for their own codes (see {@link ModuleTexts}); core's bundle wins. */
    private final Map<String, String> moduleTexts;

    private Messages(Locale locale) {
        this.locale = locale;
        // messages_en exists, empty, so that an English lookup under a Chinese default locale stops at
        // English instead of falling back to the JVM's default locale.
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale);
        this.moduleTexts = Map.copyOf(ModuleTexts.load(Messages.class.getClassLoader(), locale));
    }

    /**
     * The texts for a caller's locale: simplified Chinese for {@code zh}, {@code zh-CN} and
     * {@code zh-Hans} (with any region), English for everything else, including traditional Chinese
     * ({@code zh-TW}, {@code zh-HK}, {@code zh-Hant}), for which no bundle exists yet.
     *
     * @param locale the caller's locale
     * @return one of the two shared instances
     * @throws NullPointerException if {@code locale} is {@code null}
     */
    public static Messages forLocale(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return isSimplifiedChinese(locale) ? CHINESE : ENGLISH;
    }

    private static boolean isSimplifiedChinese(Locale locale) {
        if (!"zh".equals(locale.getLanguage())) {
            return false;
        }
        if (!locale.getScript().isEmpty()) {
            return "Hans".equals(locale.getScript());
        }
        return locale.getCountry().isEmpty() || "CN".equals(locale.getCountry());
    }

    /** The language these texts are in: {@link Locale#SIMPLIFIED_CHINESE} or {@link Locale#ENGLISH}. */
    public Locale locale() {
        return locale;
    }

    /**
     * The text for a key, with {@code {0}}-style arguments filled in.
     *
     * @param key  a key such as {@code "step.TAKE_INVENTORY"}
     * @param args the arguments of the pattern, if it has any
     * @return the text; the key itself, logged once, when the bundle has no such key
     */
    public String text(String key, Object... args) {
        return find(key, args).orElseGet(() -> {
            warnOnce(key, "No text for key {} in {}; showing the key", key);
            return key;
        });
    }

    /**
     * The text for a key if the bundles have it; for open vocabularies such as payment channel or feature
     * names, where a missing key is expected and the caller shows the raw term instead.
     *
     * @param key  a key such as {@code "channel.WECHAT"}
     * @param args the arguments of the pattern, if it has any
     * @return the text, or empty when the bundles have no such key
     */
    public Optional<String> find(String key, Object... args) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(args, "args");
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException missing) {
            pattern = moduleTexts.get(key);
            if (pattern == null) {
                return Optional.empty();
            }
        }
        try {
            // Always formatted, even without arguments, so that every text follows the same quoting rule.
            return Optional.of(new MessageFormat(pattern, locale).format(args));
        } catch (IllegalArgumentException badPattern) {
            warnOnce(key, "Text for key {} in {} is no valid MessageFormat pattern; showing it unformatted", key);
            return Optional.of(pattern);
        }
    }

    /**
     * The name of an enum constant in this language: a step, case state, wait reason, unbind reason,
     * binding, document, fee, terminal status, peripheral, settlement-account kind or ranking criterion.
     * For an error or rule code ({@link ErrorCode} enums) this is {@link #errorText}.
     *
     * @param constant the constant, for example {@link StepKind#DECOMMISSION_TERMINAL}
     * @return its name, such as {@code "关闭旧POS机"}; the key, logged once, for an enum without texts
     */
    public String name(Enum<?> constant) {
        Objects.requireNonNull(constant, "constant");
        if (constant instanceof ErrorCode code) {
            return errorText(code);
        }
        return text(keyOf(constant));
    }

    /**
     * What an error or rule code means and what to do, in this language.
     *
     * @param code an engine, provider or rule code
     * @return the text; for a code without a text (a provider's own code) the code itself, logged once
     */
    public String errorText(ErrorCode code) {
        Objects.requireNonNull(code, "code");
        String key = errorKey(code.code());
        return find(key).orElseGet(() -> {
            warnOnce(key, "No text for key {} in {}; showing the code", key);
            return code.code();
        });
    }

    /**
     * What a stable code given as a string means, for codes kept as text such as
     * {@code CaseSnapshot.failureCode()} or {@code StepSnapshot.lastCode()}: engine ({@code UNB-}),
     * provider ({@code PRV-}), rule ({@code RULE-}) and validation ({@code VAL-}, the brief text) codes.
     *
     * @param code the code, for example {@code "PRV-TERMINAL-ACTIVE"}
     * @return its text, or empty for a code without one (a provider's own code); nothing is logged
     */
    public Optional<String> codeText(String code) {
        Objects.requireNonNull(code, "code");
        return find(errorKey(code));
    }

    /**
     * A rule violation in this language, from its code and field rather than its (English) message:
     * "{what it is about}: {what is wrong and what to do}". The field may name a document kind
     * ({@code "BUSINESS_LICENCE"}), a document's field ({@code "BUSINESS_LICENCE.unifiedSocialCreditCode"}),
     * a binding ({@code "scope.ACCOUNT"}) or a request field ({@code "merchantNumber"}); parts without a
     * text are shown as they are. A {@code RULE-DOCUMENT-INVALID} violation whose message ends with the
     * validator's code ({@code "… [VAL-USCC-CHECK]"}) is described by that validator's text.
     *
     * <p>Values that the message quoted (a length, the expected check character) are not in the
     * violation and are therefore left out; an unknown code keeps the violation's own message.
     *
     * @param violation the violation
     * @return the text, for example {@code "营业执照的统一社会信用代码：校验码（第18位）与前17位不符…"}
     */
    public String describe(RuleViolation violation) {
        Objects.requireNonNull(violation, "violation");
        String reason = reasonOf(violation);
        String subject = fieldLabel(violation.field());
        return subject.isEmpty() ? reason : text("violation.format", subject, reason);
    }

    /**
     * An amount of money as merchants read it in this language: {@code "¥2,680"}, {@code "¥12.50"},
     * {@code "-¥200"}. The yuan sign is {@code ¥} in both languages; other currencies use their symbol.
     *
     * @param amount the amount
     * @return the formatted amount
     */
    public String money(Money amount) {
        Objects.requireNonNull(amount, "amount");
        int digits = Math.max(amount.currency().getDefaultFractionDigits(), 0);
        BigDecimal value = BigDecimal.valueOf(amount.minorUnits(), digits);
        NumberFormat number = NumberFormat.getNumberInstance(locale);
        // Whole amounts read better without ".00", which is how fee quotes and price lists show them.
        boolean whole = value.stripTrailingZeros().scale() <= 0;
        number.setMinimumFractionDigits(whole ? 0 : digits);
        number.setMaximumFractionDigits(whole ? 0 : digits);
        String symbol = "CNY".equals(amount.currency().getCurrencyCode())
                ? "¥"
                : amount.currency().getSymbol(locale);
        String sign = value.signum() < 0 ? "-" : "";
        return sign + symbol + number.format(value.abs());
    }

    /**
     * Items joined as a list in this language: {@code "A, B and C"} or {@code "A、B和C"}.
     *
     * @param items the items, already in this language
     * @return the list; empty for no items
     */
    public String list(Collection<String> items) {
        Objects.requireNonNull(items, "items");
        List<String> all = List.copyOf(items);
        return switch (all.size()) {
            case 0 -> "";
            case 1 -> all.get(0);
            case 2 -> text("list.pair", all.get(0), all.get(1));
            default -> {
                // Joined from the end, as CLDR list patterns are: start, middle..., end.
                int last = all.size() - 1;
                String joined = text("list.end", all.get(last - 1), all.get(last));
                for (int i = last - 2; i >= 1; i--) {
                    joined = text("list.middle", all.get(i), joined);
                }
                yield text("list.start", all.get(0), joined);
            }
        };
    }

    @Override
    public String toString() {
        return "Messages[" + locale.toLanguageTag() + "]";
    }

    /** The key of an enum constant's name, for example {@code step.TAKE_INVENTORY} or {@code rule.RULE-…}. */
    static String keyOf(Enum<?> constant) {
        if (constant instanceof ErrorCode code) {
            return errorKey(code.code());
        }
        Class<?> type = constant.getDeclaringClass();
        String prefix = ENUM_PREFIXES.get(type);
        if (prefix == null) {
            String simple = type.getSimpleName();
            prefix = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
        }
        return prefix + "." + constant.name();
    }

    /** Rule codes have texts under {@code rule.}, validation codes under {@code validation.}, others under {@code error.}. */
    static String errorKey(String code) {
        if (code.startsWith("RULE-")) {
            return "rule." + code;
        }
        if (code.startsWith("VAL-")) {
            return "validation." + code + ".brief";
        }
        return "error." + code;
    }

    private String reasonOf(RuleViolation violation) {
        String code = violation.code();
        if (!code.startsWith("VAL-")) {
            Matcher trailing = TRAILING_VALIDATION_CODE.matcher(violation.message());
            if (trailing.find()) {
                Optional<String> validation = find(errorKey(trailing.group(1)));
                if (validation.isPresent()) {
                    return validation.get();
                }
            }
        }
        String key = errorKey(code);
        return find(key).orElseGet(() -> {
            warnOnce(key, "No text for key {} in {}; showing the violation's own message", key);
            return violation.message();
        });
    }

    /** "BUSINESS_LICENCE.unifiedSocialCreditCode" → "营业执照的统一社会信用代码"; unknown parts stay as they are. */
    private String fieldLabel(String field) {
        if (field.isBlank()) {
            return "";
        }
        String label = null;
        for (String part : field.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            String partLabel = partLabel(part);
            label = label == null ? partLabel : text("violation.fieldPath", label, partLabel);
        }
        return label == null ? field : label;
    }

    private String partLabel(String part) {
        if (DOCUMENT_KINDS.contains(part)) {
            return name(DocumentKind.valueOf(part));
        }
        if (BINDING_KINDS.contains(part)) {
            return name(BindingKind.valueOf(part));
        }
        // Fields are an open set (providers add documents); a part without a label is shown as written.
        return find("field." + part).orElse(part);
    }

    private void warnOnce(String key, String format, String shown) {
        if (WARNED.add(locale.toLanguageTag() + "/" + key)) {
            LOG.warn(format, shown, locale.toLanguageTag());
        }
    }

    private static Set<String> constantNames(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
    }
}
