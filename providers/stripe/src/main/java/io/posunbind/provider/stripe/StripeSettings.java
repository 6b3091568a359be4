package io.posunbind.provider.stripe;

import io.posunbind.spi.API;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.Secret;
import io.posunbind.spi.SettingErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the Stripe adapter needs from its host, read from the typed {@link ProviderSettings} a host gives
 * {@code Unbinder.builder().providerSettings("stripe", ...)}:
 *
 * <table>
 *   <caption>Settings of the provider {@code stripe}</caption>
 *   <tr><th>key</th><th>required</th><th>meaning</th></tr>
 *   <tr><td>{@code api-key}</td><td>yes</td><td>a secret ({@code sk_...}) or restricted ({@code rk_...}) key
 *       with write access to Terminal readers</td></tr>
 *   <tr><td>{@code webhook-secret}</td><td>no</td><td>the endpoint's signing secret ({@code whsec_...});
 *       without it the provider verifies no webhooks</td></tr>
 *   <tr><td>{@code webhook-secret-previous}</td><td>no</td><td>the secret before a rotation, accepted too
 *       while Stripe signs with both</td></tr>
 *   <tr><td>{@code base-uri}</td><td>no</td><td>the API's base URI, {@code https://api.stripe.com} by default
 *       (tests point it at a stub)</td></tr>
 *   <tr><td>{@code account}</td><td>no</td><td>a connected account ({@code acct_...}) to act for, sent as
 *       {@code Stripe-Account}</td></tr>
 *   <tr><td>{@code connect-timeout}, {@code read-timeout}</td><td>no</td><td>30s and 80s by default, as
 *       stripe-java's own defaults</td></tr>
 *   <tr><td>{@code merchant-number-metadata-key}</td><td>no</td><td>the metadata key on the reader (or its
 *       location) that holds the merchant number the reader is bound to; {@code merchant_number} by
 *       default</td></tr>
 *   <tr><td>{@code webhook-tolerance}</td><td>no</td><td>0 by default: the engine checks a webhook's time
 *       against its own window; a positive value makes stripe-java check it too, by the provider's clock</td></tr>
 *   <tr><td>{@code calls-per-second}</td><td>no</td><td>how many calls a second the engine makes to Stripe, a
 *       positive number: {@link #LIVE_LIMITS} with a live key, {@link #TEST_LIMITS} with a test key by default;
 *       raise it when Stripe has raised the account's limits</td></tr>
 *   <tr><td>{@code concurrent-calls}</td><td>no</td><td>how many calls may be open at once, a whole number of 1 or
 *       more; defaults as {@code calls-per-second}</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows a key or secret.
 *
 * @param apiKey                    the API key
 * @param webhookSecrets            the webhook signing secrets, newest first; empty when no webhooks are verified
 * @param apiBase                   the API's base URI
 * @param account                   the connected account acted for, if any
 * @param connectTimeout            the connect timeout
 * @param readTimeout               the read timeout: an answer later than this is an unknown outcome
 * @param merchantNumberMetadataKey the metadata key holding the merchant number
 * @param webhookTolerance          how old a webhook's signature may be for stripe-java; zero leaves it to the engine
 * @param callLimits                how fast and how widely the engine calls Stripe for this account
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record StripeSettings(Secret apiKey, List<Secret> webhookSecrets, URI apiBase, Optional<String> account,
        Duration connectTimeout, Duration readTimeout, String merchantNumberMetadataKey, Duration webhookTolerance,
        ProviderLimits callLimits) {

    /** Stripe's API. */
    public static final URI DEFAULT_API_BASE = URI.create("https://api.stripe.com");

    /**
     * The limits with a live key: 25 calls a second, the default limit of each Stripe endpoint, which an unbind
     * (mostly {@code /v1/terminal/readers}) meets before live mode's 100 a second for the whole account; that
     * leaves the account's own payments the rest. Stripe publishes no figure for its concurrency limiter:
     * 10 open calls is assumed, enough for 25 calls a second answering within 400 ms.
     */
    public static final ProviderLimits LIVE_LIMITS = ProviderLimits.of(25, 10);

    /**
     * The limits with a test key: 10 calls a second and 5 open calls, well under the sandbox's 25 a second for
     * the whole account, which a team's own tests share.
     */
    public static final ProviderLimits TEST_LIMITS = ProviderLimits.of(10, 5);

    private static final Pattern API_KEY = Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}");
    private static final Pattern WEBHOOK_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=_-]{8,250}");
    private static final Pattern ACCOUNT = Pattern.compile("acct_[A-Za-z0-9]{1,250}");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    // stripe-java takes whole milliseconds as an int.
    private static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(10);

    /** Checks the fields. */
    public StripeSettings {
        Objects.requireNonNull(apiKey, "apiKey");
        webhookSecrets = List.copyOf(webhookSecrets);
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(merchantNumberMetadataKey, "merchantNumberMetadataKey");
        Objects.requireNonNull(webhookTolerance, "webhookTolerance");
        Objects.requireNonNull(callLimits, "callLimits");
        requireShape("api-key", API_KEY.matcher(apiKey.reveal()).matches(),
                "a Stripe secret key (sk_test_..., sk_live_...) or restricted key (rk_...)");
        for (Secret secret : webhookSecrets) {
            requireShape("webhook-secret", WEBHOOK_SECRET.matcher(secret.reveal()).matches(),
                    "a webhook endpoint's signing secret (whsec_...)");
        }
        requireShape("base-uri", apiBase.isAbsolute() && apiBase.getHost() != null
                && ("https".equals(apiBase.getScheme()) || "http".equals(apiBase.getScheme())),
                "an absolute http(s) URI such as https://api.stripe.com");
        requireShape("account", account.map(id -> ACCOUNT.matcher(id).matches()).orElse(true),
                "a connected account id (acct_...)");
        requireShape("connect-timeout", isPositiveTimeout(connectTimeout), "a duration from 1ms to 10m");
        requireShape("read-timeout", isPositiveTimeout(readTimeout), "a duration from 1ms to 10m");
        requireShape("merchant-number-metadata-key", METADATA_KEY.matcher(merchantNumberMetadataKey).matches(),
                "a metadata key of 1 to 40 letters, digits, '_', '.' or '-'");
        requireShape("webhook-tolerance", !webhookTolerance.isNegative(), "a duration of zero or more");
    }

    /**
     * Settings with the default limits of the key's mode ({@link #LIVE_LIMITS} or {@link #TEST_LIMITS}).
     *
     * @param apiKey                    the API key
     * @param webhookSecrets            the webhook signing secrets, newest first
     * @param apiBase                   the API's base URI
     * @param account                   the connected account acted for, if any
     * @param connectTimeout            the connect timeout
     * @param readTimeout               the read timeout
     * @param merchantNumberMetadataKey the metadata key holding the merchant number
     * @param webhookTolerance          how old a webhook's signature may be for stripe-java
     */
    public StripeSettings(Secret apiKey, List<Secret> webhookSecrets, URI apiBase, Optional<String> account,
            Duration connectTimeout, Duration readTimeout, String merchantNumberMetadataKey, Duration webhookTolerance) {
        this(apiKey, webhookSecrets, apiBase, account, connectTimeout, readTimeout, merchantNumberMetadataKey,
                webhookTolerance, defaultLimits(Objects.requireNonNull(apiKey, "apiKey")));
    }

    /** The limits Stripe's documentation gives the key's mode: live keys hold {@code _live_}. */
    private static ProviderLimits defaultLimits(Secret apiKey) {
        return apiKey.reveal().contains("_live_") ? LIVE_LIMITS : TEST_LIMITS;
    }

    /**
     * Reads the settings.
     *
     * @throws InvalidSettingException with {@link SettingErrorCode#SETTING_MISSING} when {@code apiKey} is
     *         missing, {@link SettingErrorCode#SETTING_INVALID} when a value is out of shape (never quoting it)
     */
    public static StripeSettings from(ProviderSettings settings) {
        Objects.requireNonNull(settings, "settings");
        List<Secret> webhookSecrets = new ArrayList<>();
        settings.optionalSecret("webhook-secret").ifPresent(webhookSecrets::add);
        settings.optionalSecret("webhook-secret-previous").ifPresent(webhookSecrets::add);
        if (webhookSecrets.isEmpty() && settings.has("webhook-secret-previous")) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_MISSING, "webhook-secret",
                    "The provider setting 'webhookSecret' is required with 'webhookSecret.previous'");
        }
        return new StripeSettings(settings.secret("api-key"), webhookSecrets,
                settings.optionalUri("base-uri").orElse(DEFAULT_API_BASE), settings.optionalString("account"),
                settings.duration("connect-timeout", Duration.ofSeconds(30)),
                settings.duration("read-timeout", Duration.ofSeconds(80)),
                settings.optionalString("merchant-number-metadata-key").orElse("merchant_number"),
                settings.duration("webhook-tolerance", Duration.ZERO), callLimits(settings));
    }

    private static ProviderLimits callLimits(ProviderSettings settings) {
        ProviderLimits defaults = defaultLimits(settings.secret("api-key"));
        double callsPerSecond = settings.optionalString("calls-per-second").map(StripeSettings::positiveNumber)
                .orElse(defaults.callsPerSecond());
        int concurrentCalls = settings.integer("concurrent-calls", defaults.concurrentCalls());
        requireShape("concurrent-calls", concurrentCalls >= 1, "a positive whole number");
        return ProviderLimits.of(callsPerSecond, concurrentCalls);
    }

    private static double positiveNumber(String text) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        // Zero would lift the limit altogether: that is the application's choice, made on the Unbinder's builder.
        requireShape("calls-per-second", Double.isFinite(value) && value > 0,
                "a positive number of calls a second, fractions allowed");
        return value;
    }

    /** Whether webhooks can be verified: a signing secret is configured. */
    public boolean verifiesWebhooks() {
        return !webhookSecrets.isEmpty();
    }

    /** The settings without their key and secrets. */
    @Override
    public String toString() {
        return "StripeSettings[apiKey=****, webhookSecrets=" + webhookSecrets.size() + ", apiBase=" + apiBase
                + ", account=" + account.orElse("-") + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", merchantNumberMetadataKey=" + merchantNumberMetadataKey + ", webhookTolerance="
                + webhookTolerance + ", callLimits=" + callLimits + "]";
    }

    private static boolean isPositiveTimeout(Duration timeout) {
        return !timeout.isNegative() && !timeout.isZero() && timeout.compareTo(LONGEST_TIMEOUT) <= 0;
    }

    private static void requireShape(String key, boolean valid, String form) {
        if (!valid) {
            // The value is left out on purpose: it may be a credential put under the wrong key.
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, key,
                    "The provider setting '" + key + "' must be " + form);
        }
    }
}
