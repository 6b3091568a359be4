package io.posunbind.docs;

import io.posunbind.docs.CodeCatalogue.Module;
import io.posunbind.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The error-code reference: every code of every module of the {@link CodeCatalogue}, with what it means,
 * what the caller should do and the text a user sees, in English and simplified Chinese, read from the
 * message bundle beside the code. Renders {@code error-codes.md} and lists the texts that are missing.
 *
 * <p>Keys, per code {@code C}: the text shown is {@code error.C} ({@code rule.C} for {@code RULE-} codes,
 * {@code validation.C.brief} for {@code VAL-} codes); the meaning is that base key plus {@code .meaning}, what
 * to do plus {@code .action}. A code's bundle is {@code messages*.properties} in its enum's package when
 * that exists (a provider module's own codes), otherwise core's {@value CodeCatalogue#CORE_BUNDLE}.
 */
final class ErrorCodeReference {

    /** The two languages of every text, with the file suffix of their bundle. */
    enum Language {
        ENGLISH(Locale.ENGLISH, ""),
        CHINESE(Locale.SIMPLIFIED_CHINESE, "_zh_CN");

        final Locale locale;
        final String suffix;

        Language(Locale locale, String suffix) {
            this.locale = locale;
            this.suffix = suffix;
        }
    }

    /** What is documented of a code. */
    enum Part {
        MEANING, ACTION, TEXT
    }

    /**
     * One code.
     *
     * @param module     the artifact id of the module declaring it
     * @param declaredBy the constant that declares it, such as {@code CoreErrorCode.CASE_BUSY}
     * @param code       the code
     * @param retryable  whether retrying unchanged can succeed; empty for validation codes, which have no such flag
     * @param bundle     the bundle its texts are in, without language suffix and extension
     */
    record Entry(String module, String declaredBy, String code, Optional<Boolean> retryable, String bundle) {

        String baseKey() {
            if (code.startsWith("RULE-")) {
                return "rule." + code;
            }
            if (code.startsWith("VAL-")) {
                return "validation." + code;
            }
            return "error." + code;
        }

        String key(Part part) {
            return switch (part) {
                case MEANING -> baseKey() + ".meaning";
                case ACTION -> baseKey() + ".action";
                case TEXT -> code.startsWith("VAL-") ? baseKey() + ".brief" : baseKey();
            };
        }
    }

    private final List<Module> modules;
    private final List<Entry> entries;
    private final Map<String, Properties> bundles = new LinkedHashMap<>();

    ErrorCodeReference(List<Module> modules) {
        this.modules = List.copyOf(modules);
        List<Entry> all = new ArrayList<>();
        for (Module module : modules) {
            for (Class<? extends ErrorCode> type : module.codeEnums()) {
                String bundle = bundleOf(type);
                for (ErrorCode code : type.getEnumConstants()) {
                    all.add(new Entry(module.artifactId(), type.getSimpleName() + "." + ((Enum<?>) code).name(),
                            code.code(), Optional.of(code.retryable()), bundle));
                }
            }
            for (Class<?> holder : module.constantsOf()) {
                String bundle = bundleOf(holder);
                for (Field field : holder.getFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                        all.add(new Entry(module.artifactId(), holder.getSimpleName() + "." + field.getName(),
                                (String) readStatic(field), Optional.empty(), bundle));
                    }
                }
            }
        }
        this.entries = List.copyOf(all);
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * The texts missing or blank, grouped by the bundle file they belong in, each as {@code "code: key"}.
     *
     * @return file name to missing keys; empty when the reference is complete
     */
    Map<String, List<String>> missingTexts() {
        Map<String, List<String>> missing = new TreeMap<>();
        for (Entry entry : entries) {
            for (Language language : Language.values()) {
                for (Part part : Part.values()) {
                    String value = bundle(entry.bundle(), language).getProperty(entry.key(part));
                    if (value == null || value.isBlank()) {
                        missing.computeIfAbsent(entry.bundle() + language.suffix + ".properties",
                                file -> new ArrayList<>()).add(entry.code() + ": " + entry.key(part));
                    }
                }
            }
        }
        return missing;
    }

    /** Codes declared twice (by two constants, in one module or two). */
    List<String> duplicateCodes() {
        Map<String, List<String>> byCode = new TreeMap<>();
        entries.forEach(entry -> byCode.computeIfAbsent(entry.code(), code -> new ArrayList<>()).add(entry.declaredBy()));
        List<String> duplicates = new ArrayList<>();
        byCode.forEach((code, declarers) -> {
            if (declarers.size() > 1) {
                duplicates.add(code + " " + declarers);
            }
        });
        return duplicates;
    }

    /** The reference as Markdown; depends on nothing but the code and the bundles, so it is reproducible. */
    String render(String regenerateCommand) {
        StringBuilder out = new StringBuilder();
        out.append("# Error codes\n\n")
                .append("Every stable code of every published posunbind module: what it means, what the caller should")
                .append(" do, and the text a user is shown (`Messages.forLocale(locale).codeText(code)` for the spi's")
                .append(" and core's codes), in English and simplified Chinese.\n\n")
                .append("Generated from the code and its message bundles by `ErrorCodeReferenceTest`; do not edit by")
                .append(" hand. Regenerate with\n\n```\n").append(regenerateCommand).append("\n```\n\n")
                .append("*Retryable* is `ErrorCode.retryable()`: whether the same thing, sent again unchanged later,")
                .append(" can succeed (the engine retries those by itself where it sent them). Texts are")
                .append(" `MessageFormat` patterns; `{0}` stands for a value filled in when shown.\n\n");
        out.append("| module | codes |\n|---|---|\n");
        for (Module module : modules) {
            long count = entries.stream().filter(entry -> entry.module().equals(module.artifactId())).count();
            out.append("| [`").append(module.artifactId()).append("`](#").append(module.artifactId()).append(") | ")
                    .append(count).append(" |\n");
        }
        for (Module module : modules) {
            out.append("\n## ").append(module.artifactId()).append("\n\n");
            module.note().ifPresent(note -> out.append(note).append("\n"));
            for (Entry entry : entries) {
                if (entry.module().equals(module.artifactId())) {
                    renderEntry(entry, out);
                }
            }
        }
        return out.toString();
    }

    private void renderEntry(Entry entry, StringBuilder out) {
        out.append("\n### ").append(entry.code()).append("\n\n`").append(entry.declaredBy()).append('`');
        entry.retryable().ifPresent(retryable -> out.append(" · ").append(retryable ? "retryable" : "not retryable"));
        out.append("\n\n|  | English | 中文 |\n|---|---|---|\n");
        row(out, "Meaning · 含义", entry, Part.MEANING);
        row(out, "What to do · 处理", entry, Part.ACTION);
        row(out, "Text shown · 提示", entry, Part.TEXT);
    }

    private void row(StringBuilder out, String label, Entry entry, Part part) {
        out.append("| ").append(label);
        for (Language language : Language.values()) {
            out.append(" | ").append(cell(text(entry, part, language)));
        }
        out.append(" |\n");
    }

    /** The text as a user reads it: the pattern's quoting resolved, placeholders left as {@code {0}}. */
    String text(Entry entry, Part part, Language language) {
        String pattern = bundle(entry.bundle(), language).getProperty(entry.key(part));
        if (pattern == null || pattern.isBlank()) {
            return "(missing: " + entry.key(part) + ")";
        }
        return new MessageFormat(pattern, language.locale).format(new Object[0]);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private Properties bundle(String base, Language language) {
        return bundles.computeIfAbsent(base + language.suffix, ErrorCodeReference::load);
    }

    /** A module's own codes have their texts in their package; the spi's and core's in core's bundle. */
    private static String bundleOf(Class<?> type) {
        String own = type.getPackageName().replace('.', '/') + "/messages";
        return ErrorCodeReference.class.getClassLoader().getResource(own + ".properties") != null
                ? own
                : CodeCatalogue.CORE_BUNDLE;
    }

    private static Properties load(String name) {
        Properties properties = new Properties();
        try (InputStream in = ErrorCodeReference.class.getClassLoader().getResourceAsStream(name + ".properties")) {
            if (in != null) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
        return properties;
    }

    private static Object readStatic(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(field.toString(), e);
        }
    }

    @Override
    public String toString() {
        return "ErrorCodeReference" + modules.stream().map(Module::artifactId).toList();
    }
}
