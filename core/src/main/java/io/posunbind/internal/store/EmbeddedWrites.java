package io.posunbind.internal.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * it can happen. With one writer at a time no save meets a write half done, whatever the moment of a crash.
 * Reads run on in parallel. The stores on one database share the lock (a case store and an
 * audit store in one file), as the writes of any of them end in a save of the whole file.
 *
 * <p>H2 in memory has no file to save, and an H2 server (or PostgreSQL) has writers in other processes that a lock
 * here could not hold anyway: for them there is no lock. Thread-safe.
 */
public final class EmbeddedWrites {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedWrites.class);

    private static final ConcurrentMap<String, Lock> LOCKS = new ConcurrentHashMap<>();

    /** A file system prefix of an H2 database name: {@code file:}, {@code nio:}, {@code split:28:}, … */
    private static final Pattern FILE_SYSTEM = Pattern.compile("([A-Za-z][A-Za-z0-9]+):(?:\\d+:)?");

    /** Prefixes whose databases have no file, or belong to a server: nothing a crash here could half save. */
    private static final Set<String> IN_MEMORY = Set.of("mem", "memfs", "memlzf", "niomemfs", "niomemlzf", "tcp",
            "ssl");

    private EmbeddedWrites() {
    }

    /**
     * The lock of the database a connection is on, when it is an H2 database kept in files in this process. Warns
     * when H2 also saves from a background thread of its own ({@code WRITE_DELAY} above 0, as a data source of the
     * application's may leave it), which no lock here can hold.
     */
    public static Optional<Lock> lockFor(Connection connection) throws SQLException {
        if (!"H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
            return Optional.empty();
        }
        Optional<String> file = databaseFile(connection.getMetaData().getURL());
        long writeDelay = file.isPresent() ? writeDelay(connection) : 0;
        if (writeDelay > 0) {
            LOG.warn("H2 saves {} from a background thread (WRITE_DELAY {} ms): a crash may lose the last commits and"
                    + " keep half of a transaction; open it with WRITE_DELAY=0, as JdbcCaseStore.h2File does",
                    file.get(), writeDelay);
        }
        // Fair: a worker's claim loop that claims again as soon as it committed would otherwise take the lock back
        // at once, time after time, and the group commit carrying every case write waited (seen in the long crash
        // campaign: 79 s without a case write, the claims thread busy throughout).
        return file.map(name -> LOCKS.computeIfAbsent(name, key -> new ReentrantLock(true)));
    }

    private static long writeDelay(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet row = query.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            return row.next() ? Long.parseLong(row.getString(1).trim()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The file an embedded H2 URL names, absolute, or empty for a database in memory or on a server:
     * {@code jdbc:h2:file:/data/posunbind;WRITE_DELAY=0}, {@code jdbc:h2:nio:/data/posunbind} and
     * {@code jdbc:h2:/data/posunbind} name the same one.
     */
    static Optional<String> databaseFile(String url) {
        String rest = url.substring(url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:") ? "jdbc:h2:".length() : 0);
        int options = rest.indexOf(';');
        String name = options < 0 ? rest : rest.substring(0, options);
        // H2's file systems are named by prefixes, which may stack (split:nio:/data/x): take them off.
        Matcher prefix = FILE_SYSTEM.matcher(name);
        while (prefix.lookingAt()) {
            if (IN_MEMORY.contains(prefix.group(1).toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            name = name.substring(prefix.end());
            prefix = FILE_SYSTEM.matcher(name);
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        try {
            return Optional.of(Path.of(name).toAbsolutePath().normalize().toString());
        } catch (InvalidPathException e) {
            return Optional.of(name); // still one key per name, which is all the lock needs
        }
    }
}
