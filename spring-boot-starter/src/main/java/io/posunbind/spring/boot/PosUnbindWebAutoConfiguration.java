package io.posunbind.spring.boot;

import io.posunbind.Unbinder;
import io.posunbind.http.HttpApiOptions;
import io.posunbind.http.UnbindHttpApi;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The case commands, provider callbacks and OpenAPI description over HTTP, in a Spring MVC application with
 * {@code posunbind.web.enabled=true}: one handler mapping sends everything under {@code posunbind.web.base-path}
 * to {@link UnbindHttpHandler}. Ordered before the application's controllers and static resources, so nothing
 * else answers under the base path.
 */
@AutoConfiguration(after = PosUnbindAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnProperty(prefix = "posunbind.web", name = "enabled", havingValue = "true")
@ConditionalOnBean(Unbinder.class)
public class PosUnbindWebAutoConfiguration {

    /** Before {@code RequestMappingHandlerMapping} (order 0) and the static resources (last). */
    static final int MAPPING_ORDER = -100;

    /** The router over the application's unbinder, with the properties' body limit and routes. */
    @Bean
    @ConditionalOnMissingBean
    public UnbindHttpApi unbindHttpApi(Unbinder unbinder, PosUnbindProperties properties) {
        PosUnbindProperties.Web web = properties.getWeb();
        return UnbindHttpApi.of(unbinder, options(web));
    }

    /** Forwards the requests under the base path to the router. */
    @Bean
    @ConditionalOnMissingBean
    public UnbindHttpHandler unbindHttpHandler(UnbindHttpApi api, PosUnbindProperties properties) {
        // The largest body any route takes (a fleet file): the router holds each route to its own limit.
        return new UnbindHttpHandler(api, properties.getWeb().getBasePath(),
                options(properties.getWeb()).largestBodyBytes());
    }

    /** Maps the base path and everything below it to the handler. */
    @Bean
    @ConditionalOnMissingBean(name = "posUnbindHandlerMapping")
    public SimpleUrlHandlerMapping posUnbindHandlerMapping(UnbindHttpHandler handler, PosUnbindProperties properties) {
        String base = UnbindHttpHandler.normalized(properties.getWeb().getBasePath());
        if ("/".equals(base)) {
            return new SimpleUrlHandlerMapping(Map.of("/**", handler), MAPPING_ORDER);
        }
        return new SimpleUrlHandlerMapping(Map.of(base, handler, base + "/**", handler), MAPPING_ORDER);
    }

    private static HttpApiOptions options(PosUnbindProperties.Web web) {
        return new HttpApiOptions(web.getMaxBodyBytes(), web.isCommandsEnabled(), web.isCallbacksEnabled())
                .withMaxBatchBodyBytes(web.getMaxBatchBodyBytes());
    }
}
