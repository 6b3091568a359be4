package io.posunbind.spring.boot;

import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpCall;
import io.posunbind.http.UnbindHttpApi;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.web.HttpRequestHandler;

/**
 * Forwards every request under the base path to {@link UnbindHttpApi} and writes its answer back byte for byte:
 * the router in core owns the routes, statuses and problem documents, so no JSON library of Spring's is involved
 * (Boot 4 defaults to Jackson 3, posunbind to Jackson 2). It also serves the OpenAPI description of the routes at
 * {@code <base-path>/openapi.yaml}.
 *
 * <p>Thread-safe: it holds only immutable state.
 */
public final class UnbindHttpHandler implements HttpRequestHandler {

    /** Where the OpenAPI description is served, relative to the base path. */
    public static final String OPENAPI_PATH = "/openapi.yaml";

    private final UnbindHttpApi api;
    private final String basePath;
    private final int maxBodyBytes;
    private final byte[] openApi;

    /**
     * A handler for the API mounted at {@code basePath}.
     *
     * @param api          the router
     * @param basePath     where it is mounted, such as {@code /posunbind}
     * @param maxBodyBytes the largest body limit of the router's options ({@code HttpApiOptions.largestBodyBytes()}):
     *                     one byte more is read, so the router answers 413
     */
    public UnbindHttpHandler(UnbindHttpApi api, String basePath, int maxBodyBytes) {
        this.api = Objects.requireNonNull(api, "api");
        this.basePath = normalized(basePath);
        this.maxBodyBytes = maxBodyBytes;
        this.openApi = UnbindHttpApi.openApiYaml().getBytes(StandardCharsets.UTF_8);
    }

    /** The base path as mapped: with a leading slash, without a trailing one. */
    static String normalized(String basePath) {
        String path = Objects.requireNonNull(basePath, "basePath").trim();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = pathBelowBase(request);
        if ("GET".equalsIgnoreCase(request.getMethod()) && OPENAPI_PATH.equals(path)) {
            write(response, new HttpAnswer(200, "application/yaml;charset=UTF-8", openApi, Map.of()));
            return;
        }
        String query = request.getQueryString();
        // At most one byte over the limit: enough for the router to answer 413 without holding a large body.
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        HttpCall call = new HttpCall(request.getMethod(), query == null ? path : path + "?" + query,
                headers(request), body);
        write(response, api.handle(call));
    }

    /** The raw (still percent-encoded) path below the base path, as the router expects it. */
    private String pathBelowBase(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // With the DispatcherServlet under a prefix (spring.mvc.servlet.path), the base path is below that prefix.
        if (request.getPathInfo() != null && path.startsWith(request.getServletPath())) {
            path = path.substring(request.getServletPath().length());
        }
        String below = !"/".equals(basePath) && path.startsWith(basePath) ? path.substring(basePath.length()) : path;
        return below.isEmpty() ? "/" : below;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        return headers;
    }

    private static void write(HttpServletResponse response, HttpAnswer answer) throws IOException {
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentType(answer.contentType());
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
        response.flushBuffer();
    }

    @Override
    public String toString() {
        return "UnbindHttpHandler[" + basePath + "]";
    }
}
