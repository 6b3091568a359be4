/**
 * Encrypted, verifiable backups of an old terminal's usage records and settings, taken before anything
 * is unbound (注意事项 2: 备份).
 *
 * <p>A {@link io.posunbind.backup.BackupVault} seals a {@link io.posunbind.spi.model.TerminalDataExport}
 * into a {@link io.posunbind.backup.SealedBackup}: a settings chunk and one chunk per N usage records,
 * each encrypted with AES-256-GCM under a fresh nonce and bound to its case, its position and its
 * backup, plus an authenticated manifest of what each chunk holds. It opens them again, and verifies
 * them into a {@link io.posunbind.backup.BackupVerification} that names every problem by position:
 * "chunk 3 (usage records 200–299) fails authentication". Keys come from a
 * {@link io.posunbind.keys.DataKeyProvider}, so old backups stay readable after rotation.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional} (or {@link java.util.OptionalInt}).
 */
package io.posunbind.backup;
