package io.posunbind.provider.wechatpay;

import io.posunbind.provider.wechatpay.WechatPayFake.Endpoint;
import io.posunbind.provider.wechatpay.WechatPayFake.Trouble;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.testkit.BackendFaults;
import io.posunbind.testkit.Fault;
import io.posunbind.testkit.PaymentProviderContract;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The test kit's contract against the WeChat Pay provider on its WireMock fake. WeChat Pay declares account
 * binding only, so the contract runs its account checks (the settlement account read, the change 修改结算账户
 * answered, refused, timed out, looked up, concurrently) and the provider-wide ones, and skips the device and
 * merchant-info checks with that reason; nothing here seeds a terminal.
 *
 * <p>WeChat Pay carries no idempotency key, so effects are counted per sub-merchant ({@link
 * BackendFaults#effectsOn}: every operation gets a sub-merchant of its own). Every change goes to review, so
 * {@code holdNextAsPending} has nothing to do and {@code completePending} approves what is in review.
 */
class WechatPayProviderContractTest extends PaymentProviderContract {

    static WechatPayKeys keys;

    private final WechatPayFake wechatPay = new WechatPayFake(keys);
    private final AtomicInteger subMerchants = new AtomicInteger();
    private final BackendFaults backend = new WechatPayBackend();

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
        return backend;
    }

    /** The contract's handle on the fake: sub-merchants, faults of the change, applications filed. */
    private final class WechatPayBackend implements BackendFaults {

        @Override
        public String seedMerchantWithAccount() {
            String subMerchant = nextSubMerchant();
            wechatPay.subMerchant(subMerchant, WechatPaySettlementAccountTest.OLD);
            return subMerchant;
        }

        /** A sub-merchant with a change in review filed elsewhere: WeChat Pay refuses another (400 INVALID_REQUEST). */
        @Override
        public String seedMerchantWithAccountThatRefuses() {
            String subMerchant = seedMerchantWithAccount();
            wechatPay.reviewFiledElsewhere(subMerchant, WechatPaySettlementAccountTest.OLD);
            return subMerchant;
        }

        @Override
        public String unknownMerchant() {
            return "1599999999";
        }

        @Override
        public void failNext(OperationKind kind, Fault fault) {
            if (kind != OperationKind.UNBIND_SETTLEMENT_ACCOUNT) {
                throw new UnsupportedOperationException("WeChat Pay changes settlement accounts only");
            }
            wechatPay.failNext(Endpoint.MODIFY, switch (fault.kind()) {
                case TIMEOUT -> Trouble.answerAfterTimeout();
                case CONNECTION_RESET -> Trouble.connectionReset();
                case SERVER_ERROR -> Trouble.error(500, "SYSTEM_ERROR");
                case RATE_LIMITED -> Trouble.rateLimited(Long.toString(fault.duration().toSeconds()));
                // The fake's only delay outlasts the read timeout; a slow answer within it it cannot play.
                case SLOW_ANSWER -> throw new UnsupportedOperationException("SLOW_ANSWER");
            });
        }

        /** WeChat Pay's change carries no key: see {@link #effectsOn}. */
        @Override
        public int effectsUnder(IdempotencyKey key) {
            throw new UnsupportedOperationException("WeChat Pay carries no idempotency key; effects are per sub-merchant");
        }

        @Override
        public int effectsOn(OperationTarget target) {
            return wechatPay.applicationsFiled(target.merchantNumber());
        }

        @Override
        public int requestsReceived() {
            return wechatPay.requests().size();
        }

        /** Every change goes to WeChat Pay's review: it is pending until approved. */
        @Override
        public void holdNextAsPending(OperationKind kind) {
            if (kind != OperationKind.UNBIND_SETTLEMENT_ACCOUNT) {
                throw new UnsupportedOperationException("WeChat Pay changes settlement accounts only");
            }
        }

        @Override
        public void completePending() {
            wechatPay.approveAll();
        }

        private String nextSubMerchant() {
            return String.format("15%08d", subMerchants.incrementAndGet());
        }
    }
}
