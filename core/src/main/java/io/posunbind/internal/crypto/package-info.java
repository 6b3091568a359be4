/**
 * Cryptography shared by backups, encrypted fields and anything else posunbind keeps at rest, all
 * through BouncyCastle's lightweight API: AES-256-GCM, HKDF-SHA256 purpose keys, and the unambiguous
 * encoding of associated data. Internal: not exported.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.internal.crypto;
