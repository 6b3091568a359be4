package io.posunbind.provider.wechatpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How fast the engine may call WeChat Pay for a service provider: the assumed default on every host (APIv3 has
 * no test environment), a service provider's own figure from its settings, and a figure that is no limit refused.
 */
class WechatPayCallLimitsTest {

    private static WechatPayKeys keys;

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @Test
    void theProviderKeepsToTheDocumentedTwentyChangesAMinuteOnThePrimaryAndTheBackupHost() {
        ProviderLimits twentyAMinute = ProviderLimits.of(20.0 / 60, 2);
        assertEquals(twentyAMinute, create(Map.of()).callLimits());
        assertEquals(twentyAMinute, create(Map.of("base-uri", "https://api2.mch.weixin.qq.com")).callLimits());
        assertEquals(20, Math.round(create(Map.of()).callLimits().callsPerSecond() * 60), "calls in a minute");
    }

    @Test
    void aServiceProviderThatKnowsItsOwnQuotaSetsIt() {
        assertEquals(ProviderLimits.of(30, 8), create(Map.of("calls-per-second", "30", "concurrent-calls", "8"))
                .callLimits());
        assertEquals(ProviderLimits.of(0.2, 2), create(Map.of("calls-per-second", "0.2")).callLimits(),
                "the limit left unset keeps its default");
    }

    @Test
    void limitsThatAreNotPositiveNumbersAreRefusedByName() {
        for (String callsPerSecond : List.of("0", "-10", "fast", "NaN", "Infinity")) {
            assertInvalid("calls-per-second", Map.of("calls-per-second", callsPerSecond));
        }
        for (String concurrentCalls : List.of("0", "-1", "2.5", "many")) {
            assertInvalid("concurrent-calls", Map.of("concurrent-calls", concurrentCalls));
        }
    }

    private static void assertInvalid(String key, Map<String, String> limits) {
        InvalidSettingException invalid = assertThrows(InvalidSettingException.class, () -> create(limits),
                limits.toString());
        assertEquals(SettingErrorCode.SETTING_INVALID, invalid.errorCode(), limits.toString());
        assertEquals(key, invalid.key());
    }

    private static PaymentProvider create(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(keys.settings("https://api.mch.weixin.qq.com"));
        settings.putAll(overrides);
        return new WechatPayProviderFactory().create(ProviderSettings.of(settings));
    }
}
