/**
 * posunbind adapters for the Adyen Management API (terminal fleet).
 *
 * <p>Public: the factory registered for {@code java.util.ServiceLoader} and its settings. Everything under
 * {@code internal} may change without notice.
 */
package io.posunbind.provider.adyen;
