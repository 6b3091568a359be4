/**
 * The application developer's API: build an {@link io.posunbind.Unbinder}, open unbind cases, feed them
 * what they wait for, and read their state.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind;
