package io.posunbind.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A fixed-size pool of open connections, each with its prepared statements cached, so that a store call
 * costs one statement execution and no connection set-up. Connections are opened lazily, kept until
 * {@link #close()}, and replaced when a failure may have broken them.
 *
 * <p>Thread-safe: each connection is used by one thread at a time.
 */
public final class ConnectionPool implements AutoCloseable {

    /** Opens a new physical connection. */
    @FunctionalInterface
    public interface ConnectionOpener {
        /** Opens a connection. */
        Connection open() throws SQLException;
    }

    /** Work done with a borrowed connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work; the connection is in auto-commit mode and must be left so. */
        T run(PooledConnection connection) throws SQLException;
    }

    private final ConnectionOpener opener;
    private final Duration borrowTimeout;
    private final Semaphore permits;
    private final Object lock = new Object();
    private final Deque<PooledConnection> idle = new ArrayDeque<>();
    private boolean closed;
    /** Held by {@link #runWriting} when set: see {@link EmbeddedWrites}. */
    private volatile Lock writes;

    /**
     * Creates an empty pool.
     *
     * @param opener        opens a physical connection when the pool needs one more
     * @param maxSize       the most connections open at once
     * @param borrowTimeout how long a caller waits for a free connection before failing
     */
    public ConnectionPool(ConnectionOpener opener, int maxSize, Duration borrowTimeout) {
        this.opener = Objects.requireNonNull(opener, "opener");
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, was " + maxSize);
        }
        this.borrowTimeout = Objects.requireNonNull(borrowTimeout, "borrowTimeout");
        // Not fair: with more callers than connections, handing each permit to the longest waiter
        // measured a fifth slower, and the borrow timeout bounds how long anyone can be passed over.
        this.permits = new Semaphore(maxSize);
    }

    /**
     * Runs work with a connection of the pool.
     *
     * @throws SQLException          what the work threw, or when no connection became free in time
     * @throws IllegalStateException when the pool is closed
     */
    public <T> T run(Work<T> work) throws SQLException {
        acquirePermit();
        try {
            PooledConnection connection = takeIdleOrOpen();
            boolean reusable = false;
            try {
                T result = work.run(connection);
                reusable = true;
                return result;
            } catch (SQLException e) {
                reusable = SqlStates.leavesConnectionUsable(e);
                throw e;
            } finally {
                giveBack(connection, reusable);
            }
        } finally {
            permits.release();
        }
    }

    /**
     * From now on, {@link #runWriting} holds {@code lock} around its work, so that the writes of every pool
     * sharing the lock run one at a time ({@link EmbeddedWrites}).
     */
    public void serializeWrites(Lock lock) {
        this.writes = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Runs work that writes (one statement, or a transaction it opens and ends) with a connection of the pool:
     * as {@link #run}, one writer at a time when {@link #serializeWrites} set a lock. The lock is taken before the
     * connection, and work never takes a second connection, so a writer waiting for the lock holds none.
     *
     * @throws SQLException what the work threw, or when the lock or a connection did not become free in time
     */
    public <T> T runWriting(Work<T> work) throws SQLException {
        Lock lock = writes;
        if (lock == null) {
            return run(work);
        }
        ensureOpen();
        boolean locked;
        try {
            locked = lock.tryLock(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting to write", "08001", e);
        }
        if (!locked) {
            throw new SQLTransientConnectionException("Another write did not end within " + borrowTimeout.toMillis()
                    + " ms", "08001");
        }
        try {
            return run(work);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle connections now and the borrowed ones as they come back. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            while (!idle.isEmpty()) {
                idle.pop().closeQuietly();
            }
        }
    }

    private void acquirePermit() throws SQLException {
        ensureOpen();
        try {
            if (!permits.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException(
                        "No database connection became free within " + borrowTimeout.toMillis() + " ms", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a database connection", "08001",
                    e);
        }
    }

    private PooledConnection takeIdleOrOpen() throws SQLException {
        synchronized (lock) {
            ensureOpen();
            // Most recently used first: its statements and pages are warmest.
            PooledConnection connection = idle.pollFirst();
            if (connection != null) {
                return connection;
            }
        }
        Connection physical = opener.open();
        try {
            physical.setAutoCommit(true);
        } catch (SQLException e) {
            closeQuietly(physical, e);
            throw e;
        }
        return new PooledConnection(physical);
    }

    private void giveBack(PooledConnection connection, boolean reusable) {
        synchronized (lock) {
            if (reusable && !closed) {
                idle.push(connection);
                return;
            }
        }
        connection.closeQuietly();
    }

    private void ensureOpen() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The case store is closed; open a new one");
            }
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** A pooled connection and its cached prepared statements. Used by one thread at a time. */
    public static final class PooledConnection {

        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        PooledConnection(Connection connection) {
            this.connection = connection;
        }

        /** The physical connection, for work that needs more than cached statements. */
        public Connection connection() {
            return connection;
        }

        /**
         * A prepared statement for the SQL, prepared once per connection. Do not close it; set every
         * parameter before each execution.
         */
        public PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        void closeQuietly() {
            // Closing the connection closes its statements too.
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is being dropped; there is nobody left to tell.
            }
        }
    }
}
