package io.posunbind.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per H2 database kept in files and opened in this process, held by every write transaction of the
 * stores on it ({@link ConnectionPool#runWriting}), so that only one writes at a time.
 *
 * <p>Why: H2 (2.4) saves its file at the end of each writing transaction (with {@code WRITE_DELAY=0}) by taking
 * the root of each of its maps in turn, while other threads go on writing. A transaction writes its undo log
 * before the row it changes, in two maps; a save that takes the undo log just before another thread's change and
 * the table just after it holds the change without the undo record that would roll it back. Should the process
 * die then, the restarted database keeps that "leftover": H2 shows its old value to other transactions, but its
 * new value to any transaction that happens to reuse the dead one's id, and a write made there keeps it for good,
 * while the rest of the dead transaction was rolled back (H2's {@code TxDecisionMaker} and
 * {@code TransactionMap.getFromSnapshot} handle such leftovers so). A case row written with its parts (schema V8)
 * can so come back naming parts that were never stored, or not these: the crash campaign met a case like that
 * once (UNB-STORE-CORRUPT), when its workers wrote from several threads, and this is the one way found in which
 * it can happen. With one writer at a time no save meets a write half done, whatever the moment of a crash. Reads run on in parallel. The stores on one database share the lock (a case store and an
 * audit store in one file), as the writes of any of them end in a save of the whole file.
 *
 * <p>H2 in memory has no file to save, and an H2 server (or PostgreSQL) has writers in other processes that a lock
 * here could not hold anyway: for them there is no lock. Thread-safe.
 */
public final class EmbeddedWrites {

    private static final ConcurrentMap<String, Lock> LOCKS = new ConcurrentHashMap<>();

    private EmbeddedWrites() {
    }

    /** The lock of the database a connection is on, when it is an H2 database kept in files in this process. */
    public static Optional<Lock> lockFor(Connection connection) throws SQLException {
        if (!"H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
            return Optional.empty();
        }
        return databaseFile(connection.getMetaData().getURL()).map(file -> LOCKS.computeIfAbsent(file,
                key -> new ReentrantLock()));
    }

    /**
     * The file an embedded H2 URL names, absolute, or empty for a database in memory or on a server:
     * {@code jdbc:h2:file:/data/posunbind;WRITE_DELAY=0} and {@code jdbc:h2:/data/posunbind} name the same one.
     */
    static Optional<String> databaseFile(String url) {
        String rest = url.substring(url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:") ? "jdbc:h2:".length() : 0);
        int options = rest.indexOf(';');
        String name = options < 0 ? rest : rest.substring(0, options);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
            return Optional.empty();
        }
        String file = lower.startsWith("file:") ? name.substring("file:".length()) : name;
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        return Optional.of(Path.of(file).toAbsolutePath().normalize().toString());
    }
}
