package io.posunbind.i18n;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The texts that modules beside core ship for their own codes (a provider adapter's {@code WXP-…} codes, say), found
 * on the class path: a module lists its text bundles in {@value #INDEX}, one base path per line (for example
 * {@code io/posunbind/provider/wechatpay/messages}), and ships {@code <base>.properties} in English and
 * {@code <base>_zh_CN.properties} in simplified Chinese, UTF-8, with the keys of core's own bundle
 * ({@code error.<code>}, {@code error.<code>.meaning}, {@code error.<code>.action}). Read once, when
 * {@link Messages} is first used; core's own texts win over a module's for the same key.
 */
final class ModuleTexts {

    /** Where a module lists its text bundles. */
    static final String INDEX = "META-INF/posunbind/message-bundles";

    private static final Logger LOG = LoggerFactory.getLogger(ModuleTexts.class);

    private ModuleTexts() {
    }

    /** Every listed bundle's texts in one language (Chinese falls back to English key by key), by key. */
    static Map<String, String> load(ClassLoader loader, Locale locale) {
        Map<String, String> texts = new HashMap<>();
        if (loader == null) {
            return texts;
        }
        boolean chinese = "zh".equals(locale.getLanguage());
        try {
            Enumeration<URL> indexes = loader.getResources(INDEX);
            while (indexes.hasMoreElements()) {
                for (String base : bundleBases(indexes.nextElement())) {
                    texts.putAll(read(loader, base + ".properties"));
                    if (chinese) {
                        texts.putAll(read(loader, base + "_zh_CN.properties"));
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not read the text bundles listed in {}; codes of other modules show as codes: {}", INDEX,
                    e.toString());
        }
        return texts;
    }

    private static Iterable<String> bundleBases(URL index) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(index.openStream(),
                StandardCharsets.UTF_8))) {
            return lines.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        }
    }

    private static Map<String, String> read(ClassLoader loader, String path) throws IOException {
        Map<String, String> texts = new HashMap<>();
        Enumeration<URL> found = loader.getResources(path);
        while (found.hasMoreElements()) {
            Properties properties = new Properties();
            try (InputStream in = found.nextElement().openStream()) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            properties.forEach((key, value) -> texts.put((String) key, (String) value));
        }
        return texts;
    }
}
