package io.posunbind.provider.adyen.internal;

import com.adyen.Client;
import com.adyen.Config;
import com.adyen.constants.ApiConstants;
import com.adyen.httpclient.ClientInterface;
import com.adyen.httpclient.HTTPClientException;
import com.adyen.model.RequestOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The HTTP transport under the official library's services: every request is sent exactly once.
 *
 * <p>Why not the library's own {@code AdyenHttpClient}: it builds an Apache HttpClient 5 with that client's
 * default retry strategy, which re-sends any request, a POST included, once more on HTTP 429 and 503 after
 * the {@code Retry-After} (or a second), sleeping on the calling thread. The engine owns retries and
 * idempotency: a 429 must come back at once with its Retry-After, and a reassignment must never be sent
 * twice behind the engine's back. {@code Config} has no switch for it, so the library's documented seam,
 * {@link Client#setHttpClient(ClientInterface)}, gets this transport instead; the library still builds the
 * URLs, serialises the models and turns error answers into its {@code ApiException}.
 *
 * <p>On the JDK's {@link HttpClient}, which never re-sends a POST by itself. Headers as the library sends
 * them: {@code x-API-Key}, {@code Idempotency-Key} from {@link RequestOptions}, the library's name and version.
 * Thread-safe.
 */
final class SingleAttemptTransport implements ClientInterface {

    private final HttpClient http;

    SingleAttemptTransport(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String request(String endpoint, String requestBody, Config config) throws IOException, HTTPClientException {
        return request(endpoint, requestBody, config, true, null, ApiConstants.HttpMethod.POST, null);
    }

    @Override
    public String request(String endpoint, String requestBody, Config config, boolean isApiKeyRequired)
            throws IOException, HTTPClientException {
        return request(endpoint, requestBody, config, isApiKeyRequired, null, ApiConstants.HttpMethod.POST, null);
    }

    @Override
    public String request(String endpoint, String requestBody, Config config, boolean isApiKeyRequired,
            RequestOptions requestOptions) throws IOException, HTTPClientException {
        return request(endpoint, requestBody, config, isApiKeyRequired, requestOptions,
                ApiConstants.HttpMethod.POST, null);
    }

    @Override
    public String request(String endpoint, String requestBody, Config config, boolean isApiKeyRequired,
            RequestOptions requestOptions, ApiConstants.HttpMethod httpMethod) throws IOException, HTTPClientException {
        return request(endpoint, requestBody, config, isApiKeyRequired, requestOptions, httpMethod, null);
    }

    @Override
    public String request(String endpoint, String requestBody, Config config, boolean isApiKeyRequired,
            RequestOptions requestOptions, ApiConstants.HttpMethod httpMethod, Map<String, String> params)
            throws IOException, HTTPClientException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(endpoint, params))
                .timeout(Duration.ofMillis(config.getReadTimeoutMillis()))
                .header(ApiConstants.RequestProperty.CONTENT_TYPE, ApiConstants.RequestProperty.APPLICATION_JSON_TYPE)
                .header(ApiConstants.RequestProperty.ACCEPT_CHARSET, "UTF-8")
                .header(ApiConstants.RequestProperty.USER_AGENT, "posunbind " + Client.LIB_NAME + "/" + Client.LIB_VERSION)
                .header(ApiConstants.RequestProperty.ADYEN_LIBRARY_NAME, Client.LIB_NAME)
                .header(ApiConstants.RequestProperty.ADYEN_LIBRARY_VERSION, Client.LIB_VERSION)
                .header(ApiConstants.RequestProperty.API_KEY, config.getApiKey());
        if (requestOptions != null && requestOptions.getIdempotencyKey() != null) {
            request.header(ApiConstants.RequestProperty.IDEMPOTENCY_KEY, requestOptions.getIdempotencyKey());
        }
        HttpRequest.BodyPublisher body = requestBody == null || requestBody.isEmpty()
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(requestBody, StandardCharsets.UTF_8);
        request.method(httpMethod == null ? "POST" : httpMethod.name(), body);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Adyen");
        }
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new HTTPClientException(response.statusCode(), "HTTP " + response.statusCode(),
                    response.headers().map(), response.body());
        }
        return response.body();
    }

    private static URI uri(String endpoint, Map<String, String> params) throws HTTPClientException {
        if (params == null || params.isEmpty()) {
            return URI.create(endpoint);
        }
        StringJoiner query = new StringJoiner("&", endpoint + "?", "");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        try {
            return URI.create(query.toString());
        } catch (IllegalArgumentException e) {
            throw new HTTPClientException("Invalid URI", e);
        }
    }
}
