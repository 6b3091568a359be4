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
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

    @Test
    void aChainsTwentyFiveSubMerchantsChangeTwentyAccountsInAMinuteWhileTheirReadsGoOnAtTheQueriesPace() {
        // A chain moves every store's settlement: 25 sub-merchants, each with its terminal, opened together.
        SandboxBackend terminals = new SandboxBackend(clock);
        List<String> subMerchants = new ArrayList<>();
        for (int store = 0; store < 25; store++) {
            String subMerchant = String.format("15111020%02d", store);
            subMerchants.add(subMerchant);
            wechatPay.subMerchant(subMerchant, WechatPaySettlementAccountTest.OLD);
            terminals.addMerchant(subMerchant, "示例餐饮有限公司", CREDIT_CODE, "张三")
                    .addTerminal(String.format("08200010%02d", store), "A920", subMerchant);
        }
        WechatPayProvider wechat = new WechatPayProvider(
                WechatPaySettings.from(ProviderSettings.of(keys.settings(wechatPay.baseUri()))),
                merchant -> Optional.of(WechatPaySettlementAccountTest.NEW));
        JdbcCaseStore chainStore = JdbcCaseStore.h2File(folder.resolve("chain"));
        Unbinder chain = Unbinder.builder().store(chainStore).clock(clock).withoutDiscovery()
                .provider(new WechatPayBesideTerminals(wechat, new SandboxProvider(terminals))).build();
        try {
            for (int store = 0; store < 25; store++) {
                chain.open(request(subMerchants.get(store), String.format("08200010%02d", store)), WaitPolicy.none());
            }
            // Counted at WeChat Pay, per second of the service provider's clock; due work runs ten times a second.
            Map<Long, Integer> changesPerSecond = new TreeMap<>();
            Map<Long, Integer> readsPerSecond = new TreeMap<>();
            for (int tick = 0; tick < 1_800 && wechatPay.changeRequests().size() < 25; tick++) {
                int changesBefore = wechatPay.changeRequests().size();
                int readsBefore = settlementReads();
                chain.runDueWork();
                long second = tick / 10;
                changesPerSecond.merge(second, wechatPay.changeRequests().size() - changesBefore, Integer::sum);
                readsPerSecond.merge(second, settlementReads() - readsBefore, Integer::sum);
                clock.advance(Duration.ofMillis(100));
            }

            assertEquals(25, wechatPay.changeRequests().size(), "every store's change was filed: " + changesPerSecond);
            int mostInAMinute = 0;
            for (long start = 0; start < 180; start++) {
                long from = start;
                mostInAMinute = Math.max(mostInAMinute, changesPerSecond.entrySet().stream()
                        .filter(entry -> entry.getKey() >= from && entry.getKey() < from + 60)
                        .mapToInt(Map.Entry::getValue).sum());
            }
            assertEquals(20, mostInAMinute, "修改结算银行卡接口调用频率限制：20/min, kept and used: " + changesPerSecond);
            // The reads of the bound accounts are not slowed to the change's pace: at 20 calls a minute for every
            // call (the declaration before limits per operation) the 25 reads alone would take more than a minute.
            // Every call into an adapter counts against the 10 a second, the inventory's few in a row included.
            int readsInHalfAMinute = readsPerSecond.entrySet().stream().filter(entry -> entry.getKey() < 30)
                    .mapToInt(Map.Entry::getValue).sum();
            assertTrue(readsInHalfAMinute >= 25, "every case read its account within half a minute: " + readsPerSecond);
        } finally {
            chain.close();
            chainStore.close();
        }
    }

    private int settlementReads() {
        return (int) wechatPay.requests().stream().filter(request -> request.getUrl().contains("/settlement")
                && !request.getUrl().contains("modify-settlement")).count();
    }

    private static UnbindRequest request() {
        return request(SUB_MERCHANT, SERIAL);
    }

    private static UnbindRequest request(String subMerchant, String serial) {
        return UnbindRequest.builder()
                .provider(WechatPayProvider.ID)
                .merchantNumber(subMerchant)
                .terminalSerial(serial)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .scope(BindingKind.ACCOUNT)
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(new Document.BusinessLicence(CREDIT_CODE, "示例餐饮有限公司"),
                        new Document.TerminalInformation(serial, "A920"),
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
        public ProviderLimits callLimits() {
            return wechat.callLimits();
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
