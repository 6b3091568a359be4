package io.posunbind.provider.wechatpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.app.TestClock;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service provider moves a sub-merchant's settlement to a new bank account through the engine, on the
 * durable H2 store, with WeChat Pay played by {@link WechatPayFake}. WeChat Pay manages no POS terminals, so
 * the case's terminal comes from a terminal-management backend beside it (the test kit's sandbox, as the
 * service provider's own terminal system): see the README's finding on the inventory.
 */
class WechatPayUnbinderCaseTest {

    private static final String SUB_MERCHANT = "1511101111";
    private static final String SERIAL = "0820000001";
    private static final String CREDIT_CODE = "91310000MA1FL4B24G";

    static WechatPayKeys keys;

    @TempDir
    Path folder;

    private final TestClock clock = TestClock.at(Instant.parse("2026-01-05T01:00:00Z"));
    private final WechatPayFake wechatPay = new WechatPayFake(keys).subMerchant(SUB_MERCHANT,
            WechatPaySettlementAccountTest.OLD);
    private JdbcCaseStore store;
    private Unbinder unbinder;

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @BeforeEach
    void start() {
        SandboxBackend terminals = new SandboxBackend(clock)
                .addMerchant(SUB_MERCHANT, "示例餐饮有限公司", CREDIT_CODE, "张三")
                .addTerminal(SERIAL, "A920", SUB_MERCHANT);
        WechatPayProvider wechat = new WechatPayProvider(
                WechatPaySettings.from(ProviderSettings.of(keys.settings(wechatPay.baseUri()))),
                merchant -> Optional.of(WechatPaySettlementAccountTest.NEW));
        store = JdbcCaseStore.h2File(folder.resolve("cases"));
        unbinder = Unbinder.builder().store(store).clock(clock).withoutDiscovery()
                .provider(new WechatPayBesideTerminals(wechat, new SandboxProvider(terminals)))
                .callbackVerifier(CallbackVerifier.builder().nativeNotifications(WechatPayProvider.ID).clock(clock)
                        .build())
                .build();
    }

    @AfterEach
    void stop() {
        unbinder.close();
        store.close();
        wechatPay.close();
    }

    @Test
    void theChangeWaitsForWechatPaysReviewAndCompletesWhenThePollFindsItApproved() {
        CaseSnapshot waiting = unbinder.open(request());
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION), waiting.describe(Locale.ENGLISH));
        assertEquals(1, wechatPay.applications().size());

        wechatPay.approve(wechatPay.applications().get(0).number);
        clock.advance(Duration.ofMinutes(31));
        unbinder.runDueWork();

        CaseSnapshot done = unbinder.find(waiting.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        assertEquals(1, wechatPay.changeRequests().size());
        assertEquals(WechatPaySettlementAccountTest.NEW_NUMBER,
                wechatPay.currentAccount(SUB_MERCHANT).orElseThrow().number());
    }

    @Test
    void aVerifiedNotificationNamingTheApplicationCompletesTheCase() {
        CaseSnapshot waiting = unbinder.open(request());
        String applicationNo = wechatPay.applications().get(0).number;
        wechatPay.approve(applicationNo);
        WechatPayFake.RawNotification posted = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT",
                "{\"sub_mchid\":\"" + SUB_MERCHANT + "\",\"application_no\":\"" + applicationNo
                        + "\",\"verify_result\":\"AUDIT_SUCCESS\"}", clock.instant(), false);

        unbinder.acceptNotification(WechatPayProvider.ID, WechatPayNotificationsTest.raw(posted, posted.headers()));
        unbinder.runDueWork();

        CaseSnapshot done = unbinder.find(waiting.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
    }

    @Test
    void aNotificationWithAWrongSignatureIsRefusedAndTheCaseKeepsWaiting() {
        CaseSnapshot waiting = unbinder.open(request());
        String applicationNo = wechatPay.applications().get(0).number;
        WechatPayFake.RawNotification forged = wechatPay.notification("MCH_SETTLEMENT.APPLICATION_RESULT",
                "{\"application_no\":\"" + applicationNo + "\",\"verify_result\":\"AUDIT_SUCCESS\"}", clock.instant(),
                true);

        assertThrows(CallbackRejectedException.class, () -> unbinder.acceptNotification(WechatPayProvider.ID,
                WechatPayNotificationsTest.raw(forged, forged.headers())));
        unbinder.runDueWork();

        CaseSnapshot still = unbinder.find(waiting.id()).orElseThrow();
        assertTrue(still.isWaitingFor(WaitReason.PROVIDER_OPERATION), still.describe(Locale.ENGLISH));
    }

    @Test
    void aTimedOutChangeIsReconciledByLookupWithExactlyOneApplicationAtWechatPay() {
        wechatPay.reviewInstantly();
        wechatPay.failNext(WechatPayFake.Endpoint.MODIFY, WechatPayFake.Trouble.answerAfterTimeout());

        CaseSnapshot opened = unbinder.open(request());
        for (int i = 0; i < 20 && unbinder.find(opened.id()).orElseThrow().state().isOpen(); i++) {
            clock.advance(Duration.ofMinutes(5));
            unbinder.runDueWork();
        }

        CaseSnapshot done = unbinder.find(opened.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        assertEquals(1, wechatPay.changeRequests().size(), "the engine looked up instead of sending again");
        assertEquals(1, wechatPay.applicationsFiled(SUB_MERCHANT));
    }

    private static UnbindRequest request() {
        return UnbindRequest.builder()
                .provider(WechatPayProvider.ID)
                .merchantNumber(SUB_MERCHANT)
                .terminalSerial(SERIAL)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .scope(BindingKind.ACCOUNT)
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(new Document.BusinessLicence(CREDIT_CODE, "示例餐饮有限公司"),
                        new Document.TerminalInformation(SERIAL, "A920"),
                        new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
                                AccountNumber.of(WechatPaySettlementAccountTest.NEW_NUMBER), "示例餐饮有限公司",
                                "建设银行")))
                .build();
    }

    /**
     * WeChat Pay for the account, and the service provider's terminal system (here the sandbox) for the
     * terminal the engine's inventory reads: the engine cannot take an inventory without a device adapter.
     */
    private static final class WechatPayBesideTerminals implements PaymentProvider {

        private final WechatPayProvider wechat;
        private final SandboxProvider terminals;

        WechatPayBesideTerminals(WechatPayProvider wechat, SandboxProvider terminals) {
            this.wechat = wechat;
            this.terminals = terminals;
        }

        @Override
        public String id() {
            return WechatPayProvider.ID;
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String displayName() {
            return wechat.displayName() + " with the service provider's terminals";
        }

        @Override
        public Optional<DeviceUnbindAdapter> deviceAdapter() {
            return terminals.deviceAdapter();
        }

        @Override
        public Optional<AccountUnbindAdapter> accountAdapter() {
            return wechat.accountAdapter();
        }

        @Override
        public Optional<CallbackParser> callbackParser() {
            return wechat.callbackParser();
        }

        @Override
        public InstitutionApproval institutionApproval() {
            return wechat.institutionApproval();
        }

        @Override
        public boolean honoursIdempotencyKeys() {
            return wechat.honoursIdempotencyKeys();
        }

        @Override
        public void close() {
            wechat.close();
        }
    }
}
