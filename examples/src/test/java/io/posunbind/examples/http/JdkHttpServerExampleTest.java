package io.posunbind.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpApiOptions;
import io.posunbind.http.HttpCall;
import io.posunbind.http.UnbindHttpApi;
import io.posunbind.Unbinder;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SpiVersion;
import io.posunbind.store.InMemoryCaseStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's example, as written there: the JDK's own HTTP server forwards every request under
 * {@code /unbind} to the API, and a real HTTP client sees the API's statuses, headers and problem documents.
 */
class JdkHttpServerExampleTest {

    private final Unbinder unbinder = Unbinder.builder().store(new InMemoryCaseStore()).provider(new Bare())
            .withoutDiscovery().build();
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // --- as in the README ---
        UnbindHttpApi api = UnbindHttpApi.of(unbinder);
        server.createContext("/unbind", exchange -> {
            String path = exchange.getRequestURI().getRawPath().substring("/unbind".length());
            String query = exchange.getRequestURI().getRawQuery();
            HttpAnswer answer = api.handle(new HttpCall(exchange.getRequestMethod(),
                    query == null ? path : path + "?" + query, exchange.getRequestHeaders(),
                    exchange.getRequestBody().readNBytes(HttpApiOptions.DEFAULT_MAX_BODY_BYTES + 1)));
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
            exchange.close();
        });
        // ---
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        unbinder.close();
    }

    @Test
    void aBrowserAskingInChineseForAnUnknownCaseGetsA404ProblemInChinese() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/cases/NO-CASE"))
                .header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode());
        assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("zh-CN"), response.headers().firstValue("Content-Language"));
        assertTrue(response.body().contains("\"code\":\"UNB-CASE-NOT-FOUND\""), response.body());
        assertTrue(response.body().contains("未找到"), response.body());
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/cases"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\":\"" + "a".repeat(70_000) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("\"maxBodyBytes\":65536"), response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/unbind" + path);
    }

    private static final class Bare implements PaymentProvider {
        @Override
        public String id() {
            return "bare";
        }

        @Override
        public String displayName() {
            return "Bare";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }
    }
}
