package io.posunbind.provider.wechatpay.internal;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.cipher.PrivacyEncryptor;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.AbstractHttpClient;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpMethod;
import com.wechat.pay.java.core.http.HttpRequest;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.util.GsonUtil;
import com.wechat.pay.java.core.util.PemUtil;
import io.posunbind.provider.wechatpay.WechatPaySettings;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.SettingErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * WeChat Pay APIv3 through the official library's core {@link AbstractHttpClient}: it signs every request
 * ({@code Authorization: WECHATPAY2-SHA256-RSA2048 mchid=...,nonce_str=...,timestamp=...,serial_no=...,signature=...}),
 * sends {@code Wechatpay-Serial} and verifies every 2xx answer's {@code Wechatpay-Signature} with the WeChat Pay
 * public key; sensitive fields are encrypted with the library's {@link PrivacyEncryptor} (RSA-OAEP).
 *
 * <p>Retries belong to the engine: OkHttp's {@code retryOnConnectionFailure} is off, redirects are not followed,
 * a 503's {@code Retry-After} is removed before OkHttp's follow-up logic sees it (it resends on
 * {@code Retry-After: 0}), and the library's multi-domain retry is not enabled, so one call is at most one
 * request. The library keeps
 * an error answer's headers to itself, so an interceptor notes the status, {@code Request-ID} and
 * {@code Retry-After} of the last answer on the calling thread (OkHttp runs application interceptors there).
 *
 * <p>Thread-safe; the encryptor, which shares one {@code Cipher}, is used under a lock.
 */
final class WechatPayHttp implements AutoCloseable {

    private static final ThreadLocal<Exchange> LAST_EXCHANGE = new ThreadLocal<>();

    private final String base;
    private final RSAPublicKeyConfig config;
    private final OkHttpClient okHttp;
    private final AbstractHttpClient client;
    private final Duration usualCallTime;
    private final PrivacyEncryptor encryptor;
    private final Gson gson = GsonUtil.getGson();

