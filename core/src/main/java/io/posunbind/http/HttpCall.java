package io.posunbind.http;

import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as the host's framework received it, handed to {@link UnbindHttpApi#handle}.
 *
 * <p>The path is relative to the base path under which the host mounts the API and may carry the query
 * string: {@code "/cases/0f6c…/consent"}, {@code "/cases?state=WAITING&limit=20"}. Header names are looked
 * up without regard to case ({@link #header}); the map given is copied. The body is the raw bytes, empty
 * when the request has none; it is not copied (the caller must not change it afterwards), and it never
 * appears in {@link #toString()}, since it may carry card or account numbers.
 *
 * <p>Immutable once built; thread-safe if the caller leaves the body alone.
 *
 * @param method  the HTTP method, such as {@code "POST"} (any case)
 * @param path    the path below the base path, starting with {@code /}, optionally with {@code ?query}
 * @param headers the request's headers, each name with its values
 * @param body    the request's body, empty when there is none
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record HttpCall(String method, String path, Map<String, List<String>> headers, byte[] body) {

    /**
     * Checks the values and copies the headers into a map whose look-up ignores case.
     *
     * @throws NullPointerException when a value, a header name or a header's list is null
     */
    public HttpCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.merge(Objects.requireNonNull(name, "header name"),
                List.copyOf(Objects.requireNonNull(values, "header values")),
                (first, second) -> {
                    List<String> both = new ArrayList<>(first);
                    both.addAll(second);
                    return List.copyOf(both);
                }));
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the first value of a header, looked up without regard to case.
     *
     * @param name the header's name, such as {@code "Content-Type"}
     * @return its first value, or empty when the request has none
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Names the method and path only: the body may carry sensitive numbers. */
    @Override
    public String toString() {
        return "HttpCall[" + method.toUpperCase(Locale.ROOT) + " " + path + ", " + body.length + " bytes]";
    }
}
