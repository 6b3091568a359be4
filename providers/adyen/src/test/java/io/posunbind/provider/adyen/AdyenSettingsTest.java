package io.posunbind.provider.adyen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A host configures the Adyen provider with plain settings; mistakes name the key, never a value. */
class AdyenSettingsTest {

    private static final String API_KEY = "AQEyhmfxK4_settings_test_api_key_do_not_print";
    private static final String HMAC = AdyenTesting.HMAC_KEY;

    @Test
    void withOnlyAnApiKeyTheProviderTalksToAdyensTestEnvironmentAndHidesItsKeys() {
        PaymentProvider provider = create(Map.of("api-key", API_KEY, "webhook-hmac-key", HMAC));

        String shown = provider.toString() + provider.deviceAdapter().orElseThrow()
                + provider.callbackParser().orElseThrow();
        assertTrue(shown.contains("https://management-test.adyen.com/v3"), shown);
        assertFalse(shown.contains(API_KEY) || shown.contains(HMAC), shown);
        assertEquals(Optional.of(Duration.ofDays(31)), provider.idempotencyKeyRetention());
        assertTrue(provider.honoursIdempotencyKeys());
    }

    @Test
    void aMissingApiKeyIsNamed() {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class, () -> create(Map.of()));
        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());
        assertEquals("api-key", missing.key());
    }

    @Test
    void aWebhookKeyThatIsNotHexadecimalIsRefusedWithoutShowingIt() {
        InvalidSettingException invalid = assertThrows(InvalidSettingException.class,
                () -> create(Map.of("api-key", API_KEY, "webhook-hmac-key", "not-hex-secret-value-123")));
        assertEquals(SettingErrorCode.SETTING_INVALID, invalid.errorCode());
        assertEquals("webhook-hmac-key", invalid.key());
        assertFalse(invalid.getMessage().contains("not-hex-secret-value-123"));
    }

    @Test
    void theCompanyInventoryNeedsTheCompanyAccount() {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> create(Map.of("api-key", API_KEY, "reassign-to", "company-inventory")));
        assertEquals("company-id", missing.key());
        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());

        InvalidSettingException unknownTarget = assertThrows(InvalidSettingException.class,
                () -> create(Map.of("api-key", API_KEY, "reassign-to", "store")));
        assertEquals("reassign-to", unknownTarget.key());
    }

    @Test
    void timeoutsMustBePositive() {
        Map<String, String> settings = new HashMap<>(Map.of("api-key", API_KEY));
        settings.put("read-timeout", "0s");
        assertEquals("read-timeout", assertThrows(InvalidSettingException.class, () -> create(settings)).key());
    }

    @Test
    void theProviderDeclaresTheTestEnvironmentsPaceByDefaultAndTheLivePaceOnTheLiveApi() {
        assertEquals(ProviderLimits.of(5, 2), create(Map.of("api-key", API_KEY)).callLimits());
        assertEquals(ProviderLimits.of(10, 5), create(Map.of("api-key", API_KEY,
                "base-uri", "https://management-live.adyen.com/v3")).callLimits());
    }

    @Test
    void aMerchantWhoseContractWithAdyenAllowsMoreOverridesTheDeclaredLimits() {
        PaymentProvider live = create(Map.of("api-key", API_KEY, "base-uri", "https://management-live.adyen.com/v3",
                "calls-per-second", "40", "concurrent-calls", "12"));
        assertEquals(ProviderLimits.of(40, 12), live.callLimits());

        PaymentProvider slower = create(Map.of("api-key", API_KEY, "calls-per-second", "0.5"));
        assertEquals(ProviderLimits.of(0.5, 2), slower.callLimits(), "the other limit keeps its default");
    }

    @Test
    void limitsThatAreNotPositiveNumbersAreRefusedByName() {
        for (String callsPerSecond : new String[] {"0", "-3", "fast", "NaN", "Infinity"}) {
            InvalidSettingException invalid = assertThrows(InvalidSettingException.class,
                    () -> create(Map.of("api-key", API_KEY, "calls-per-second", callsPerSecond)), callsPerSecond);
            assertEquals(SettingErrorCode.SETTING_INVALID, invalid.errorCode());
            assertEquals("calls-per-second", invalid.key());
        }
        for (String concurrentCalls : new String[] {"0", "-1", "2.5", "many"}) {
            InvalidSettingException invalid = assertThrows(InvalidSettingException.class,
                    () -> create(Map.of("api-key", API_KEY, "concurrent-calls", concurrentCalls)), concurrentCalls);
            assertEquals(SettingErrorCode.SETTING_INVALID, invalid.errorCode());
            assertEquals("concurrent-calls", invalid.key());
        }
    }

    private static PaymentProvider create(Map<String, String> settings) {
        return new AdyenProviderFactory().create(ProviderSettings.of(settings));
    }
}
