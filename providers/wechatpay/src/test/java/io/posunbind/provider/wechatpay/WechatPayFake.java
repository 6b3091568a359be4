package io.posunbind.provider.wechatpay;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WeChat Pay's settlement-account API for service providers, played on WireMock with the request and answer
 * shapes of the partner documentation: 修改结算账户 (files an application under review, answers
 * {@code application_no}), 查询结算账户修改申请状态 and 查询结算账户 (numbers masked, first 2 and last 2 digits
 * shown), and the error body {@code {"code","message"}} with a {@code Request-ID}. Every answer, errors
 * included, is signed with the platform key ({@code Wechatpay-Timestamp/Nonce/Serial/Signature}), so the
 * library's answer validation really runs. Faults come from {@link #failNext}; reviews are decided with
 * {@link #approve} and {@link #refuse}. Thread-safe (one lock).
 */
final class WechatPayFake implements AutoCloseable {

    /** The three endpoints. */
    enum Endpoint { MODIFY, APPLICATION, SETTLEMENT }

    /** What the next request to an endpoint suffers. */
    record Trouble(int status, String code, String retryAfter, boolean timeout, boolean reset, boolean forgedSignature,
            boolean htmlBody) {
        static Trouble error(int status, String code) {
            return new Trouble(status, code, null, false, false, false, false);
        }

        /** 503 with {@code Retry-After: 0}, which OkHttp on its own would answer by sending again. */
        static Trouble unavailableRetryAtOnce() {
            return new Trouble(503, "SYSTEM_ERROR", "0", false, false, false, false);
        }

        static Trouble rateLimited(String retryAfter) {
            return new Trouble(429, "FREQUENCY_LIMITED", retryAfter, false, false, false, false);
        }

        /** The request takes effect; the answer comes after the client's read timeout. */
        static Trouble answerAfterTimeout() {
            return new Trouble(0, null, null, true, false, false, false);
        }

        /** The connection is reset before the request is acted on. */
        static Trouble connectionReset() {
            return new Trouble(0, null, null, false, true, false, false);
        }

        /** The request takes effect; the answer is signed with a key that is not WeChat Pay's. */
        static Trouble signedByAnotherKey() {
            return new Trouble(0, null, null, false, false, true, false);
        }

        /** A gateway's HTML page instead of WeChat Pay's error body. */
        static Trouble gatewayPage(int status) {
            return new Trouble(status, null, null, false, false, false, true);
        }
    }

    /** An account as WeChat Pay holds it. */
    record Account(String type, String bank, String number, String name) {
        String masked() {
            return number.substring(0, 2) + "*".repeat(number.length() - 4) + number.substring(number.length() - 2);
        }
    }

    /** A filed application. */
    static final class Application {
        final String number;
        final String subMerchant;
        final Account requested;
        String state = "AUDITING";
        String failReason;

        Application(String number, String subMerchant, Account requested) {
            this.number = number;
            this.subMerchant = subMerchant;
            this.requested = requested;
        }
    }

    private static final Pattern PATH = Pattern.compile(
            "/v3/apply4sub/sub_merchants/([^/]+)/(modify-settlement|settlement|application/([^/?]+))");
    private static final int TIMEOUT_DELAY_MILLIS = 1_500;

    private final WechatPayKeys keys;
    private static final PrivateKey FORGER = WechatPayKeys.rsa().getPrivate();
    private final Map<String, Account> current = new LinkedHashMap<>();
    private final Map<String, Application> applications = new LinkedHashMap<>();
    private final Map<String, Account> inReviewElsewhere = new LinkedHashMap<>();
    private final Map<Endpoint, Deque<Trouble>> troubles = new EnumMap<>(Endpoint.class);
    private final AtomicInteger requestIds = new AtomicInteger();
    private boolean reviewInstantly;
    private final WireMockServer server;

    WechatPayFake(WechatPayKeys keys) {
        this.keys = keys;
        for (Endpoint endpoint : Endpoint.values()) {
            troubles.put(endpoint, new ArrayDeque<>());
        }
        this.server = new WireMockServer(wireMockConfig().dynamicPort().extensions(new Api()));
        server.start();
        server.stubFor(any(urlPathMatching("/v3/.*")).willReturn(aResponse()));
    }

    String baseUri() {
        return server.baseUrl();
    }

    WireMockServer server() {
        return server;
    }

    List<LoggedRequest> requests() {
        return server.findAll(anyRequestedFor(urlPathMatching(".*")));
    }

    List<LoggedRequest> changeRequests() {
        return requests().stream().filter(request -> request.getUrl().endsWith("/modify-settlement")).toList();
    }

    synchronized WechatPayFake subMerchant(String subMerchant, Account account) {
        current.put(subMerchant, account);
        return this;
    }

    synchronized Optional<Account> currentAccount(String subMerchant) {
        return Optional.ofNullable(current.get(subMerchant));
    }

    /** Every application is approved as it is filed: a review faster than the engine's first look. */
    synchronized WechatPayFake reviewInstantly() {
        reviewInstantly = true;
        return this;
    }

    synchronized void failNext(Endpoint endpoint, Trouble trouble) {
        troubles.get(endpoint).add(trouble);
    }

    synchronized List<Application> applications() {
        return List.copyOf(applications.values());
    }

    synchronized int applicationsFiled(String subMerchant) {
        return (int) applications.values().stream().filter(a -> a.subMerchant.equals(subMerchant)).count();
    }

    /** The review passes: the sub-merchant settles to the requested account from now on. */
    synchronized void approve(String applicationNo) {
        Application application = applications.get(applicationNo);
        application.state = "AUDIT_SUCCESS";
        current.put(application.subMerchant, application.requested);
    }

    /**
     * An application filed for the sub-merchant elsewhere (by the merchant platform, another operator) and
     * still in review: WeChat Pay refuses a further one until it is decided. Not counted as our effect by
     * {@link #applicationsFiled}.
     */
    synchronized void reviewFiledElsewhere(String subMerchant, Account requested) {
        inReviewElsewhere.put(subMerchant, requested);
    }

    synchronized void refuse(String applicationNo, String reason) {
        Application application = applications.get(applicationNo);
        application.state = "AUDIT_FAIL";
        application.failReason = reason;
    }

    /** Approves every application under review. */
    synchronized void approveAll() {
        applications.values().stream().filter(a -> a.state.equals("AUDITING")).map(a -> a.number).toList()
                .forEach(this::approve);
    }

    /** A notification as WeChat Pay would post it, signed at {@code at} with the platform key (or a forger's). */
    RawNotification notification(String eventType, String resourceJson, Instant at, boolean forged) {
        String nonce = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String ciphertext = WechatPayKeys.encryptResource(resourceJson, nonce, "mch_settlement");
        String id = "EV-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String body = "{\"id\":\"" + id + "\",\"create_time\":\"2026-01-05T09:00:00+08:00\",\"resource_type\":"
                + "\"encrypt-resource\",\"event_type\":\"" + eventType + "\",\"summary\":\"settlement\",\"resource\":"
                + "{\"original_type\":\"settlement\",\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\"" + ciphertext
                + "\",\"associated_data\":\"mch_settlement\",\"nonce\":\"" + nonce + "\"}}";
        String timestamp = Long.toString(at.getEpochSecond());
        String headerNonce = UUID.randomUUID().toString().replace("-", "");
        String signature = WechatPayKeys.sign(forged ? FORGER : keys.platform.getPrivate(),
                timestamp + "\n" + headerNonce + "\n" + body + "\n");
        return new RawNotification(id, body, Map.of("Wechatpay-Signature", signature, "Wechatpay-Timestamp", timestamp,
                "Wechatpay-Nonce", headerNonce, "Wechatpay-Serial", WechatPayKeys.PUBLIC_KEY_ID,
                "Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048", "Content-Type", "application/json"));
    }

    /** A notification's id, body and headers. */
    record RawNotification(String id, String body, Map<String, String> headers) {
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "wechatpay-fake";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest request = event.getRequest();
            Matcher path = PATH.matcher(request.getUrl().split("\\?")[0]);
            if (!path.matches()) {
                return answer(404, error("NOT_FOUND", "no such API"), null).build();
            }
            String subMerchant = path.group(1);
            Endpoint endpoint = path.group(3) != null ? Endpoint.APPLICATION
                    : path.group(2).equals("settlement") ? Endpoint.SETTLEMENT : Endpoint.MODIFY;
            synchronized (WechatPayFake.this) {
                Trouble trouble = troubles.get(endpoint).poll();
                if (trouble != null && trouble.reset()) {
                    return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
                }
                if (trouble != null && trouble.status() > 0) {
                    if (trouble.htmlBody()) {
                        return aResponse().withStatus(trouble.status()).withHeader("Content-Type", "text/html")
                                .withBody("<html><body>" + trouble.status() + " Bad Gateway</body></html>").build();
                    }
                    ResponseDefinitionBuilder refused = answer(trouble.status(), error(trouble.code(),
                            "simulated " + trouble.code()), null);
                    if (trouble.retryAfter() != null) {
                        refused.withHeader("Retry-After", trouble.retryAfter());
                    }
                    return refused.build();
                }
                ResponseDefinitionBuilder answer = switch (endpoint) {
                    case MODIFY -> modify(subMerchant, request.getBodyAsString(), trouble);
                    case APPLICATION -> application(subMerchant, path.group(3), trouble);
                    case SETTLEMENT -> settlement(subMerchant, trouble);
                };
                if (trouble != null && trouble.timeout()) {
                    answer.withFixedDelay(TIMEOUT_DELAY_MILLIS);
                }
                return answer.build();
            }
        }

        private ResponseDefinitionBuilder modify(String subMerchant, String body, Trouble trouble) {
            if (!current.containsKey(subMerchant)) {
                return answer(404, error("RESOURCE_NOT_EXISTS", "特约商户不存在"), trouble);
            }
            if (inReviewElsewhere.containsKey(subMerchant) || applications.values().stream().anyMatch(
                    a -> a.subMerchant.equals(subMerchant) && a.state.equals("AUDITING"))) {
                return answer(400, error("INVALID_REQUEST", "存在审核中的修改申请,请等待审核结果"), trouble);
            }
            JsonObject json = JsonParser.parseString(body).getAsJsonObject();
            Account requested = new Account(json.get("account_type").getAsString(),
                    json.get("account_bank").getAsString(),
                    keys.decryptForPlatform(json.get("account_number").getAsString()),
                    json.has("account_name") ? keys.decryptForPlatform(json.get("account_name").getAsString()) : "");
            String number = "2026010" + String.format("%06d", applications.size() + 1);
            applications.put(number, new Application(number, subMerchant, requested));
            if (reviewInstantly) {
                approve(number);
            }
            return answer(200, "{\"application_no\":\"" + number + "\"}", trouble);
        }

        private ResponseDefinitionBuilder application(String subMerchant, String number, Trouble trouble) {
            Application application = applications.get(number);
            if (application == null || !application.subMerchant.equals(subMerchant)) {
                return answer(404, error("APPLYMENT_NOTEXIST", "申请单不存在"), trouble);
            }
            Account requested = application.requested;
            return answer(200, "{\"account_name\":\"*" + "\",\"account_type\":\"" + requested.type()
                    + "\",\"account_bank\":\"" + requested.bank() + "\",\"account_number\":\"" + requested.masked()
                    + "\",\"verify_result\":\"" + application.state + "\""
                    + (application.failReason == null ? "" : ",\"verify_fail_reason\":\"" + application.failReason
                            + "\"") + "}", trouble);
        }

        private ResponseDefinitionBuilder settlement(String subMerchant, Trouble trouble) {
            Account account = current.get(subMerchant);
            if (account == null) {
                return answer(404, error("RESOURCE_NOT_EXISTS", "特约商户不存在"), trouble);
            }
            return answer(200, "{\"account_type\":\"" + account.type() + "\",\"account_bank\":\"" + account.bank()
                    + "\",\"bank_name\":\"" + account.bank() + "北京分行\",\"account_number\":\"" + account.masked()
                    + "\",\"verify_result\":\"VERIFY_SUCCESS\"}", trouble);
        }

        private ResponseDefinitionBuilder answer(int status, String body, Trouble trouble) {
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            String nonce = UUID.randomUUID().toString().replace("-", "");
            PrivateKey signer = trouble != null && trouble.forgedSignature() ? FORGER : keys.platform.getPrivate();
            return aResponse().withStatus(status)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withHeader("Request-ID", "08F1A2B3C4D5E6" + String.format("%06d", requestIds.incrementAndGet()))
                    .withHeader("Wechatpay-Timestamp", timestamp)
                    .withHeader("Wechatpay-Nonce", nonce)
                    .withHeader("Wechatpay-Serial", WechatPayKeys.PUBLIC_KEY_ID)
                    .withHeader("Wechatpay-Signature", WechatPayKeys.sign(signer, timestamp + "\n" + nonce + "\n"
                            + body + "\n"))
                    .withBody(body);
        }

        private static String error(String code, String message) {
            return "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":{\"field\":\"\",\"value\":"
                    + "\"\",\"issue\":\"\",\"location\":\"body\"}}";
        }
    }
}