    WechatPayHttp(WechatPaySettings settings) {
        this.base = settings.baseUri().toString();
        this.config = new RSAPublicKeyConfig.Builder()
                .merchantId(settings.merchantId())
                .merchantSerialNumber(settings.merchantSerialNumber())
                .privateKey(privateKey(settings))
                .publicKey(publicKey(settings))
                .publicKeyId(settings.wechatPayPublicKeyId())
                .apiV3Key(settings.apiV3Key().reveal())
                .build();
        this.okHttp = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                // OkHttp resends by itself a request answered 503 with "Retry-After: 0", whatever
                // retryOnConnectionFailure says; without the header it leaves the answer to us.
                .addNetworkInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    return response.code() == 503 && response.header("Retry-After") != null
                            ? response.newBuilder().removeHeader("Retry-After").build() : response;
                })
                .addInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    LAST_EXCHANGE.set(new Exchange(response.code(), response.header("Request-ID"),
                            response.header("Retry-After")));
                    return response;
                })
                .build();
        this.client = clientOn(okHttp);
        this.usualCallTime = settings.connectTimeout().plus(settings.readTimeout());
        this.encryptor = config.createEncryptor();
    }

    /** The library's configuration, which also verifies and decrypts notifications. */
    RSAPublicKeyConfig config() {
        return config;
    }

    /** {@code GET path}, the answer's signature verified, read as {@code type}. */
    <T> T get(String path, Class<T> type, Duration budget) {
        return call(HttpMethod.GET, path, null, type, budget);
    }

    /** {@code POST path} with a JSON body, the answer's signature verified; null for an empty answer. */
    <T> T post(String path, JsonObject body, Class<T> type, Duration budget) {
        return call(HttpMethod.POST, path, gson.toJson(body), type, budget);
    }

    /** A sensitive field encrypted with the WeChat Pay public key (RSA-OAEP), base64. */
    String encrypt(String clear) {
        synchronized (encryptor) {
            return encryptor.encrypt(clear);
        }
    }

    /** The id the encrypted fields are bound to; the library sends it as {@code Wechatpay-Serial}. */
    String encryptionSerial() {
        return encryptor.getWechatpaySerial();
    }

    private <T> T call(HttpMethod method, String path, String body, Class<T> type, Duration budget) {
        HttpRequest.Builder request = new HttpRequest.Builder().httpMethod(method).url(base + path)
                .addHeader("Accept", "application/json");
        if (body != null) {
            request.addHeader("Content-Type", "application/json")
                    .body(new JsonRequestBody.Builder().body(body).build());
        }
        LAST_EXCHANGE.remove();
        try {
            return clientWithin(budget).execute(request.build(), type).getServiceResponse();
        } catch (ServiceException e) {
            throw httpError(e.getHttpStatusCode(), e.getErrorCode(), e.getErrorMessage());
        } catch (HttpException e) {
            throw transportFailure(e.getCause());
        } catch (ValidationException | MalformedMessageException e) {
            throw notTrusted(e.getClass().getSimpleName());
        } catch (JsonParseException e) {
            // The library's ServiceException parses an error body as JSON: a gateway's HTML page lands here.
            Exchange last = LAST_EXCHANGE.get();
            if (last != null && last.status() >= 300) {
                throw httpError(last.status(), null, "WeChat Pay answered HTTP " + last.status() + " without its"
                        + " error body");
            }
            throw notTrusted("unreadable JSON");
        } catch (IllegalArgumentException | NullPointerException e) {
            // The validator refuses an answer without, or with an expired, Wechatpay-Timestamp or -Serial.
            throw notTrusted("missing or expired signature headers");
        } finally {
            LAST_EXCHANGE.remove();
        }
    }

    private CallFailure httpError(int status, String code, String message) {
        Exchange last = LAST_EXCHANGE.get();
        return new CallFailure(CallFailure.Kind.HTTP_ERROR, status,
                code == null || code.isBlank() ? "HTTP_" + status : code,
                message == null ? "" : message, requestId(last), retryAfter(last));
    }

    private CallFailure notTrusted(String why) {
        Exchange last = LAST_EXCHANGE.get();
        return new CallFailure(CallFailure.Kind.ANSWER_NOT_TRUSTED, last == null ? 0 : last.status(),
                "ANSWER_NOT_TRUSTED", "The answer did not verify with the WeChat Pay public key (" + why + ")",
                requestId(last), Optional.empty());
    }

    private static CallFailure transportFailure(Throwable cause) {
        boolean neverSent = cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException
                || (cause instanceof IOException && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT)
                        .contains("connect timed out"));
        String what = cause == null ? "no answer" : cause.getClass().getSimpleName();
        return neverSent
                ? new CallFailure(CallFailure.Kind.NOT_CONNECTED, 0, "NOT_CONNECTED",
                        "WeChat Pay could not be reached (" + what + "); nothing was sent", Optional.empty(),
                        Optional.empty())
                : new CallFailure(CallFailure.Kind.ANSWER_LOST, 0, "NO_ANSWER",
                        "The request may have reached WeChat Pay but no answer came (" + what + ")",
                        Optional.empty(), Optional.empty());
    }

    /** The shared client, or one whose calls end within the engine's time budget when that is shorter. */
    private AbstractHttpClient clientWithin(Duration budget) {
        if (budget.compareTo(usualCallTime) >= 0) {
            return client;
        }
        // newBuilder() shares the connection pool and dispatcher: cheap, and close() still frees them.
        return clientOn(okHttp.newBuilder().callTimeout(budget.toMillis(), TimeUnit.MILLISECONDS).build());
    }

    private AbstractHttpClient clientOn(OkHttpClient http) {
        return new DefaultHttpClientBuilder().config(config).okHttpClient(http).disableRetryOnConnectionFailure()
                .build();
    }

    private static Optional<String> requestId(Exchange last) {
        return last == null ? Optional.empty() : Optional.ofNullable(last.requestId()).filter(id -> !id.isBlank());
    }

    private static Optional<Duration> retryAfter(Exchange last) {
        if (last == null || last.retryAfter() == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(last.retryAfter().strip());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: left to the engine's back-off
        }
    }

    private static PrivateKey privateKey(WechatPaySettings settings) {
        try {
            return PemUtil.loadPrivateKeyFromString(settings.merchantPrivateKey().reveal());
        } catch (RuntimeException e) {
            // No cause: its message could quote the key.
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "merchant-private-key",
                    "The WeChat Pay setting 'merchant-private-key' must be an RSA private key in PKCS#8 PEM");
        }
    }

    private static PublicKey publicKey(WechatPaySettings settings) {
        try {
            return PemUtil.loadPublicKeyFromString(settings.wechatPayPublicKey());
        } catch (RuntimeException e) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "wechatpay-public-key",
                    "The WeChat Pay setting 'wechatpay-public-key' must be the WeChat Pay RSA public key in PEM");
        }
    }

    /** Frees the connection pool and the dispatcher's threads. */
    @Override
    public void close() {
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
    }

    private record Exchange(int status, String requestId, String retryAfter) {
    }
}
