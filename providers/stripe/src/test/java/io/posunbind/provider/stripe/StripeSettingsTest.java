package io.posunbind.provider.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The settings a host gives the {@code stripe} provider: what is required, refused, defaulted and never shown. */
class StripeSettingsTest {

    private static final String LIVE_KEY = "sk_live_51PosUnbindLiveKey0123456789abcdef";
    private static final String WEBHOOK_SECRET = "whsec_SettingsTestSigningSecret0123456789";

    @Test
    void onlyTheApiKeyIsRequiredAndTheRestHasStripesDefaults() {
        StripeSettings settings = StripeSettings.from(ProviderSettings.of(Map.of("api-key", StripeStub.API_KEY)));

        assertEquals(URI.create("https://api.stripe.com"), settings.apiBase());
        assertEquals(Duration.ofSeconds(30), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(80), settings.readTimeout());
        assertEquals("merchant_number", settings.merchantNumberMetadataKey());
        assertEquals(Duration.ZERO, settings.webhookTolerance());
        assertEquals(Optional.empty(), settings.account());
        assertFalse(settings.verifiesWebhooks());
    }

    @Test
    void aMissingApiKeyIsRefusedByName() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new StripeProviderFactory().create(ProviderSettings.of(Map.of("webhook-secret", WEBHOOK_SECRET))));

        assertEquals(SettingErrorCode.SETTING_MISSING, e.errorCode());
        assertEquals("api-key", e.key());
    }

    @Test
    void valuesOutOfShapeAreRefusedWithoutQuotingThem() {
        assertInvalid("api-key", Map.of("api-key", "pk_test_PublishableKeyIsNotEnough0001"));
        assertInvalid("webhook-secret", Map.of("api-key", StripeStub.API_KEY, "webhook-secret", "sk_test_WrongKeyHere0001"));
        assertInvalid("account", Map.of("api-key", StripeStub.API_KEY, "account", "merchant-1"));
        assertInvalid("read-timeout", Map.of("api-key", StripeStub.API_KEY, "read-timeout", "0s"));
        assertInvalid("base-uri", Map.of("api-key", StripeStub.API_KEY, "base-uri", "ftp://api.stripe.com"));
    }

    @Test
    void neitherTheSettingsNorTheProviderShowTheKeyOrTheSigningSecret() {
        Map<String, String> values = new HashMap<>(Map.of("api-key", StripeStub.API_KEY, "webhook-secret", WEBHOOK_SECRET,
                "account", "acct_1PosUnbind000001"));
        StripeSettings settings = StripeSettings.from(ProviderSettings.of(values));
        PaymentProvider provider = new StripeProviderFactory().create(ProviderSettings.of(values));
        String shown = settings + " " + provider + " " + provider.callbackParser().orElseThrow() + " "
                + provider.deviceAdapter().orElseThrow();

        for (String secret : Set.of(StripeStub.API_KEY, WEBHOOK_SECRET)) {
            assertFalse(shown.contains(secret), shown);
            assertFalse(shown.contains(secret.substring(secret.length() - 12)), "not even a tail: " + shown);
        }
    }

    @Test
    void aTestKeyIsLimitedUnderTheSandboxsPaceAndALiveKeyToTheDefaultLimitOfAStripeEndpoint() {
        assertEquals(ProviderLimits.of(10, 5), create(Map.of("api-key", StripeStub.API_KEY)).callLimits());
        assertEquals(ProviderLimits.of(25, 10), create(Map.of("api-key", LIVE_KEY)).callLimits());
        assertEquals(ProviderLimits.of(25, 10), create(Map.of("api-key", "rk_live_RestrictedLiveKey000000000001"))
                .callLimits(), "a restricted live key is live too");
    }

    @Test
    void anAccountWhoseLimitsStripeRaisedSaysSoInItsSettings() {
        assertEquals(ProviderLimits.of(80, 20), create(Map.of("api-key", LIVE_KEY, "calls-per-second", "80",
                "concurrent-calls", "20")).callLimits());
        assertEquals(ProviderLimits.of(2.5, 5), create(Map.of("api-key", StripeStub.API_KEY,
                "calls-per-second", "2.5")).callLimits(), "the limit left unset keeps the mode's default");
    }

    @Test
    void limitsThatAreNotPositiveNumbersAreRefusedByName() {
        for (String callsPerSecond : List.of("0", "-25", "fast", "NaN", "Infinity")) {
            assertInvalid("calls-per-second", Map.of("api-key", StripeStub.API_KEY, "calls-per-second", callsPerSecond));
        }
        for (String concurrentCalls : List.of("0", "-1", "2.5", "many")) {
            assertInvalid("concurrent-calls", Map.of("api-key", StripeStub.API_KEY, "concurrent-calls", concurrentCalls));
        }
    }

    private static PaymentProvider create(Map<String, String> values) {
        return new StripeProviderFactory().create(ProviderSettings.of(values));
    }

    private static void assertInvalid(String key, Map<String, String> values) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> StripeSettings.from(ProviderSettings.of(values)));
        assertEquals(SettingErrorCode.SETTING_INVALID, e.errorCode(), key);
        assertEquals(key, e.key());
        values.values().stream().filter(v -> !v.equals(StripeStub.API_KEY)).forEach(value ->
                assertFalse(e.getMessage().contains(value), key + " quoted its value"));
    }
}
