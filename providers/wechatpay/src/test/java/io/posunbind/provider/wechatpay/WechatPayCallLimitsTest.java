package io.posunbind.provider.wechatpay;

import static io.posunbind.spi.OperationKind.UNBIND_SETTLEMENT_ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.CallLimit;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How fast the engine may call WeChat Pay for a service provider: the documented 20 settlement-account changes a
 * minute on that operation alone and the assumed pace of the queries for every call, on every host (APIv3 has
 * no test environment); a service provider's own figures from its settings; a figure that is no limit refused.
 */
class WechatPayCallLimitsTest {

    private static WechatPayKeys keys;

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @Test
    void theSettlementAccountChangeKeepsToItsDocumentedTwentyAMinuteWithoutSlowingTheQueriesToIt() {
        ProviderLimits declared = create(Map.of()).callLimits();
        assertEquals(Optional.of(CallLimit.perMinute(20)), declared.operationLimit(UNBIND_SETTLEMENT_ACCOUNT),
                "修改结算银行卡接口调用频率限制：20/min, on the change alone");
        assertEquals(Map.of(UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20)), declared.operationLimits(),
                "the only operation WeChat Pay performs here");
        // The queries share the provider-wide pace: far above 20 a minute, and under the documented 100 a second
        // of the application query.
        assertEquals(ProviderLimits.of(10, 4).withOperation(UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20)),
                declared);
        assertTrue(declared.callsPerSecond() * 60 > 20 && declared.callsPerSecond() <= 100, declared.toString());
        assertEquals(declared, create(Map.of("base-uri", "https://api2.mch.weixin.qq.com")).callLimits(),
                "the backup host is the same production API");
    }

    @Test
    void aServiceProviderThatKnowsItsOwnQuotaSetsIt() {
        assertEquals(ProviderLimits.of(30, 8).withOperation(UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20)),
                create(Map.of("calls-per-second", "30", "concurrent-calls", "8")).callLimits());
        assertEquals(ProviderLimits.of(0.2, 4).withOperation(UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20)),
                create(Map.of("calls-per-second", "0.2")).callLimits(), "the limits left unset keep their defaults");
        assertEquals(ProviderLimits.of(10, 4).withOperation(UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(40)),
                create(Map.of("settlement-change-calls-per-minute", "40")).callLimits(), "the change's quota alone");
    }

    @Test
    void limitsThatAreNotPositiveNumbersAreRefusedByName() {
        for (String callsPerSecond : List.of("0", "-10", "fast", "NaN", "Infinity")) {
            assertInvalid("calls-per-second", Map.of("calls-per-second", callsPerSecond));
        }
        for (String concurrentCalls : List.of("0", "-1", "2.5", "many")) {
            assertInvalid("concurrent-calls", Map.of("concurrent-calls", concurrentCalls));
        }
        for (String changes : List.of("0", "-20", "0.5", "often")) {
            assertInvalid("settlement-change-calls-per-minute", Map.of("settlement-change-calls-per-minute", changes));
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
