package io.posunbind.provider.wechatpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.testkit.ClearNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The private key, the APIv3 key and the accounts' numbers stay out of settings, exceptions, outcomes and
 * the log (the library's DEBUG lines included), and a host's configuration mistake names the key, never
 * the value.
 */
class WechatPaySecretHygieneTest {

    private static final String CLEAR_NUMBER = "6217000010098765432";

    static WechatPayKeys keys;

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @Test
    void settingsAndTheProviderPrintNoKey() {
        WechatPaySettings settings = WechatPaySettings.from(ProviderSettings.of(keys.settings("https://127.0.0.1")));
        try (WechatPayProvider provider = new WechatPayProvider(settings)) {
            List<String> printed = List.of(settings.toString(), provider.toString(),
                    provider.accountAdapter().orElseThrow().toString(),
                    provider.callbackParser().orElseThrow().toString());
            assertEquals(List.of(), ClearNumbers.in(printed, secrets()));
            assertFalse(settings.toString().contains("BEGIN PRIVATE KEY"));
        }
    }

    @Test
    void aMissingSettingIsNamedByItsKey() {
        Map<String, String> settings = new LinkedHashMap<>(keys.settings("https://127.0.0.1"));
        settings.remove("api-v3-key");
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> new WechatPayProviderFactory().create(ProviderSettings.of(settings)));
        assertEquals(SettingErrorCode.SETTING_MISSING, missing.errorCode());
        assertEquals("api-v3-key", missing.key());
    }

    @Test
    void aMalformedKeyIsNamedWithoutQuotingIt() {
        Map<String, String> settings = new LinkedHashMap<>(keys.settings("https://127.0.0.1"));
        String broken = keys.merchantPrivateKeyPem().replace("MII", "XXX");
        settings.put("merchant-private-key", broken);
        InvalidSettingException invalid = assertThrows(InvalidSettingException.class,
                () -> new WechatPayProviderFactory().create(ProviderSettings.of(settings)));
        assertEquals(SettingErrorCode.SETTING_INVALID, invalid.errorCode());
        assertEquals("merchant-private-key", invalid.key());
        assertFalse(invalid.getMessage().contains(broken.substring(40, 80)));
        assertEquals(null, invalid.getCause(), "the parser's exception could quote the key");

        Map<String, String> shortKey = new LinkedHashMap<>(keys.settings("https://127.0.0.1"));
        shortKey.put("api-v3-key", "tooShortToBeAnApiV3Key");
        InvalidSettingException wrongLength = assertThrows(InvalidSettingException.class,
                () -> new WechatPayProviderFactory().create(ProviderSettings.of(shortKey)));
        assertEquals("api-v3-key", wrongLength.key());
        assertFalse(wrongLength.getMessage().contains("tooShortToBeAnApiV3Key"));
    }

    @Test
    void aChangeAndItsFailuresLeaveNoClearNumberOrKeyInTheLogOrTheOutcomes() {
        List<String> outcomes = new ArrayList<>();
        List<String> log = ClearNumbers.writtenWhile(() -> {
            try (WechatPayFake wechatPay = new WechatPayFake(keys).subMerchant("1511101111",
                    new WechatPayFake.Account("ACCOUNT_TYPE_PRIVATE", "招商银行", "6225880137006123", "张三"));
                 WechatPayProvider provider = new WechatPayProvider(
                         WechatPaySettings.from(ProviderSettings.of(keys.settings(wechatPay.baseUri()))),
                         merchant -> Optional.of(NewSettlementAccount.of(SettlementAccountKind.BANK_CARD,
                                 AccountNumber.of(CLEAR_NUMBER), "建设银行", "110000")))) {
                var accounts = provider.accountAdapter().orElseThrow();
                outcomes.add(String.valueOf(accounts.readSettlementAccount("1511101111")));
                int n = 0;
                for (WechatPayFake.Trouble trouble : List.of(WechatPayFake.Trouble.error(400, "PARAM_ERROR"),
                        WechatPayFake.Trouble.error(500, "SYSTEM_ERROR"), WechatPayFake.Trouble.answerAfterTimeout(),
                        WechatPayFake.Trouble.signedByAnotherKey())) {
                    wechatPay.approveAll();
                    wechatPay.failNext(WechatPayFake.Endpoint.MODIFY, trouble);
                    SentOperation operation = SentOperation.of(new IdempotencyKey("case-" + (++n) + ".ACCOUNT.1"),
                            OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
                            OperationTarget.account("1511101111", AccountNumber.of("62************23")), Map.of(),
                            Instant.parse("2026-01-05T01:00:00Z"));
                    operation = operation.withAdapterNote(accounts.prepare(operation));
                    outcomes.add(operation.toString());
                    OperationOutcome outcome = accounts.unbindSettlementAccount(OperationContext.of(operation, "c"),
                            "1511101111", new SettlementAccount(SettlementAccountKind.BANK_CARD,
                                    AccountNumber.of("62************23"), "", "招商银行"));
                    outcomes.add(outcome.toString());
                }
            }
        });
        assertTrue(log.stream().anyMatch(line -> line.contains("com.wechat.pay")), "the library's DEBUG lines ran");
        assertEquals(List.of(), ClearNumbers.in(log, secrets()));
        assertEquals(List.of(), ClearNumbers.in(outcomes, secrets()));
    }

    private static Set<String> secrets() {
        String pem = keys.merchantPrivateKeyPem();
        return Set.of(WechatPayKeys.API_V3_KEY, pem.substring(pem.indexOf('\n') + 1, pem.indexOf('\n') + 60),
                CLEAR_NUMBER, "6225880137006123");
    }
}
