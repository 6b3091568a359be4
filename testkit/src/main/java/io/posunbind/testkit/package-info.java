/**
 * The adapter contract: extend {@link io.posunbind.testkit.PaymentProviderContract}, hand it a factory of
 * providers and a {@link io.posunbind.testkit.BackendFaults} on the fake backend, and run it with your
 * tests.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.testkit;
