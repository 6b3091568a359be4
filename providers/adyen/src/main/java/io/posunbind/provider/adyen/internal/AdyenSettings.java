package io.posunbind.provider.adyen.internal;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.Secret;
import io.posunbind.spi.SettingErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the Adyen provider is configured with, read once from the host's {@link ProviderSettings}.
 * Immutable and thread-safe; {@link #toString()} never shows a key.
 *
 * @param baseUri        the Management API's base, ending in its version ({@code .../v3})
 * @param apiKey         the API credential's key, sent as {@code x-API-Key}
 * @param target         where a terminal goes when it is unbound
 * @param companyId      the company account, for {@link ReassignTarget#COMPANY_INVENTORY}
 * @param webhookHmacKeys the management webhook's HMAC keys (hexadecimal), the current one first; empty when
 *                       the host does not receive Adyen's webhooks and relies on polling
 * @param connectTimeout how long a connection may take
 * @param readTimeout    how long an answer may take; beyond it a call's outcome is unknown
 * @param pollAfter      how long the engine waits before it looks a reassignment in progress up again
 * @param callLimits     how fast and how widely the engine may call the Management API: the environment's
 *                       default ({@link #LIVE_LIMITS} or {@link #TEST_LIMITS}) unless {@code calls-per-second} or
 *                       {@code concurrent-calls} overrides it
 */
public record AdyenSettings(URI baseUri, Secret apiKey, ReassignTarget target, Optional<String> companyId,
        List<Secret> webhookHmacKeys, Duration connectTimeout, Duration readTimeout, Duration pollAfter,
        ProviderLimits callLimits) {

    /** Adyen's test environment; production is {@code https://management-live.adyen.com/v3}. */
    public static final URI TEST_BASE_URI = URI.create("https://management-test.adyen.com/v3");

    /**
     * The live Management API's limits as assumed here: Adyen publishes no figure for it and answers a 429
     * when a credential goes too fast, so the default is a conservative pace for an administrative API, shared
     * with whatever else the company's credential does (the module README says why).
     */
    public static final ProviderLimits LIVE_LIMITS = ProviderLimits.of(10, 5);

    /** The test environment's limits as assumed here: half the live pace, as test environments are smaller. */
    public static final ProviderLimits TEST_LIMITS = ProviderLimits.of(5, 2);

    private static final String LIVE_HOST = "management-live.adyen.com";

    private static final Pattern HEX_KEY = Pattern.compile("(?:[0-9A-Fa-f]{2}){16,}");

    /** Where a reassignment sends the terminal. */
    public enum ReassignTarget {
        /** The inventory of the merchant account the terminal is assigned to: it can no longer transact. */
        MERCHANT_INVENTORY,
        /** The company account's inventory. */
        COMPANY_INVENTORY
    }

    /** Checks the fields. */
    public AdyenSettings {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(companyId, "companyId");
        webhookHmacKeys = List.copyOf(webhookHmacKeys);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(pollAfter, "pollAfter");
        Objects.requireNonNull(callLimits, "callLimits");
        if (target == ReassignTarget.COMPANY_INVENTORY && companyId.isEmpty()) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_MISSING, "company-id",
                    "Setting company-id is required when reassign-to is company-inventory");
        }
    }

    /**
     * Reads the settings; see {@link io.posunbind.provider.adyen.AdyenProviderFactory} for the keys.
     *
     * @throws InvalidSettingException naming the key (never the value) when one is missing or malformed
     */
    public static AdyenSettings from(ProviderSettings settings) {
        URI base = settings.optionalUri("base-uri").orElse(TEST_BASE_URI);
        Secret apiKey = settings.secret("api-key");
        ReassignTarget target = switch (settings.optionalString("reassign-to").orElse("merchant-inventory")
                .toLowerCase(Locale.ROOT)) {
            case "merchant-inventory" -> ReassignTarget.MERCHANT_INVENTORY;
            case "company-inventory" -> ReassignTarget.COMPANY_INVENTORY;
            default -> throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "reassign-to",
                    "Setting reassign-to is merchant-inventory or company-inventory");
        };
        List<Secret> hmacKeys = new ArrayList<>();
        settings.optionalSecret("webhook-hmac-key").ifPresent(key -> hmacKeys.add(hexKey("webhook-hmac-key", key)));
        settings.optionalSecret("webhook-hmac-key-previous")
                .ifPresent(key -> hmacKeys.add(hexKey("webhook-hmac-key-previous", key)));
        return new AdyenSettings(withoutTrailingSlash(base), apiKey, target, settings.optionalString("company-id"),
                hmacKeys, positive(settings, "connect-timeout", Duration.ofSeconds(5)),
                positive(settings, "read-timeout", Duration.ofSeconds(30)),
                settings.duration("poll-after", Duration.ofMinutes(5)), callLimits(settings, base));
    }

    /** Whether the base URI is Adyen's live Management API rather than its test environment (or a stub). */
    static boolean isLive(URI base) {
        return LIVE_HOST.equalsIgnoreCase(base.getHost());
    }

    private static ProviderLimits callLimits(ProviderSettings settings, URI base) {
        ProviderLimits defaults = isLive(base) ? LIVE_LIMITS : TEST_LIMITS;
        double callsPerSecond = settings.optionalString("calls-per-second")
                .map(AdyenSettings::callsPerSecond).orElse(defaults.callsPerSecond());
        int concurrentCalls = settings.integer("concurrent-calls", defaults.concurrentCalls());
        if (concurrentCalls < 1) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "concurrent-calls",
                    "Setting concurrent-calls is a whole number of 1 or more");
        }
        return ProviderLimits.of(callsPerSecond, concurrentCalls);
    }

    private static double callsPerSecond(String text) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        // Zero would lift the limit altogether: that is the application's choice, made on the Unbinder's builder.
        if (!Double.isFinite(value) || value <= 0) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "calls-per-second",
                    "Setting calls-per-second is a positive number, such as 10 or 0.5");
        }
        return value;
    }

    private static Secret hexKey(String name, Secret key) {
        // Adyen shows the webhook's HMAC key as hexadecimal; the library decodes it before signing.
        if (!HEX_KEY.matcher(key.reveal()).matches()) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, name,
                    "Setting " + name + " is the webhook's HMAC key in hexadecimal, as the Customer Area shows it");
        }
        return key;
    }

    private static Duration positive(ProviderSettings settings, String key, Duration defaultValue) {
        Duration value = settings.duration(key, defaultValue);
        if (value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, key,
                    "Setting " + key + " is a positive duration of less than 24 days");
        }
        return value;
    }

    private static URI withoutTrailingSlash(URI base) {
        String text = base.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : base;
    }

    /** The settings without any key. */
    @Override
    public String toString() {
        return "AdyenSettings[baseUri=" + baseUri + ", target=" + target + ", companyId=" + companyId.orElse("-")
                + ", webhookHmacKeys=" + webhookHmacKeys.size() + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", pollAfter=" + pollAfter + ", callLimits=" + callLimits + "]";
    }
}
