package io.posunbind.provider.wechatpay;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.Fault;
import io.posunbind.testkit.PaymentProviderContract;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The test kit's contract against the WeChat Pay provider on its WireMock fake. The contract probes the
 * device adapter, which WeChat Pay has none of (it manages no POS terminals): those checks are skipped with
 * that reason, and the registration, construction and secret checks run. The account side is proven in
 * {@link WechatPaySettlementAccountTest} and {@link WechatPayUnbinderCaseTest}.
 */
class WechatPayProviderContractTest extends PaymentProviderContract {

    static WechatPayKeys keys;

    private final WechatPayFake wechatPay = new WechatPayFake(keys);

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @AfterEach
    void stop() {
        wechatPay.close();
    }

    @Override
    protected PaymentProvider newProvider() {
        return new WechatPayProvider(WechatPaySettings.from(ProviderSettings.of(settings())),
                merchant -> Optional.of(WechatPaySettlementAccountTest.NEW));
    }

    @Override
    protected Map<String, String> settings() {
        return keys.settings(wechatPay.baseUri());
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(WechatPayKeys.API_V3_KEY, keys.merchantPrivateKeyPem().substring(28, 90));
    }

    @Override
    protected BackendFaults backend() {
        return new BackendFaults() {
            // WeChat Pay manages no POS terminals. Some checks ask for a terminal before they find there is
            // no device adapter and skip: they get a serial nothing is ever sent for.
            @Override
            public String seedTerminal() {
                return "WXP-NO-TERMINALS";
            }

            @Override
            public String unknownSerial() {
                return "WXP-NO-TERMINALS-0";
            }

            @Override
            public void failNext(OperationKind kind, Fault fault) {
                throw new UnsupportedOperationException("the contract's probes are device operations");
            }

            @Override
            public int effectsUnder(IdempotencyKey key) {
                return wechatPay.applications().size();
            }

            @Override
            public int requestsReceived() {
                return wechatPay.requests().size();
            }
        };
    }
}
