/**
 * Plumbing of the JDBC case store: a small connection pool, the SQL dialects it knows and the schema
 * migrator. Not exported; nothing outside {@code io.posunbind.store} may depend on it.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.internal.store;
