package io.posunbind.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a {@link PaymentProviderFactory} creates its provider from, read from plain strings so any
 * host can feed them: a {@code Map}, a {@link Properties} file, Spring's {@code Environment}, environment
 * variables.
 *
 * <pre>{@code
 * ProviderSettings settings = ProviderSettings.of(Map.of("base-uri", "https://api.acme.example",
 *         "api-key", System.getenv("ACME_API_KEY"), "timeout", "2s"));
 * URI base = settings.uri("base-uri");                              // required
 * Secret apiKey = settings.secret("api-key");                       // toString() shows ****
 * Duration timeout = settings.duration("timeout", Duration.ofSeconds(5)); // optional, with a default
 * }</pre>
 *
 * <p>A required setting that is absent or blank throws {@link InvalidSettingException} with
 * {@link SettingErrorCode#SETTING_MISSING}; one of the wrong form throws it with
 * {@link SettingErrorCode#SETTING_INVALID}. Both name the key and never the value. Durations are ISO-8601
 * ({@code PT2S}) or a number with a unit: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}.
 * Booleans are {@code true} or {@code false}, in any case.
 *
 * <p>Immutable and thread-safe; {@link #toString()} lists the keys only.
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class ProviderSettings {

    private static final ProviderSettings EMPTY = new ProviderSettings(Map.of());
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;

    private ProviderSettings(Map<String, String> values) {
        this.values = values;
    }

    /** No settings at all: every required getter fails, every optional one answers its default. */
    public static ProviderSettings empty() {
        return EMPTY;
    }

    /** Settings from a map of keys to values; neither may be null. */
    public static ProviderSettings of(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, () -> "The value of setting '" + key + "' is null")));
        return new ProviderSettings(Map.copyOf(copy));
    }

    /**
     * Settings from the properties whose names start with {@code prefix}, the prefix removed:
     * {@code of(properties, "posunbind.provider.acme.")} reads {@code posunbind.provider.acme.base-uri} as
     * {@code base-uri}. An empty prefix takes every property.
     */
    public static ProviderSettings of(Properties properties, String prefix) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(prefix, "prefix");
        Map<String, String> copy = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                copy.put(name.substring(prefix.length()), properties.getProperty(name));
            }
        }
        return new ProviderSettings(Map.copyOf(copy));
    }

    /** Whether the setting is present and not blank. */
    public boolean has(String key) {
        return raw(key).isPresent();
    }

    /** A required text setting. */
    public String string(String key) {
        return raw(key).orElseThrow(() -> missing(key, "a text"));
    }

    /** An optional text setting. */
    public Optional<String> optionalString(String key) {
        return raw(key);
    }

    /** A required credential; see {@link Secret}. */
    public Secret secret(String key) {
        return Secret.of(raw(key).orElseThrow(() -> missing(key, "a credential")));
    }

    /** An optional credential. */
    public Optional<Secret> optionalSecret(String key) {
        return raw(key).map(Secret::of);
    }

    /** A required whole number. */
    public int integer(String key) {
        return parseInteger(key, raw(key).orElseThrow(() -> missing(key, "a whole number")));
    }

    /** An optional whole number, or {@code defaultValue}. */
    public int integer(String key, int defaultValue) {
        return raw(key).map(value -> parseInteger(key, value)).orElse(defaultValue);
    }

    /** A required {@code true} or {@code false}. */
    public boolean bool(String key) {
        return parseBoolean(key, raw(key).orElseThrow(() -> missing(key, "true or false")));
    }

    /** An optional {@code true} or {@code false}, or {@code defaultValue}. */
    public boolean bool(String key, boolean defaultValue) {
        return raw(key).map(value -> parseBoolean(key, value)).orElse(defaultValue);
    }

    /** A required duration, zero or more. */
    public Duration duration(String key) {
        return parseDuration(key, raw(key).orElseThrow(() -> missing(key, "a duration")));
    }

    /** An optional duration, or {@code defaultValue}. */
    public Duration duration(String key, Duration defaultValue) {
        Objects.requireNonNull(defaultValue, "defaultValue");
        return raw(key).map(value -> parseDuration(key, value)).orElse(defaultValue);
    }

    /** A required absolute URI: {@code https://api.acme.example}. */
    public URI uri(String key) {
        return parseUri(key, raw(key).orElseThrow(() -> missing(key, "an absolute URI")));
    }

    /** An optional absolute URI. */
    public Optional<URI> optionalUri(String key) {
        return raw(key).map(value -> parseUri(key, value));
    }

    /** Lists the keys, never the values, which may be credentials. */
    @Override
    public String toString() {
        return "ProviderSettings" + new TreeSet<>(values.keySet());
    }

    private Optional<String> raw(String key) {
        Objects.requireNonNull(key, "key");
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static InvalidSettingException missing(String key, String form) {
        return new InvalidSettingException(SettingErrorCode.SETTING_MISSING, key,
                "The provider setting '" + key + "' is required: give it " + form);
    }

    private static InvalidSettingException invalid(String key, String form) {
        // The value is left out on purpose: it may be a credential put under the wrong key.
        return new InvalidSettingException(SettingErrorCode.SETTING_INVALID, key,
                "The provider setting '" + key + "' must be " + form);
    }

    private static int parseInteger(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number");
        }
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "true or false");
        };
    }

    private static Duration parseDuration(String key, String value) {
        Duration duration;
        Matcher shortForm = SHORT_DURATION.matcher(value);
        try {
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                duration = switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                duration = Duration.parse(value);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(key, "a duration such as 2s, 500ms, 5m or PT2S");
        }
        if (duration.isNegative()) {
            throw invalid(key, "a duration of zero or more");
        }
        return duration;
    }

    private static URI parseUri(String key, String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute()) {
                throw invalid(key, "an absolute URI such as https://api.example.com");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(key, "an absolute URI such as https://api.example.com");
        }
    }
}
