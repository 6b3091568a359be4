package io.posunbind.provider.wechatpay.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a call to WeChat Pay gave no usable answer, in terms the mapping to SPI outcomes needs: how far the
 * request got, the HTTP status and WeChat Pay's error body, and the {@code Request-ID} to quote to support.
 * Never carries the request, the library's message (it holds headers and bodies) or a clear number.
 */
final class CallFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How far the request got. */
    enum Kind {
        /** WeChat Pay answered with an HTTP error and its error body. */
        HTTP_ERROR,
        /** No connection was made: the request never left. */
        NOT_CONNECTED,
        /** The request was (or may have been) sent, and no answer came: a timeout or a reset connection. */
        ANSWER_LOST,
        /** An answer came whose signature did not verify, or whose form the library refused. */
        ANSWER_NOT_TRUSTED
    }

    private final Kind kind;
    private final int status;
    private final String providerCode;
    private final String providerMessage;
    private final transient Optional<String> requestId;
    private final transient Optional<Duration> retryAfter;

    CallFailure(Kind kind, int status, String providerCode, String providerMessage, Optional<String> requestId,
            Optional<Duration> retryAfter) {
        super(kind + " " + status + " " + providerCode, null, false, false);
        this.kind = kind;
        this.status = status;
        this.providerCode = providerCode;
        this.providerMessage = Scrub.numbers(providerMessage);
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when no answer came. */
    int status() {
        return status;
    }

    /** WeChat Pay's {@code code}, or a stand-in such as {@code HTTP_502} or {@code TIMEOUT}. */
    String providerCode() {
        return providerCode;
    }

    /** WeChat Pay's {@code message}, with long digit runs masked. */
    String providerMessage() {
        return providerMessage;
    }

    Optional<String> requestId() {
        return requestId;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** What an operator reads: code, message and request id. */
    String describe() {
        return providerMessage + " (WeChat Pay " + (status == 0 ? "" : "HTTP " + status + " ") + providerCode
                + requestId.map(id -> ", Request-ID " + id).orElse("") + ")";
    }
}
