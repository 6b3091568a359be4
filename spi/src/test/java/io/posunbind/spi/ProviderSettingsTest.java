package io.posunbind.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    private static final String API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    private final ProviderSettings acme = ProviderSettings.of(Map.of(
            "base-uri", "https://api.acme.example/v1",
            "api-key", API_KEY,
            "timeout", "2s",
            "poll", "PT1M",
            "max-connections", "8",
            "sandbox-mode", "TRUE"));

    @Test
    void anAdapterReadsItsTypedSettingsFromPlainStrings() {
        assertEquals(URI.create("https://api.acme.example/v1"), acme.uri("base-uri"));
        assertEquals(API_KEY, acme.secret("api-key").reveal());
        assertEquals(Duration.ofSeconds(2), acme.duration("timeout"));
        assertEquals(Duration.ofMinutes(1), acme.duration("poll"));
        assertEquals(Duration.ofMillis(500), ProviderSettings.of(Map.of("t", "500ms")).duration("t"));
        assertEquals(8, acme.integer("max-connections"));
        assertTrue(acme.bool("sandbox-mode"));
    }

    @Test
    void optionalSettingsAnswerTheirDefaultsWhenAbsentOrBlank() {
        ProviderSettings sparse = ProviderSettings.of(Map.of("region", "  "));
        assertEquals(Duration.ofSeconds(5), sparse.duration("timeout", Duration.ofSeconds(5)));
        assertEquals(3, sparse.integer("retries", 3));
        assertFalse(sparse.bool("sandbox-mode", false));
        assertEquals(Optional.empty(), sparse.optionalString("region"));
        assertEquals(Optional.empty(), sparse.optionalSecret("api-key"));
        assertEquals(Optional.empty(), sparse.optionalUri("base-uri"));
    }

    @Test
    void aMissingRequiredSettingIsACodedErrorNamingTheKey() {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> ProviderSettings.empty().uri("base-uri"));
        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());
        assertEquals("PRV-SETTING-MISSING", missing.errorCode().code());
        assertEquals("base-uri", missing.key());
        assertTrue(missing.getMessage().contains("'base-uri'"), missing.getMessage());
        assertFalse(missing.retryable());
        assertEquals(SettingErrorCode.SETTING_MISSING, assertThrows(InvalidSettingException.class,
                () -> ProviderSettings.of(Map.of("api-key", " ")).secret("api-key")).errorCode());
    }

    @Test
    void aMalformedSettingNamesTheKeyButNeverShowsTheValue() {
        // A credential pasted under the wrong key must not end up in a log through the error message.
        ProviderSettings mixedUp = ProviderSettings.of(Map.of("timeout", API_KEY, "base-uri", API_KEY,
                "max-connections", API_KEY, "sandbox-mode", API_KEY));
        for (Runnable read : new Runnable[] {() -> mixedUp.duration("timeout"), () -> mixedUp.uri("base-uri"),
                () -> mixedUp.integer("max-connections"), () -> mixedUp.bool("sandbox-mode")}) {
            InvalidSettingException invalid = assertThrows(InvalidSettingException.class, read::run);
            assertEquals(SettingErrorCode.SETTING_INVALID, invalid.errorCode());
            assertFalse(invalid.getMessage().contains(API_KEY), invalid.getMessage());
            assertTrue(invalid.getMessage().contains("'" + invalid.key() + "'"), invalid.getMessage());
        }
        assertEquals(SettingErrorCode.SETTING_INVALID, assertThrows(InvalidSettingException.class,
                () -> ProviderSettings.of(Map.of("timeout", "-PT1S")).duration("timeout")).errorCode());
    }

    @Test
    void aSecretNeverShowsItsValueInToStringNorDoTheSettings() {
        Secret secret = acme.secret("api-key");
        assertEquals("Secret[****]", secret.toString());
        assertFalse(String.valueOf(Optional.of(secret)).contains(API_KEY));
        assertFalse(acme.toString().contains(API_KEY), acme.toString());
        assertTrue(acme.toString().contains("api-key"), acme.toString());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
        assertFalse(empty.getMessage().isEmpty());
    }

    @Test
    void aHostFeedsSettingsFromPropertiesUnderAPrefix() {
        Properties properties = new Properties();
        properties.setProperty("posunbind.provider.acme.base-uri", "https://api.acme.example");
        properties.setProperty("posunbind.provider.other.base-uri", "https://other.example");
        ProviderSettings settings = ProviderSettings.of(properties, "posunbind.provider.acme.");
        assertEquals(URI.create("https://api.acme.example"), settings.uri("base-uri"));
        assertEquals("ProviderSettings[base-uri]", settings.toString());
    }
}
