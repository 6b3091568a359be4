/**
 * Plumbing of the audit trail: the canonical encoding and hashing of records, Ed25519 keys and PEM files,
 * the scrubbing of record details, the chain walk of the verifier and the evidence JSON. Not exported;
 * nothing outside {@code io.posunbind.audit} may depend on it.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.internal.audit;
