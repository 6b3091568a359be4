package io.posunbind.http;

import io.posunbind.Unbinder;
import io.posunbind.spi.API;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The case commands and provider callbacks of one {@link Unbinder} as JSON over HTTP, for any framework:
 * the host forwards every request under its base path as an {@link HttpCall} and writes the
 * {@link HttpAnswer} back unchanged.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class UnbindHttpApi {

    private final Unbinder unbinder;
    private final HttpApiOptions options;

    private UnbindHttpApi(Unbinder unbinder, HttpApiOptions options) {
        this.unbinder = Objects.requireNonNull(unbinder, "unbinder");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Serves an unbinder with the {@linkplain HttpApiOptions#defaults() default options}.
     *
     * @param unbinder the engine the requests go to
     * @return the API
     */
    public static UnbindHttpApi of(Unbinder unbinder) {
        return of(unbinder, HttpApiOptions.defaults());
    }

    /**
     * Serves an unbinder with the given options.
     *
     * @param unbinder the engine the requests go to
     * @param options  the body limit and which routes are served
     * @return the API
     */
    public static UnbindHttpApi of(Unbinder unbinder, HttpApiOptions options) {
        return new UnbindHttpApi(unbinder, options);
    }

    /**
     * Answers one request. Bad input of any kind is answered with a problem document, never thrown.
     *
     * @param call the request
     * @return the answer to write back
     */
    public HttpAnswer handle(HttpCall call) {
        Objects.requireNonNull(call, "call");
        // Placeholder until the routes land: the contract is fixed, the behaviour follows.
        byte[] body = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}"
                .getBytes(StandardCharsets.UTF_8);
        return new HttpAnswer(404, "application/problem+json", body, Map.of());
    }
}
