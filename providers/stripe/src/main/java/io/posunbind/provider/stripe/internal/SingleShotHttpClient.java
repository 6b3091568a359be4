package io.posunbind.provider.stripe.internal;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends each of stripe-java's requests exactly once, over the JDK's {@code java.net.http} client.
 *
 * <p>Why not stripe-java's default {@code HttpURLConnectionClient}: with the library's own retries off,
 * {@link java.net.HttpURLConnection} still re-sends a GET or DELETE by itself, silently, when a kept-alive
 * connection fails (a reset), so a DELETE the engine believes lost may have been sent twice. The JDK's
 * {@code java.net.http} client re-sends neither a DELETE nor a POST, so every retry is the engine's. The
 * request (URL, method, headers, body) is stripe-java's own, authentication and {@code Idempotency-Key}
 * included; this class only carries it.
 *
 * <p>Thread-safe.
 */
final class SingleShotHttpClient extends HttpClient {

    // Spelled out: stripe-java's HttpClient, the supertype, has the same simple name.
    private final java.net.http.HttpClient http;
    private final Duration readTimeout;

    SingleShotHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.http = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(request.url().toURI());
        } catch (URISyntaxException e) {
            throw new ApiConnectionException("The request's URL is not valid", e);
        }
        Integer timeout = request.options() == null ? null : request.options().getReadTimeout();
        builder.timeout(timeout == null || timeout <= 0 ? readTimeout : Duration.ofMillis(timeout));
        request.headers().map().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        builder.header("User-Agent", buildUserAgentString(request));
        builder.header("X-Stripe-Client-User-Agent", buildXStripeClientUserAgentString());
        HttpRequest.BodyPublisher body = request.content() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.content().byteArrayContent());
        if (request.content() != null) {
            builder.header("Content-Type", request.content().contentType());
        }
        builder.method(request.method().name(), body);
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> headers = response.headers().map();
            return new StripeResponse(response.statusCode(), HttpHeaders.of(headers), response.body());
        } catch (IOException e) {
            throw new ApiConnectionException("No answer from " + host(request) + " (" + e.getClass().getSimpleName()
                    + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("Interrupted while waiting for " + host(request), e);
        }
    }

    private static String host(StripeRequest request) {
        URI uri = URI.create(request.url().toString());
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    @Override
    public String toString() {
        return "SingleShotHttpClient";
    }
}
