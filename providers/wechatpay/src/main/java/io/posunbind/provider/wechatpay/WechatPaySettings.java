package io.posunbind.provider.wechatpay;

import io.posunbind.spi.API;
import io.posunbind.spi.CallLimit;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.Secret;
import io.posunbind.spi.SettingErrorCode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * What the WeChat Pay adapter needs to talk to WeChat Pay APIv3 as a service provider (服务商), read from
 * the host's {@link ProviderSettings} by {@link #from(ProviderSettings)}:
 *
 * <table>
 *   <caption>Settings keys</caption>
 *   <tr><th>key</th><th>what</th><th>default</th></tr>
 *   <tr><td>{@code base-uri}</td><td>APIv3 host</td><td>{@code https://api.mch.weixin.qq.com}</td></tr>
 *   <tr><td>{@code merchant-id}</td><td>the service provider's merchant id (服务商商户号, {@code mchid})</td>
 *       <td>required</td></tr>
 *   <tr><td>{@code merchant-serial-number}</td><td>serial number of the merchant API certificate</td>
 *       <td>required</td></tr>
 *   <tr><td>{@code merchant-private-key}</td><td>the merchant API private key, PKCS#8 PEM (a secret)</td>
 *       <td>required</td></tr>
 *   <tr><td>{@code wechatpay-public-key}</td><td>the WeChat Pay public key (微信支付公钥), PEM</td>
 *       <td>required</td></tr>
 *   <tr><td>{@code wechatpay-public-key-id}</td><td>its id ({@code PUB_KEY_ID_...}), sent as
 *       {@code Wechatpay-Serial}</td><td>required</td></tr>
 *   <tr><td>{@code api-v3-key}</td><td>the APIv3 key, 32 characters, decrypts notifications (a secret)</td>
 *       <td>required</td></tr>
 *   <tr><td>{@code connect-timeout}</td><td>TCP connect timeout</td><td>{@code 2s}</td></tr>
 *   <tr><td>{@code read-timeout}</td><td>how long to wait for an answer</td><td>{@code 10s}</td></tr>
 *   <tr><td>{@code poll-interval}</td><td>how often a settlement-account application in review is
 *       polled</td><td>{@code 30m}</td></tr>
 *   <tr><td>{@code calls-per-second}</td><td>how many calls a second the engine makes to WeChat Pay, every
 *       endpoint together, a positive number (fractions allowed)</td><td>{@code 10} ({@link #DEFAULT_LIMITS})</td></tr>
 *   <tr><td>{@code concurrent-calls}</td><td>how many calls may be open at once, a positive whole
 *       number</td><td>{@code 4} ({@link #DEFAULT_LIMITS})</td></tr>
 *   <tr><td>{@code settlement-change-calls-per-minute}</td><td>how many settlement-account changes
 *       ({@code modify-settlement}) the engine sends in any minute, a positive whole number</td>
 *       <td>{@code 20} ({@link #DEFAULT_LIMITS})</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the secrets as {@code Secret[****]}.
 *
 * @param baseUri              the APIv3 host, without a trailing slash
 * @param merchantId           the service provider's merchant id
 * @param merchantSerialNumber the merchant API certificate's serial number
 * @param merchantPrivateKey   the merchant API private key (PEM)
 * @param wechatPayPublicKey   the WeChat Pay public key (PEM), not secret
 * @param wechatPayPublicKeyId the WeChat Pay public key's id
 * @param apiV3Key             the APIv3 key
 * @param connectTimeout       the connect timeout
 * @param readTimeout          the read timeout
 * @param pollInterval         how often an application in review is polled
 * @param callLimits           how fast and how widely the engine calls WeChat Pay for this service provider
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record WechatPaySettings(URI baseUri, String merchantId, String merchantSerialNumber, Secret merchantPrivateKey,
        String wechatPayPublicKey, String wechatPayPublicKeyId, Secret apiV3Key, Duration connectTimeout,
        Duration readTimeout, Duration pollInterval, ProviderLimits callLimits) {

    /** WeChat Pay's primary APIv3 host. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://api.mch.weixin.qq.com");

    /**
     * The limits declared for the settlement-account endpoints, each where WeChat Pay documents it:
     * <ul>
     *   <li>修改结算账号 ({@code POST .../modify-settlement}, the change,
     *       {@link OperationKind#UNBIND_SETTLEMENT_ACCOUNT}): "修改结算银行卡接口调用频率限制：20/min"
     *       (pay.weixin.qq.com/docs/partner/apis/ecommerce-merchant-application/modify-settlement.html, updated
     *       2025-01-22; the same on the 小微 page): at most 20 changes in any minute, declared as that
     *       operation's own limit, so that it paces the changes alone;</li>
     *   <li>查询结算账户修改申请状态 ({@code GET .../application/{application_no}}, the lookup of a change):
     *       "查询结算账户修改申请状态接口调用频率限制：100/秒" (.../get-application.html, updated 2025-01-21);</li>
     *   <li>查询结算账户 ({@code GET .../settlement}, the read of the bound account): no figure published.</li>
     * </ul>
     * The reads share the provider-wide limits, which must therefore fit the tighter of the two queries, whose
     * figure is unknown: assumed 10 calls a second (a tenth of its sibling query's documented 100), with 4 open
     * at once (10 calls a second answering within 400 ms). A case reads a few times and changes once, so the
     * 20 changes a minute bound a fleet long before the reads do. APIv3 has no test environment, so one default
     * serves every host; a service provider whose quota WeChat Pay told it sets {@code calls-per-second},
     * {@code concurrent-calls} or {@code settlement-change-calls-per-minute}. The module README says what was read.
     */
    public static final ProviderLimits DEFAULT_LIMITS = ProviderLimits.of(10, 4)
            .withOperation(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20));

    /** Checks the fields; a problem names the setting's key, never its value. */
    public WechatPaySettings {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(merchantSerialNumber, "merchantSerialNumber");
        Objects.requireNonNull(merchantPrivateKey, "merchantPrivateKey");
        Objects.requireNonNull(wechatPayPublicKey, "wechatPayPublicKey");
        Objects.requireNonNull(wechatPayPublicKeyId, "wechatPayPublicKeyId");
        Objects.requireNonNull(apiV3Key, "apiV3Key");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(callLimits, "callLimits");
        if (!baseUri.isAbsolute() || baseUri.getHost() == null) {
            throw invalid("base-uri", "an absolute http(s) URI such as https://api.mch.weixin.qq.com");
        }
        String base = baseUri.toString();
        baseUri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        if (!merchantId.matches("[0-9]{8,32}")) {
            throw invalid("merchant-id", "the service provider's merchant id: digits only");
        }
        if (merchantSerialNumber.isBlank()) {
            throw invalid("merchant-serial-number", "the merchant API certificate's serial number");
        }
        if (wechatPayPublicKeyId.isBlank()) {
            throw invalid("wechatpay-public-key-id", "the WeChat Pay public key's id (PUB_KEY_ID_...)");
        }
        // AEAD_AES_256_GCM needs exactly 32 bytes; the library would fail only at the first notification.
        if (apiV3Key.reveal().getBytes(StandardCharsets.UTF_8).length != 32) {
            throw invalid("api-v3-key", "the 32-character APIv3 key");
        }
        if (connectTimeout.isZero() || readTimeout.isZero() || pollInterval.isZero()) {
            throw invalid(connectTimeout.isZero() ? "connect-timeout" : readTimeout.isZero() ? "read-timeout"
                    : "poll-interval", "a positive duration");
        }
    }

    /**
     * Settings with the {@link #DEFAULT_LIMITS}.
     *
     * @param baseUri              the APIv3 host
     * @param merchantId           the service provider's merchant id
     * @param merchantSerialNumber the merchant API certificate's serial number
     * @param merchantPrivateKey   the merchant API private key (PEM)
     * @param wechatPayPublicKey   the WeChat Pay public key (PEM)
     * @param wechatPayPublicKeyId the WeChat Pay public key's id
     * @param apiV3Key             the APIv3 key
     * @param connectTimeout       the connect timeout
     * @param readTimeout          the read timeout
     * @param pollInterval         how often an application in review is polled
     */
    public WechatPaySettings(URI baseUri, String merchantId, String merchantSerialNumber, Secret merchantPrivateKey,
            String wechatPayPublicKey, String wechatPayPublicKeyId, Secret apiV3Key, Duration connectTimeout,
            Duration readTimeout, Duration pollInterval) {
        this(baseUri, merchantId, merchantSerialNumber, merchantPrivateKey, wechatPayPublicKey, wechatPayPublicKeyId,
                apiV3Key, connectTimeout, readTimeout, pollInterval, DEFAULT_LIMITS);
    }

    /**
     * Reads the settings from the host's provider settings (keys in the class description).
     *
     * @throws InvalidSettingException when a setting is missing or malformed; it names the key, never the value
     */
    public static WechatPaySettings from(ProviderSettings settings) {
        Objects.requireNonNull(settings, "settings");
        URI base = settings.optionalUri("base-uri").orElse(DEFAULT_BASE_URI);
        if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme())) {
            throw invalid("base-uri", "an http(s) URI");
        }
        return new WechatPaySettings(base, settings.string("merchant-id"), settings.string("merchant-serial-number"),
                settings.secret("merchant-private-key"), settings.string("wechatpay-public-key"),
                settings.string("wechatpay-public-key-id"), settings.secret("api-v3-key"),
                settings.duration("connect-timeout", Duration.ofSeconds(2)),
                settings.duration("read-timeout", Duration.ofSeconds(10)),
                settings.duration("poll-interval", Duration.ofMinutes(30)), callLimits(settings));
    }

    private static ProviderLimits callLimits(ProviderSettings settings) {
        double callsPerSecond = settings.optionalString("calls-per-second").map(WechatPaySettings::positiveNumber)
                .orElse(DEFAULT_LIMITS.callsPerSecond());
        int concurrentCalls = settings.integer("concurrent-calls", DEFAULT_LIMITS.concurrentCalls());
        if (concurrentCalls < 1) {
            throw invalid("concurrent-calls", "a positive whole number");
        }
        int changesPerMinute = settings.integer("settlement-change-calls-per-minute", DEFAULT_LIMITS
                .operationLimit(OperationKind.UNBIND_SETTLEMENT_ACCOUNT).orElseThrow().calls());
        if (changesPerMinute < 1) {
            throw invalid("settlement-change-calls-per-minute", "a positive whole number of changes a minute");
        }
        return ProviderLimits.of(callsPerSecond, concurrentCalls).withOperation(
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(changesPerMinute));
    }

    private static double positiveNumber(String text) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        // Zero would lift the limit altogether: that is the application's choice, made on the Unbinder's builder.
        if (!Double.isFinite(value) || value <= 0) {
            throw invalid("calls-per-second", "a positive number of calls a second, fractions allowed");
        }
        return value;
    }

    static InvalidSettingException invalid(String key, String form) {
        return new InvalidSettingException(SettingErrorCode.SETTING_INVALID, key,
                "The WeChat Pay setting '" + key + "' must be " + form);
    }
}
