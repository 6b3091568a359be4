package io.posunbind.store;

import io.posunbind.spi.API;

/**
 * What a committed write of {@link JdbcCaseStore} survives: how far the database has taken it when the commit
 * returns. The engine stores a case before it sends an operation that changes something to a provider and
 * whenever the case ends, waits or stops, so this is what a crash can take back of what the engine did.
 *
 * <p>Whatever is chosen, a commit is atomic and a crash never corrupts the store; the choice is only whether
 * the last commits before a crash of the machine may be lost. Losing them is safe for the provider calls
 * (a case taken back resends with the same idempotency key, see {@code OperationContext#idempotencyKey()}),
 * but a caller may have been told of a case or step that is then gone.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum CommitDurability {

    /**
     * The default. A commit returns once its write is on the disk, so it survives a crash of the process, of
     * the database and of the machine (a power failure). On PostgreSQL the store's sessions set
     * {@code synchronous_commit} to {@code on}, whatever the server's default. On H2, which never forces its
     * file to the disk by itself, the store forces it after each commit of case writes; the writes that commit
     * together (the store's group commit) share one forcing, so under load it costs little. It needs a user
     * with H2's ADMIN right (as {@link JdbcCaseStore#h2File} has); without it the store logs a warning when it
     * opens and runs as {@link #SURVIVES_PROCESS_CRASH}. An in-memory H2 database has no disk to force.
     */
    SURVIVES_POWER_LOSS,

    /**
     * A commit returns once the database has taken its write, before it reaches the disk: it survives a crash
     * of the application's process, but a crash of the machine (and on PostgreSQL, of the database server) may
     * lose the last commits, a fraction of a second of them. On PostgreSQL the sessions set
     * {@code synchronous_commit} to {@code off}; on H2 every commit still reaches the file before it returns,
     * and the operating system writes it to the disk later. For tests and for installations that accept that
     * loss for throughput.
     */
    SURVIVES_PROCESS_CRASH
}
