package io.posunbind.http;

import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.internal.http.HttpRouter;
import io.posunbind.internal.http.HttpStatuses;
import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The case and batch commands and provider callbacks of one {@link Unbinder} as JSON over HTTP, for any framework:
 * the host forwards every request under its base path as an {@link HttpCall} and writes the
 * {@link HttpAnswer} back unchanged. The routes, their bodies and statuses are described in OpenAPI 3.1 by
 * the resource {@code io/posunbind/http/openapi.yaml}.
 *
 * <table>
 *   <caption>Routes, relative to the host's base path</caption>
 *   <tr><th>route</th><th>body</th><th>does</th></tr>
 *   <tr><td>{@code POST /cases}</td><td>an unbind request ({@link io.posunbind.json.UnbindJson#readRequest})</td>
 *       <td>{@link Unbinder#open}; 201 with {@code Location}</td></tr>
 *   <tr><td>{@code PUT /cases/{id}}</td><td>an unbind request</td>
 *       <td>{@link Unbinder#open(io.posunbind.CaseId, io.posunbind.UnbindRequest)} under the caller's id,
 *       idempotently: 201 when opened, 200 when the same request was opened before, 409 when another was</td></tr>
 *   <tr><td>{@code GET /cases?state=…&waitingFor=…&limit=…&after=…}</td><td></td>
 *       <td>{@link Unbinder#findCases}: {@code {"cases":[…],"next":"…"}}</td></tr>
 *   <tr><td>{@code GET /cases/{id}}</td><td></td><td>{@link Unbinder#find}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/documents}</td><td>{@link io.posunbind.json.SubmitDocumentsCommand}</td>
 *       <td>{@link Unbinder#submitDocuments}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/consent}</td><td>{@link io.posunbind.json.FeeConsentCommand}</td>
 *       <td>{@link Unbinder#consentToFees}, stamped by the unbinder's clock</td></tr>
 *   <tr><td>{@code POST /cases/{id}/decline-fees}</td><td>{@link io.posunbind.json.DeclineFeesCommand}</td>
 *       <td>{@link Unbinder#declineFees}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/decision}</td><td>{@link io.posunbind.json.DecisionCommand}</td>
 *       <td>{@link Unbinder#recordDecision}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/verification-answer}</td>
 *       <td>{@link io.posunbind.json.VerificationAnswerCommand}</td><td>{@link Unbinder#answerVerification}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/internal-review}</td><td>{@link io.posunbind.json.InternalReviewCommand}</td>
 *       <td>{@link Unbinder#approveInternally} or {@link Unbinder#rejectInternally}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/cancel}</td><td>{@link io.posunbind.json.CancelCommand}</td>
 *       <td>{@link Unbinder#cancel}</td></tr>
 *   <tr><td>{@code POST /cases/{id}/retry}</td><td>{@link io.posunbind.json.RetryCommand}</td>
 *       <td>{@link Unbinder#retry}</td></tr>
 *   <tr><td>{@code POST /batches}</td><td>{@code {"batchId":…,"actor":…,"rows":[…],"options":{…}}}, or a CSV
 *       file ({@code text/csv}) with {@code batchId}, {@code actorId}, {@code actorRole} and the options in the
 *       query</td><td>{@link Unbinder#openBatch}; 201 with {@code Location} and the progress; 422 listing every
 *       row problem</td></tr>
 *   <tr><td>{@code GET /batches/{id}}</td><td></td><td>{@link io.posunbind.batch.Batches#progress}</td></tr>
 *   <tr><td>{@code POST /batches/{id}/pause}, {@code /resume}</td><td>{@code {"actor":…}}</td>
 *       <td>{@link io.posunbind.batch.Batches#pause}, {@link io.posunbind.batch.Batches#resume}; the progress</td></tr>
 *   <tr><td>{@code POST /batches/{id}/cancel}</td><td>{@link io.posunbind.json.CancelCommand}</td>
 *       <td>{@link io.posunbind.batch.Batches#cancel}; what it cancelled and what not</td></tr>
 *   <tr><td>{@code GET /batches/{id}/report}</td><td></td><td>{@link io.posunbind.batch.Batches#report}, as CSV
 *       when {@code Accept} prefers {@code text/csv}, JSON otherwise</td></tr>
 *   <tr><td>{@code POST /callbacks/{providerId}}</td><td>the provider's notification, as sent</td>
 *       <td>{@link Unbinder#acceptNotification}</td></tr>
 * </table>
 *
 * <p>Every refusal is an RFC 9457 problem document ({@code application/problem+json}) with our {@code code},
 * in the language the request's {@code Accept-Language} prefers (simplified Chinese or English, English by
 * default), its status fixed per code ({@link CoreErrorCode}): for example 404 for an unknown case, 409 for a
 * command the case's state does not expect or a stale version, 400 for invalid input (with one entry per
 * field in {@code errors}), 413 for a body over {@link HttpApiOptions#maxBodyBytes()} (a batch upload over
 * {@link HttpApiOptions#maxBatchBodyBytes()}), 415 for a body that is not JSON (nor CSV for a batch upload), 405 for a wrong method (with {@code Allow}), 503 with {@code Retry-After} while the unbinder
 * closes. No answer and no log line carries a card, account or identity number in clear.
 *
 * <pre>{@code
 * UnbindHttpApi api = UnbindHttpApi.of(unbinder);
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/unbind", exchange -> {
 *     String path = exchange.getRequestURI().getRawPath().substring("/unbind".length());
 *     String query = exchange.getRequestURI().getRawQuery();
 *     HttpAnswer answer = api.handle(new HttpCall(exchange.getRequestMethod(),
 *             query == null ? path : path + "?" + query, exchange.getRequestHeaders(),
 *             exchange.getRequestBody().readNBytes(HttpApiOptions.DEFAULT_MAX_BODY_BYTES + 1)));
 *     answer.headers().forEach(exchange.getResponseHeaders()::set);
 *     exchange.getResponseHeaders().set("Content-Type", answer.contentType());
 *     exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
 *     exchange.getResponseBody().write(answer.body());
 *     exchange.close();
 * });
 * }</pre>
 * Read at most {@code maxBodyBytes + 1} bytes of a body, as above, so that a larger one is answered 413
 * without being held in memory; a host that forwards batch uploads reads {@link HttpApiOptions#largestBodyBytes()}
 * {@code + 1}.
 *
 * <p>Immutable and thread-safe: one instance serves all requests, concurrently.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class UnbindHttpApi {

    private final HttpRouter router;

    private UnbindHttpApi(Unbinder unbinder, HttpApiOptions options) {
        this.router = new HttpRouter(Objects.requireNonNull(unbinder, "unbinder"),
                Objects.requireNonNull(options, "options"));
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
     * The HTTP status this API answers an error code with, for a web layer of the host's own that calls
     * {@link Unbinder#acceptNotification} or the commands itself and should answer as this API does: a refused
     * callback 400 (malformed) or 401 (forged, stale, unknown sender), a replayed one or one about no case 200 so
     * the provider stops resending, a retryable code 503 so it sends again; a case not found 404, a command the
     * case does not expect 409, and so on for every code (the README's "HTTP API" section has the table).
     *
     * @param code an error code of the engine, the SPI or a provider
     * @return the status, from 200 to 503
     */
    public static int statusOf(ErrorCode code) {
        return HttpStatuses.statusOf(Objects.requireNonNull(code, "code"));
    }

    /**
     * Returns the OpenAPI 3.1 description of the routes (the resource {@code io/posunbind/http/openapi.yaml}),
     * for a host to publish next to them.
     *
     * @return the description as YAML text
     */
    public static String openApiYaml() {
        try (InputStream in = UnbindHttpApi.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("io/posunbind/http/openapi.yaml is missing from posunbind-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("io/posunbind/http/openapi.yaml could not be read", e);
        }
    }

    /**
     * Answers one request. Bad input of any kind, and any refusal of the engine, is answered with a problem
     * document, never thrown ({@link InvalidRequestException} included).
     *
     * @param call the request
     * @return the answer to write back
     */
    public HttpAnswer handle(HttpCall call) {
        return router.handle(Objects.requireNonNull(call, "call"));
    }
}
