package io.posunbind.provider.wechatpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.posunbind.provider.wechatpay.WechatPayFake.Account;
import io.posunbind.provider.wechatpay.WechatPayFake.Endpoint;
import io.posunbind.provider.wechatpay.WechatPayFake.Trouble;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service provider changes a sub-merchant's settlement account at WeChat Pay (played by {@link WechatPayFake}
 * on WireMock, answers signed with the platform key): what the adapter sends, and what it makes of every answer.
 */
class WechatPaySettlementAccountTest {

    static final String SUB_MERCHANT = "1511101111";
    static final String OLD_NUMBER = "6222020200112233445";
    static final String NEW_NUMBER = "6217000010098765432";
    static final Account OLD = new Account("ACCOUNT_TYPE_BUSINESS", "工商银行", OLD_NUMBER, "示例餐饮有限公司");
    static final NewSettlementAccount NEW = new NewSettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
            AccountNumber.of(NEW_NUMBER), Optional.of("示例餐饮有限公司"), "建设银行", "110000",
            Optional.of("中国建设银行股份有限公司北京分行"), Optional.empty());

    static WechatPayKeys keys;

    private final WechatPayFake wechatPay = new WechatPayFake(keys).subMerchant(SUB_MERCHANT, OLD);
    private final WechatPayProvider provider = provider(wechatPay, merchant -> Optional.of(NEW));
    private final AccountUnbindAdapter accounts = provider.accountAdapter().orElseThrow();
    private int sequence;

    @BeforeAll
    static void generateKeys() {
        keys = WechatPayKeys.generate();
    }

    @AfterEach
    void stop() {
        provider.close();
        wechatPay.close();
    }

    static WechatPayProvider provider(WechatPayFake fake, NewSettlementAccounts newAccounts) {
        return new WechatPayProvider(WechatPaySettings.from(ProviderSettings.of(keys.settings(fake.baseUri()))),
                newAccounts);
    }

    @Test
    void theInventoryReadsTheBoundAccountMaskedAsWechatPayShowsIt() {
        SettlementAccount bound = accounts.readSettlementAccount(SUB_MERCHANT).orElseThrow();

        assertEquals(SettlementAccountKind.BANK_ACCOUNT, bound.kind());
        assertEquals("工商银行北京分行", bound.institutionName());
        assertFalse(bound.number().reveal().contains("0200112233"), "WeChat Pay shows the number masked");
        assertTrue(bound.number().reveal().endsWith("45"));
        LoggedRequest read = wechatPay.requests().get(0);
        assertEquals("GET", read.getMethod().getName());
        assertEquals("/v3/apply4sub/sub_merchants/1511101111/settlement", read.getUrl());
        assertSignedByTheMerchant(read);
    }

    @Test
    void aChangeIsSignedEncryptedForWechatPayAndAnsweredPendingWithTheApplicationNumber() {
        SentOperation operation = operation();

        OperationOutcome outcome = accounts.unbindSettlementAccount(context(operation), SUB_MERCHANT, bound());

        OperationOutcome.Pending pending = assertInstanceOf(OperationOutcome.Pending.class, outcome);
        String applicationNo = wechatPay.applications().get(0).number;
        assertEquals(Optional.of(applicationNo), pending.providerReference());
        assertEquals(Duration.ofMinutes(30), pending.pollAfter());
        assertTrue(pending.operatorNote().orElseThrow().chinese().contains(applicationNo));
        LoggedRequest change = wechatPay.changeRequests().get(0);
        assertEquals("POST", change.getMethod().getName());
        assertEquals("/v3/apply4sub/sub_merchants/1511101111/modify-settlement", change.getUrl());
        assertSignedByTheMerchant(change);
        assertEquals(WechatPayKeys.PUBLIC_KEY_ID, change.getHeader("Wechatpay-Serial"),
                "the encrypted fields name the WeChat Pay key they are encrypted for");
        String body = change.getBodyAsString();
        assertFalse(body.contains(NEW_NUMBER), "the account number never travels in clear");
        assertFalse(body.contains("示例餐饮"), "the account name never travels in clear");
        JsonObject json = JsonParser.parseString(body).getAsJsonObject();
        assertEquals(NEW_NUMBER, keys.decryptForPlatform(json.get("account_number").getAsString()));
        assertEquals("示例餐饮有限公司", keys.decryptForPlatform(json.get("account_name").getAsString()));
        assertEquals("MODIFY_MODE_ASYNC", json.get("modify_mode").getAsString());
        assertEquals("ACCOUNT_TYPE_BUSINESS", json.get("account_type").getAsString());
        assertEquals("建设银行", json.get("account_bank").getAsString());
        assertEquals("110000", json.get("bank_address_code").getAsString());
        assertEquals("中国建设银行股份有限公司北京分行", json.get("bank_name").getAsString());
    }

    @Test
    void theApplicationIsPolledWhileWechatPayReviewsItAndIsDoneOnceApproved() {
        SentOperation operation = operation();
        OperationOutcome.Pending pending = (OperationOutcome.Pending) accounts.unbindSettlementAccount(
                context(operation), SUB_MERCHANT, bound());
        SentOperation persisted = operation.withProviderReference(pending.providerReference());

        assertInstanceOf(OperationOutcome.Pending.class, accounts.lookup(persisted).orElseThrow());
        wechatPay.approve(pending.providerReference().orElseThrow());
        OperationOutcome done = fresh().lookup(persisted).orElseThrow();

        assertEquals(OperationOutcome.done(pending.providerReference().orElseThrow()), done);
        assertTrue(wechatPay.requests().stream().anyMatch(r -> r.getUrl().equals(
                "/v3/apply4sub/sub_merchants/1511101111/application/" + pending.providerReference().orElseThrow())));
        assertEquals(1, wechatPay.changeRequests().size());
    }

    @Test
    void aReviewWechatPayRefusesIsRejectedWithItsReason() {
        SentOperation operation = operation();
        OperationOutcome.Pending pending = (OperationOutcome.Pending) accounts.unbindSettlementAccount(
                context(operation), SUB_MERCHANT, bound());
        wechatPay.refuse(pending.providerReference().orElseThrow(), "开户名称与主体名称不一致");

        OperationOutcome refused = accounts.lookup(operation.withProviderReference(pending.providerReference()))
                .orElseThrow();

        OperationOutcome.Rejected rejected = assertInstanceOf(OperationOutcome.Rejected.class, refused);
        assertEquals(WechatPayErrorCode.SETTLEMENT_CHANGE_REFUSED, rejected.code());
        assertEquals("AUDIT_FAIL", rejected.providerCode());
        assertTrue(rejected.message().contains("开户名称与主体名称不一致"), rejected.message());
    }

    @Test
    void aTimedOutChangeIsFoundByTheBoundAccountOnceWechatPayApprovedItWithoutSendingItAgain() {
        SentOperation operation = prepared(operation());
        wechatPay.failNext(Endpoint.MODIFY, Trouble.answerAfterTimeout());

        OperationOutcome outcome = accounts.unbindSettlementAccount(context(operation), SUB_MERCHANT, bound());

        assertInstanceOf(OperationOutcome.Unknown.class, outcome, "the application may have been filed");
        assertEquals(Optional.empty(), fresh().lookup(operation), "still in review: nothing to report yet");
        wechatPay.approveAll();
        assertEquals(Optional.of(OperationOutcome.done("settlement:" + SUB_MERCHANT)), fresh().lookup(operation));
        assertEquals(1, wechatPay.changeRequests().size(), "one request, one application");
        assertTrue(operation.adapterNote().orElseThrow().contains("621700*********5432"), operation.adapterNote()
                .orElseThrow());
        assertFalse(operation.adapterNote().orElseThrow().contains(NEW_NUMBER));
    }

    @Test
    void aSecondApplicationWhileTheFirstIsInReviewIsRefusedSoALostAnswerNeverFilesTwo() {
        SentOperation operation = prepared(operation());
        wechatPay.failNext(Endpoint.MODIFY, Trouble.answerAfterTimeout());
        accounts.unbindSettlementAccount(context(operation), SUB_MERCHANT, bound());

        OperationOutcome resent = accounts.unbindSettlementAccount(context(operation).withAttempt(2), SUB_MERCHANT,
                bound());

        OperationOutcome.Rejected rejected = assertInstanceOf(OperationOutcome.Rejected.class, resent);
        assertEquals(StandardErrorCode.INVALID_REQUEST, rejected.code());
        assertEquals("INVALID_REQUEST", rejected.providerCode());
        assertEquals(1, wechatPay.applicationsFiled(SUB_MERCHANT));
    }

    @Test
    void aConnectionResetIsUnknownAndSentOnceAndLooksUpEmptyWhenNothingWasFiled() {
        SentOperation operation = prepared(operation());
        wechatPay.failNext(Endpoint.MODIFY, Trouble.connectionReset());

        OperationOutcome outcome = accounts.unbindSettlementAccount(context(operation), SUB_MERCHANT, bound());

        assertInstanceOf(OperationOutcome.Unknown.class, outcome);
        assertEquals(1, wechatPay.changeRequests().size(), "OkHttp's retry on connection failure is off");
        assertEquals(Optional.empty(), fresh().lookup(operation), "nothing was filed: the engine may send it");
    }

    @Test
    void a503AskingForAnImmediateRetryIsLeftToTheEngineAndSentOnce() {
        wechatPay.failNext(Endpoint.MODIFY, Trouble.unavailableRetryAtOnce());

        OperationOutcome outcome = accounts.unbindSettlementAccount(context(operation()), SUB_MERCHANT, bound());

        assertInstanceOf(OperationOutcome.Unknown.class, outcome);
        assertEquals(1, wechatPay.changeRequests().size(), "OkHttp must not resend the change on its own");
        assertEquals(0, wechatPay.applicationsFiled(SUB_MERCHANT));
    }

    @Test
    void anAnswerSignedWithAnotherKeyIsNotTrusted() {
        wechatPay.failNext(Endpoint.MODIFY, Trouble.signedByAnotherKey());
        OperationOutcome outcome = accounts.unbindSettlementAccount(context(operation()), SUB_MERCHANT, bound());
        assertInstanceOf(OperationOutcome.Unknown.class, outcome, "the application may have been filed");

        wechatPay.failNext(Endpoint.SETTLEMENT, Trouble.signedByAnotherKey());
        ProviderException read = assertThrows(ProviderException.class,
                () -> accounts.readSettlementAccount(SUB_MERCHANT));
        assertEquals(WechatPayErrorCode.ANSWER_NOT_TRUSTED, read.errorCode());
    }

    @Test
    void wechatPaysErrorBodiesBecomeTheSpisOutcomesWithTheRequestId() {
        Map<Trouble, String> expected = new LinkedHashMap<>();
        expected.put(Trouble.error(400, "PARAM_ERROR"), "Rejected PRV-INVALID-REQUEST PARAM_ERROR");
        expected.put(Trouble.error(400, "INVALID_REQUEST"), "Rejected PRV-INVALID-REQUEST INVALID_REQUEST");
        expected.put(Trouble.error(401, "SIGN_ERROR"), "Rejected PRV-NOT-AUTHORIZED SIGN_ERROR");
        expected.put(Trouble.error(403, "NO_AUTH"), "Rejected PRV-NOT-AUTHORIZED NO_AUTH");
        expected.put(Trouble.error(404, "RESOURCE_NOT_EXISTS"), "Rejected PRV-MERCHANT-NOT-FOUND RESOURCE_NOT_EXISTS");
        expected.put(Trouble.error(409, "CONFLICT"), "Rejected PRV-IN-PROGRESS CONFLICT");
        expected.put(Trouble.error(422, "INVALID_REQUEST"), "Rejected PRV-INVALID-REQUEST INVALID_REQUEST");
        expected.put(Trouble.rateLimited("42"), "RetryableFailure PRV-RATE-LIMITED FREQUENCY_LIMITED PT42S");
        expected.put(Trouble.rateLimited(null), "RetryableFailure PRV-RATE-LIMITED FREQUENCY_LIMITED PT1M");
        expected.put(Trouble.error(500, "SYSTEM_ERROR"), "Unknown");
        expected.put(Trouble.error(503, "SYSTEM_ERROR"), "Unknown");
        expected.put(Trouble.gatewayPage(502), "Unknown");
        expected.put(Trouble.answerAfterTimeout(), "Unknown");
        expected.put(Trouble.connectionReset(), "Unknown");
        Map<Trouble, String> answered = new LinkedHashMap<>();
        for (Trouble trouble : expected.keySet()) {
            wechatPay.approveAll(); // a filed application would refuse the next one
            wechatPay.failNext(Endpoint.MODIFY, trouble);
            answered.put(trouble, describe(accounts.unbindSettlementAccount(context(operation()), SUB_MERCHANT,
                    bound())));
        }
        assertEquals(expected, answered);
    }

    @Test
    void aRefusalKeepsWechatPaysRequestIdForSupport() {
        wechatPay.failNext(Endpoint.MODIFY, Trouble.error(400, "PARAM_ERROR"));
        OperationOutcome.Rejected rejected = (OperationOutcome.Rejected) accounts.unbindSettlementAccount(
                context(operation()), SUB_MERCHANT, bound());
        assertTrue(rejected.requestId().orElseThrow().startsWith("08F1A2B3C4D5E6"), rejected.toString());
        assertTrue(rejected.message().contains("Request-ID"), rejected.message());
    }

    @Test
    void aReadWechatPayCannotAnswerNowIsRetryableAndAForbiddenOneIsNot() {
        wechatPay.failNext(Endpoint.SETTLEMENT, Trouble.error(500, "SYSTEM_ERROR"));
        ProviderException unavailable = assertThrows(ProviderException.class,
                () -> accounts.readSettlementAccount(SUB_MERCHANT));
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, unavailable.errorCode());
        assertTrue(unavailable.retryable());
        assertTrue(unavailable.providerRequestId().isPresent());

        wechatPay.failNext(Endpoint.SETTLEMENT, Trouble.error(403, "NO_AUTH"));
        ProviderException forbidden = assertThrows(ProviderException.class,
                () -> accounts.readSettlementAccount(SUB_MERCHANT));
        assertEquals(StandardErrorCode.NOT_AUTHORIZED, forbidden.errorCode());
        assertEquals("NO_AUTH", forbidden.providerCode());
    }

    @Test
    void withoutANewAccountTheChangeIsNotApplicableAndNothingIsSent() {
        try (WechatPayProvider settingsOnly = provider(wechatPay, NewSettlementAccounts.none())) {
            OperationOutcome outcome = settingsOnly.accountAdapter().orElseThrow()
                    .unbindSettlementAccount(context(operation()), SUB_MERCHANT, bound());
            assertInstanceOf(OperationOutcome.NotApplicable.class, outcome);
        }
        assertEquals(0, wechatPay.requests().size());
    }

    @Test
    void anUnreachableWechatPayIsRetryableBecauseNothingWasSent() {
        Map<String, String> settings = new LinkedHashMap<>(keys.settings("http://127.0.0.1:1"));
        try (WechatPayProvider unreachable = new WechatPayProvider(
                WechatPaySettings.from(ProviderSettings.of(settings)), merchant -> Optional.of(NEW))) {
            OperationOutcome outcome = unreachable.accountAdapter().orElseThrow()
                    .unbindSettlementAccount(context(operation()), SUB_MERCHANT, bound());
            assertEquals("RetryableFailure PRV-UNAVAILABLE NOT_CONNECTED", describe(outcome));
        }
    }

    @Test
    void concurrentChangesForManySubMerchantsEachSendTheirOwnAccountEncrypted() throws Exception {
        int threads = 8;
        Map<String, String> numbers = new LinkedHashMap<>();
        for (int i = 0; i < threads; i++) {
            String subMerchant = "15111011" + (10 + i);
            wechatPay.subMerchant(subMerchant, OLD);
            numbers.put(subMerchant, "62170000100987654" + (10 + i));
        }
        try (WechatPayProvider shared = provider(wechatPay, merchant -> Optional.of(new NewSettlementAccount(
                SettlementAccountKind.BANK_ACCOUNT, AccountNumber.of(numbers.get(merchant)), Optional.empty(), "建设银行",
                "110000", Optional.empty(), Optional.empty())))) {
            AccountUnbindAdapter adapter = shared.accountAdapter().orElseThrow();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<OperationOutcome>> answers = new ArrayList<>();
                for (String subMerchant : numbers.keySet()) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        SentOperation operation = SentOperation.of(new IdempotencyKey("case-" + subMerchant + ".A.1"),
                                OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
                                OperationTarget.account(subMerchant, AccountNumber.of(OLD.masked())), Map.of(),
                                Instant.parse("2026-01-05T01:00:00Z"));
                        return adapter.unbindSettlementAccount(context(operation), subMerchant, bound());
                    }));
                }
                start.countDown();
                for (Future<OperationOutcome> answer : answers) {
                    assertInstanceOf(OperationOutcome.Pending.class, answer.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Map<String, String> received = new LinkedHashMap<>();
        wechatPay.applications().forEach(application -> received.put(application.subMerchant,
                application.requested.number()));
        assertEquals(new TreeMap<>(numbers), new TreeMap<>(received),
                "each sub-merchant's application carries its own account, decrypted with the platform key");
    }

    // ------------------------------------------------------------------------------------------------

    static String describe(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return "Rejected " + rejected.code().code() + " " + rejected.providerCode();
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return "RetryableFailure " + failure.code().code() + " " + failure.providerCode()
                    + failure.retryAfter().map(after -> " " + after).orElse("");
        }
        return outcome.getClass().getSimpleName();
    }

    /** The request carries WECHATPAY2-SHA256-RSA2048 with the merchant's id, serial and a valid signature. */
    static void assertSignedByTheMerchant(LoggedRequest request) {
        String authorization = request.getHeader("Authorization");
        Matcher token = Pattern.compile("WECHATPAY2-SHA256-RSA2048 mchid=\"(\\d+)\",nonce_str=\"(\\w+)\","
                + "timestamp=\"(\\d+)\",serial_no=\"(\\w+)\",signature=\"([A-Za-z0-9+/=]+)\"").matcher(authorization);
        assertTrue(token.matches(), authorization);
        assertEquals(WechatPayKeys.MERCHANT_ID, token.group(1));
        assertEquals(WechatPayKeys.MERCHANT_SERIAL, token.group(4));
        String message = request.getMethod().getName() + "\n" + request.getUrl() + "\n" + token.group(3) + "\n"
                + token.group(2) + "\n" + (request.getMethod().getName().equals("GET") ? "" : request.getBodyAsString())
                + "\n";
        assertTrue(WechatPayKeys.verifies(keys.merchant.getPublic(), message, token.group(5)),
                "the signature verifies with the merchant's public key");
        assertTrue(Base64.getDecoder().decode(token.group(5)).length == 256, "RSA 2048");
    }

    private AccountUnbindAdapter fresh() {
        return provider(wechatPay, merchant -> Optional.of(NEW)).accountAdapter().orElseThrow();
    }

    private SettlementAccount bound() {
        return new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT, AccountNumber.of(OLD.masked()), "",
                "工商银行");
    }

    private SentOperation operation() {
        return SentOperation.of(new IdempotencyKey("case-" + (++sequence) + ".UNBIND_ACCOUNT.1"),
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
                OperationTarget.account(SUB_MERCHANT, AccountNumber.of(OLD.masked())), Map.of(),
                Instant.parse("2026-01-05T01:00:00Z"));
    }

    /** As the engine does before the first send: the adapter's note persisted with the operation. */
    private SentOperation prepared(SentOperation operation) {
        return operation.withAdapterNote(accounts.prepare(operation));
    }

    private static OperationContext context(SentOperation operation) {
        return OperationContext.of(operation, "case-1");
    }
}
