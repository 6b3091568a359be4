/**
 * The data keys that protect what posunbind keeps at rest: encrypted backups of old terminals and the
 * card, account, identity and phone numbers inside stored case documents.
 *
 * <p>A {@link io.posunbind.keys.DataKeyProvider} names one <em>current</em> key, used for everything
 * written from now on, and can still find every older key by its id, so rotating keys never makes old
 * backups or documents unreadable. Keys come from code ({@link io.posunbind.keys.StaticDataKeyProvider},
 * for example unwrapped from a KMS at start-up) or from files
 * ({@link io.posunbind.keys.DirectoryDataKeyProvider}).
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.keys;
