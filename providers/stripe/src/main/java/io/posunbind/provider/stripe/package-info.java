/**
 * posunbind adapters for the Stripe Terminal (readers and locations).
 *
 * <p>Public: the factory registered for {@code java.util.ServiceLoader} and its settings. Everything under
 * {@code internal} may change without notice.
 */
package io.posunbind.provider.stripe;
