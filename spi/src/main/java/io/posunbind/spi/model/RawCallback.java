package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider's notification exactly as it reached the application's endpoint, not yet trusted: what a
 * {@link io.posunbind.spi.CallbackParser} verifies with the provider's own scheme. Build it from the HTTP
 * request without re-encoding anything: a signature covers the body's bytes as sent.
 *
 * <pre>{@code
 * RawCallback raw = new RawCallback(request.getRequestURI(), headersOf(request),
 *         request.getInputStream().readAllBytes(), clock.instant());
 * }</pre>
 *
 * <p>Header names are case-insensitive (HTTP/1.1 and HTTP/2 spell them differently) and a header may
 * come several times. Immutable: the headers and body are copied in, and {@link #body()} hands out a
 * copy. {@link #toString()} shows the path, the header names and the body's length, never a header's
 * value (it may carry a signature) or the body.
 *
 * @param path       the request path the notification was posted to, for example {@code /webhooks/adyen}
 * @param headers    the request headers, each with its values in the order received
 * @param body       the body's bytes exactly as received
 * @param receivedAt when the application received it, by its clock
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record RawCallback(String path, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {

    /** Checks the fields and copies headers (names case-insensitive) and body. */
    public RawCallback {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receivedAt, "receivedAt");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(values, "values of header " + name);
            // Two spellings of one name (Foo and foo) are one header: their values are joined.
            copy.computeIfAbsent(name, key -> new ArrayList<>()).addAll(values);
        });
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /** A copy of the body's bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8 (malformed bytes replaced), for parsers of text formats such as JSON. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** Every value of a header, in the order received; empty when absent. The name is case-insensitive. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(Objects.requireNonNull(name, "name"), List.of());
    }

    /**
     * The header's value when it came exactly once; empty when absent. A header sent twice is ambiguous
     * for a signature, so it is refused rather than guessed.
     *
     * @throws IllegalArgumentException when the header came more than once
     */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        if (values.size() > 1) {
            throw new IllegalArgumentException("Header " + name + " came " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    /** Equal when path, headers, body and time are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RawCallback that && path.equals(that.path) && headers.equals(that.headers)
                && Arrays.equals(body, that.body) && receivedAt.equals(that.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, headers, Arrays.hashCode(body), receivedAt);
    }

    /** The path, header names and body length; never a header value or the body. */
    @Override
    public String toString() {
        return "RawCallback[path=" + path + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes, receivedAt=" + receivedAt + "]";
    }
}
