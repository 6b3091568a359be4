package io.posunbind.spring.boot;

import io.posunbind.UnbinderBuilder;

/**
 * Adjusts the {@link UnbinderBuilder} after the starter has applied its properties and beans, for what has no
 * property: a retry policy, provider limits, a document checklist, a clock. Declare one or more as beans; they
 * run in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * UnbinderBuilderCustomizer adyenContract() {
 *     return builder -> builder.providerLimits("adyen", ProviderLimits.of(10, 2));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface UnbinderBuilderCustomizer {

    /** Changes the builder; called once, before the unbinder is built. */
    void customize(UnbinderBuilder builder);
}
