package io.posunbind.internal.http;

import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.http.HttpAnswer;
import io.posunbind.http.HttpApiOptions;
import io.posunbind.http.HttpCall;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.validation.SensitiveNumberScrubber;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behind {@code UnbindHttpApi}: finds the route, checks size and media type, runs the route ({@link CaseRoutes},
 * {@link BatchRoutes}, {@link CallbackRoute}) and turns every refusal into a problem document in the request's
 * language. Nothing escapes as an exception: an
 * unexpected one is logged (its message scrubbed of card, account and identity numbers) and answered 500
 * with {@code UNB-ENGINE-FAULT}. Thread-safe.
 */
public final class HttpRouter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);

    private final HttpApiOptions options;
    private final CaseRoutes cases;
    private final BatchRoutes batches;
    private final CallbackRoute callbacks;

    /** Serves the unbinder with the options. */
    public HttpRouter(Unbinder unbinder, HttpApiOptions options) {
        this.options = options;
        this.cases = new CaseRoutes(unbinder);
        this.batches = new BatchRoutes(unbinder);
        this.callbacks = new CallbackRoute(unbinder);
    }

    /** Answers the call; never throws. */
    public HttpAnswer handle(HttpCall call) {
        Locale locale = AcceptLanguage.choose(call.header("Accept-Language"));
        int question = call.path().indexOf('?');
        String path = question < 0 ? call.path() : call.path().substring(0, question);
        String query = question < 0 ? "" : call.path().substring(question + 1);
        String routed = path.isEmpty() ? "/" : path;
        // What answers and logs show of the path: a card number typed into it is the client's, not ours to echo.
        String instance = SensitiveNumberScrubber.scrub(routed);
        try {
            Operation.Match match = Operation.match(routed, call.method(), options.commandsEnabled(),
                    options.callbacksEnabled());
            if (match.operation().isEmpty()) {
                return match.allowed().isEmpty() ? Problems.of(CoreErrorCode.HTTP_ROUTE_NOT_FOUND, locale, instance)
                        : Problems.of(CoreErrorCode.HTTP_METHOD_NOT_ALLOWED, HttpStatuses.METHOD_NOT_ALLOWED, locale,
                                instance, List.of(), Map.of(), Map.of("Allow", String.join(", ", match.allowed())));
            }
            Operation operation = match.operation().get();
            // A batch upload may be a fleet's file; every other body is held to the ordinary limit.
            int limit = operation == Operation.OPEN_BATCH ? options.maxBatchBodyBytes() : options.maxBodyBytes();
            if (tooLarge(call, limit)) {
                return Problems.of(CoreErrorCode.HTTP_BODY_TOO_LARGE, HttpStatuses.CONTENT_TOO_LARGE, locale,
                        instance, List.of(), Map.of("maxBodyBytes", limit), Map.of());
            }
            if (operation.callback()) {
                // A provider's format is the provider's business: its parser reads whatever type it sends.
                return callbacks.handle(match.parameters().get("providerId"), call, locale, instance);
            }
            boolean upload = operation == Operation.OPEN_BATCH;
            Optional<String> contentType = call.header("Content-Type");
            if (!operation.method().equals("GET") && !isJson(contentType)
                    && !(upload && BatchRoutes.isCsv(contentType))) {
                return Problems.of(CoreErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE, HttpStatuses.UNSUPPORTED_MEDIA_TYPE,
                        locale, instance, List.of(), Map.of(), Map.of("Accept-Post",
                                upload ? "application/json, text/csv" : "application/json"));
            }
            if (operation.batch()) {
                return batches.handle(operation, match.parameters(), query, call);
            }
            return cases.handle(operation, match.parameters(), query, call.body());
        } catch (BatchValidationException refused) {
            return BatchRoutes.refused(refused, locale, instance);
        } catch (InvalidRequestException invalid) {
            return Problems.of(invalid.errorCode(), HttpStatuses.statusOf(invalid.errorCode()), locale, instance,
                    invalid.violations(), Map.of(), Map.of());
        } catch (PosUnbindException refused) {
            HttpAnswer answer = Problems.of(refused.errorCode(), locale, instance);
            if (answer.status() == HttpStatuses.UNAVAILABLE) {
                LOG.info("{} {} answered 503 {}: retry later", call.method(), instance, refused.errorCode().code());
            } else if (answer.status() >= HttpStatuses.INTERNAL_ERROR) {
                LOG.warn("{} {} answered {} {}: {}", call.method(), instance, answer.status(),
                        refused.errorCode().code(), SensitiveNumberScrubber.scrub(String.valueOf(refused.getMessage())));
            }
            return answer;
        } catch (RuntimeException fault) {
            // Only the type and the scrubbed message: a stack trace's messages may quote input.
            LOG.error("{} {} failed unexpectedly with {}: {}", call.method(), instance, fault.getClass().getName(),
                    SensitiveNumberScrubber.scrub(String.valueOf(fault.getMessage())));
            return Problems.of(CoreErrorCode.ENGINE_FAULT, locale, instance);
        }
    }

    private static boolean tooLarge(HttpCall call, int limit) {
        if (call.body().length > limit) {
            return true;
        }
        Optional<String> declared = call.header("Content-Length");
        return declared.isPresent() && declared.get().trim().matches("[0-9]{1,18}")
                && Long.parseLong(declared.get().trim()) > limit;
    }

    /** JSON in UTF-8: {@code application/json} or a {@code +json} type, with no charset or UTF-8. */
    static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("charset=") && !parameter.substring(8).replace("\"", "").equals("utf-8")) {
                return false;
            }
        }
        return true;
    }
}
