/**
 * Where cases are kept: the {@link io.posunbind.store.CaseStore} contract, an in-memory store for tests
 * and a durable JDBC store whose embedded default is H2 in file mode.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.store;
