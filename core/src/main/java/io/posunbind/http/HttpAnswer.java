package io.posunbind.http;

import io.posunbind.spi.API;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link UnbindHttpApi#handle} answers: write the status, the {@code Content-Type}, the extra headers
 * and the body back as they are. Bodies are UTF-8 JSON: {@code application/json} for cases and batches and
 * {@code application/problem+json} (RFC 9457) for errors; a batch report asked for as CSV is
 * {@code text/csv; charset=utf-8}. They never carry a card, account or identity
 * number in clear.
 *
 * <p>Immutable once built; the body array is not copied, and callers must not change it.
 *
 * @param status      the HTTP status code, 100 to 599
 * @param contentType the body's media type, with its charset
 * @param body        the body's bytes, empty for none
 * @param headers     further headers to send, such as {@code Allow} or {@code Content-Language}
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record HttpAnswer(int status, String contentType, byte[] body, Map<String, String> headers) {

    /**
     * Checks the values and copies the headers.
     *
     * @throws IllegalArgumentException when the status is not between 100 and 599
     */
    public HttpAnswer {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100 to 599, was " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /**
     * Returns the body as text, for tests and logs of a host's own.
     *
     * @return the body decoded as UTF-8
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Names the status and media type; the body is left out. */
    @Override
    public String toString() {
        return "HttpAnswer[" + status + " " + contentType + ", " + body.length + " bytes]";
    }
}
