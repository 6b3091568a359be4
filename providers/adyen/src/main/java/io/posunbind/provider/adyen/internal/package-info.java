/**
 * The Adyen adapter's implementation: the provider, its device adapter and webhook parser, the Management API
 * calls through the official library on a single-attempt transport, and the mapping of Adyen's answers. Not an
 * API: anything here may change without notice; use {@link io.posunbind.provider.adyen.AdyenProviderFactory}.
 *
 * <p>Parameters and return values are non-null unless typed {@code Optional}.
 */
package io.posunbind.provider.adyen.internal;
