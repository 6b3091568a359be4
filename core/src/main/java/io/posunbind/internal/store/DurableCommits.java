package io.posunbind.internal.store;

import io.posunbind.store.CommitDurability;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes commits as durable as the store was asked to ({@link CommitDurability}), whatever the database's own
 * defaults say. PostgreSQL lets the server, a database or a role default {@code synchronous_commit} to
 * {@code off} (the embedded PostgreSQL of the tests does, and so do many tuned production servers): a
 * commit then returns before its write-ahead log reaches the disk, and a crash of the database loses
 * commits the caller was told about. For the engine that is a lost "sent, outcome unknown" checkpoint,
 * and a second sending of an operation to a provider that does not recognise repetitions.
 *
 * <p>The setting is made for the whole session rather than per transaction ({@code SET LOCAL}), so
 * that it covers the auto-committed statements too (lease renewals, callback nonces, audit records),
 * not only the group commit's transactions. The stores keep their connections for their whole life and
 * open a new one (set up the same way) when one breaks; a pooler that hands a session's statements to
 * other server sessions (transaction pooling) is not supported, as it would break prepared statements
 * too.
 *
 * <p>H2 never forces its file to the disk by itself: with {@code WRITE_DELAY=0} a commit is written to the file
 * before it returns, which a killed process cannot take back, but the operating system may hold it in memory
 * for seconds, and a power failure loses it. {@link #diskSync} gives the group commit what to run after each
 * commit so that it reaches the disk: H2's {@code CHECKPOINT SYNC}, which writes what is pending and forces the
 * file ({@code FileChannel.force}). The file is one log of chunks written in order, so forcing it also forces
 * every commit made before in the same file, such as the claims' auto-committed statements and, when it shares the
 * file ({@code JdbcAuditStore.h2File} on the same directory), the audit trail's.
 *
 * <p>Stateless and thread-safe.
 */
public final class DurableCommits {

    private static final Logger LOG = LoggerFactory.getLogger(DurableCommits.class);

    /** What PostgreSQL needs so that a commit waits for its write-ahead log to be flushed. */
    static final String POSTGRESQL_SESSION_SETUP = "SET synchronous_commit TO on";

    /** What PostgreSQL needs so that a commit returns before its write-ahead log is flushed. */
    static final String POSTGRESQL_SESSION_SETUP_PROCESS_CRASH = "SET synchronous_commit TO off";

    /** Writes what H2 has pending to its file and forces the file to the disk; needs the ADMIN right. */
    static final String H2_FORCE_TO_DISK = "CHECKPOINT SYNC";

    /** H2's error code for a statement that needs the ADMIN right (ErrorCode.ADMIN_RIGHTS_1). */
    private static final int H2_ADMIN_RIGHTS_REQUIRED = 90040;

    private DurableCommits() {
    }

    /** An opener whose connections commit durably (survive a power loss); the database is recognised on each new connection. */
    public static ConnectionPool.ConnectionOpener opener(ConnectionPool.ConnectionOpener opener) {
        return opener(opener, CommitDurability.SURVIVES_POWER_LOSS);
    }

    /** An opener whose connections commit as durably as asked; the database is recognised on each new connection. */
    public static ConnectionPool.ConnectionOpener opener(ConnectionPool.ConnectionOpener opener,
            CommitDurability durability) {
        return () -> {
            Connection connection = opener.open();
            try {
                setUp(connection, durability);
                return connection;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.close();
                } catch (SQLException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
        };
    }

    private static void setUp(Connection connection, CommitDurability durability) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (!"PostgreSQL".equalsIgnoreCase(product)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(durability == CommitDurability.SURVIVES_POWER_LOSS ? POSTGRESQL_SESSION_SETUP
                    : POSTGRESQL_SESSION_SETUP_PROCESS_CRASH);
        }
    }

    /**
     * What the group commit runs after each commit for the asked durability, decided once on a connection of the
     * store: on an H2 database kept in files, with {@link CommitDurability#SURVIVES_POWER_LOSS}, forcing the file
     * to the disk; otherwise nothing (PostgreSQL's sessions wait for their log themselves). When the user lacks
     * H2's ADMIN right, nothing, with a warning.
     */
    public static GroupCommit.AfterCommit diskSync(Connection connection, SqlDialect dialect,
            CommitDurability durability) throws SQLException {
        if (dialect != SqlDialect.H2 || durability != CommitDurability.SURVIVES_POWER_LOSS
                || !keptInFiles(connection)) {
            return GroupCommit.AfterCommit.NOTHING;
        }
        try {
            forceToDisk(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() != H2_ADMIN_RIGHTS_REQUIRED) {
                throw e;
            }
            LOG.warn("The H2 user of the case store lacks the ADMIN right, which forcing the database file to the"
                    + " disk needs: a power failure may lose the last commits. Grant ADMIN, or choose"
                    + " CommitDurability.SURVIVES_PROCESS_CRASH to say that this is intended (and have an"
                    + " administrator SET WRITE_DELAY 0, so that a crash of the process loses none).");
            return GroupCommit.AfterCommit.NOTHING;
        }
        return DurableCommits::forceToDisk;
    }

    /** Whether an H2 database is kept in files (not in memory), so that there is a disk to force. */
    public static boolean keptInFiles(Connection connection) throws SQLException {
        String url = connection.getMetaData().getURL().toLowerCase(Locale.ROOT);
        // jdbc:h2:mem:name, or through a server jdbc:h2:tcp://host/mem:name
        return !url.startsWith("jdbc:h2:mem:") && !url.contains("/mem:");
    }

    private static void forceToDisk(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(H2_FORCE_TO_DISK);
        }
    }
}
