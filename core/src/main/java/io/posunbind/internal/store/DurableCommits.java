package io.posunbind.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens connections on which a commit returns only once it is durable, whatever the database's own
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
 * too. H2 needs nothing here: its URL sets {@code WRITE_DELAY=0}.
 *
 * <p>Stateless and thread-safe.
 */
public final class DurableCommits {

    /** What PostgreSQL needs so that a commit waits for its write-ahead log to be flushed. */
    static final String POSTGRESQL_SESSION_SETUP = "SET synchronous_commit TO on";

    private DurableCommits() {
    }

    /** An opener whose connections commit durably; the database is recognised on each new connection. */
    public static ConnectionPool.ConnectionOpener opener(ConnectionPool.ConnectionOpener opener) {
        return () -> {
            Connection connection = opener.open();
            try {
                makeDurable(connection);
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

    private static void makeDurable(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (!"PostgreSQL".equalsIgnoreCase(product)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(POSTGRESQL_SESSION_SETUP);
        }
    }
}
