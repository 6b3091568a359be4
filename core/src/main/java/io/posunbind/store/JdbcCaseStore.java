package io.posunbind.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.callback.NonceStore;
import io.posunbind.internal.batch.JdbcBatchStore;
import io.posunbind.internal.store.CaseParts;
import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.DurableCommits;
import io.posunbind.internal.store.EmbeddedWrites;
import io.posunbind.internal.store.GroupCommit;
import io.posunbind.internal.store.JdbcLimitBoard;
import io.posunbind.internal.store.JdbcNonceStore;
import io.posunbind.internal.store.SchemaMigrator;
import io.posunbind.internal.store.SchemaScript;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.internal.store.StoreInternals;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.DirectoryDataKeyProvider;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A durable {@link CaseStore} over plain JDBC, on H2 (the embedded default, see {@link #h2File}) or on
 * PostgreSQL (see {@link #create}). On start it brings the schema to the newest version, recording the
 * versions it applied in the table {@code posunbind_schema_version}; cases live in {@code posunbind_case},
 * the nonces of accepted callbacks ({@link #callbackNonces()}) in {@code posunbind_callback_nonce}, the
 * providers' references of cases ({@link #findByProviderReference}) in {@code posunbind_provider_reference}.
 * The values a case's document holds that the engine writes once (its request, inventory, checklist, sealed
 * backup, fee quote and decision) are kept apart in {@code posunbind_case_part} (schema V8): written with the
 * write that first carries them, not again while they stay the same, and put back exactly when the case is
 * read, so a loaded record's document is the one stored. Instances of the engine on one database announce
 * themselves per limited provider, and per operation with a limit of its own, in {@code posunbind_provider_share}
 * (schema V10, V11 for the operation), each taking an even share of the declared limits (see the README's
 * section on provider limits).
 *
 * <p>The store keeps up to four connections open, each with its statements prepared once.
 * {@link #update} is a single {@code UPDATE ... WHERE case_id = ? AND version = ?}, so of two writers of
 * the same version exactly one wins. Inserts and updates made at the same moment by different threads
 * are committed together (a group commit): each call still returns only once its write is durable,
 * and still fails or succeeds alone, but concurrent writers share the cost of reaching the disk.
 *
 * <p>Every write returns only once it is durable, whatever the database's own defaults, because the engine's
 * exactly-once promise rests on it: a "sent, outcome unknown" checkpoint stored before a provider call must
 * survive a crash of the database, or the operation is sent again. On PostgreSQL the store therefore sets
 * {@code synchronous_commit} to {@code on} for each of its sessions (a server, database or role may default
 * it to {@code off}); this covers its inserts, updates, lease renewals and callback nonces. Do not put a
 * transaction-pooling proxy (such as PgBouncer in transaction mode) between the store and PostgreSQL. On H2
 * every commit reaches the file before it returns (see {@link #h2File}).
 *
 * <p>Instants are kept as epoch milliseconds, so a loaded case has its instants cut to whole
 * milliseconds. Ids, states, provider ids, merchant numbers and terminal serials may have up to 255
 * characters.
 *
 * <p>Failures are {@link PosUnbindException}s: {@link CoreErrorCode#DUPLICATE_CASE} from {@link #insert},
 * {@link StaleCaseVersionException} from {@link #update}, {@link CoreErrorCode#INVALID_REQUEST} when the
 * database rejects a value (retrying cannot help), and {@link CoreErrorCode#STORE_UNAVAILABLE}
 * (retryable) for anything else. A connection that failed that way is replaced, so the store recovers
 * once the database is back.
 *
 * <p>Thread-safe. Close it to release its connections; a closed store throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (JdbcCaseStore store = JdbcCaseStore.h2File(Path.of("/var/lib/myapp/posunbind"),
 *         Path.of("/run/secrets/posunbind-keys"))) {
 *     // give the store to the engine
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class JdbcCaseStore implements CaseStore, AutoCloseable {

    /** With H2 on two cores, four connections measured about a third faster than two. */
    private static final int POOL_SIZE = 4;

    /** Bounds how long the first writer of a batch waits for the last statement of it to run. */
    private static final int MAX_WRITES_PER_COMMIT = 64;

    private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

    /*
     * H2 options, appended to the file URL:
     * - WRITE_DELAY=0: every commit reaches the file before the call returns, so a process killed at
     *   any moment (kill -9) loses no committed step. With a write delay, the crash campaign lost
     *   committed steps and, worse, left H2's indexes out of step with its rows after a kill. (Reaching the
     *   disk as well, against a power failure, is the group commit's forcing: see CommitDurability.)
     * - RETENTION_TIME=5000: H2 keeps superseded chunks this long before reusing their space. Its
     *   default of 45 s made the file grow by gigabytes under a benchmark's thousands of commits per
     *   second; 0 broke concurrent readers. 5 s keeps both in bounds.
     * - LOCK_TIMEOUT=10000: an UPDATE of a row another connection is updating waits for that commit
     *   and then finds the version changed; 10 s leaves room for a busy disk before failing.
     * - DB_CLOSE_ON_EXIT=FALSE: H2 would otherwise close the database from a JVM shutdown hook of its own,
     *   while the application's threads may still be writing, and (as a Spring Boot service under load
     *   showed) while the class loader is being torn down: NoClassDefFoundError from two threads. The
     *   store closes the database itself in close(), when its last connection goes; committed data is
     *   safe without either close (WRITE_DELAY=0).
     * - COMPRESS=TRUE: H2 compresses every page it writes (LZF). A case is JSON, which compresses to about a
     *   quarter; only the encrypted fields (random bytes) do not. Measured with 5,000 waiting cases: the
     *   live data went from 27 MB to 6.5 MB, for a little CPU per write (see the README's figures).
     * - MAX_COMPACT_TIME=5000: with WRITE_DELAY=0 H2 runs no background writer, so nothing compacts the file
     *   while the store runs; superseded chunks pile up (5,000 cases left a 437 MB file holding 27 MB of
     *   data). H2 compacts when the database closes, for 200 ms by default, which was enough for 2,000 cases
     *   but not for 5,000; 5 s gave the same file as 30 s (1.6 KB per waiting case). It is a bound, not a
     *   cost: a store with little to move closes at once. (In some states, such as a database just emptied
     *   and refilled, H2 keeps moving chunks until the bound: 30 s made such a close take 30 s.) A store
     *   killed instead is compacted at its next clean close.
     * The file lock stays H2's default, so a second process cannot open the same files.
     */
    private static final String H2_OPTIONS = ";WRITE_DELAY=0;RETENTION_TIME=5000;LOCK_TIMEOUT=10000"
            + ";DB_CLOSE_ON_EXIT=FALSE;COMPRESS=TRUE;MAX_COMPACT_TIME=5000";

    /** Schema scripts in each dialect's folder; add a line per new version, never change a shipped one. */
    private static final List<String> SCHEMA_SCRIPTS = List.of("V1__cases.sql", "V2__leases_and_outbox.sql",
            "V3__one_open_case_per_terminal.sql", "V4__drop_terminal_index.sql", "V5__callback_nonces.sql",
            "V6__find_stuck_cases.sql", "V7__provider_references.sql", "V8__write_once_parts.sql",
            "V9__batches.sql", "V10__provider_limit_shares.sql", "V11__operation_limit_shares.sql",
            "V12__batch_starter.sql");

    /** The schema version that keeps write-once values apart; cases stored before it are moved when it is applied. */
    private static final int WRITE_ONCE_PARTS_VERSION = 8;

    private final ConnectionPool pool;
    private final JdbcNonceStore nonces;
    private final JdbcBatchStore batches;
    private final SqlDialect dialect;
    /** What a commit survives, as achieved: power loss only where the database could be made to. */
    private final CommitDurability durability;
    private final JdbcCaseReads reads;
    private final JdbcCaseWrites writes;
    private final JdbcDueWork dueWork;
    private final JdbcLimitBoard limitBoard;
    private DataKeyProvider defaultKeys;

    static {
        // The engine finds the board through core's internals, so it stays off this class's public API.
        StoreInternals.registerLimitBoards(store -> store instanceof JdbcCaseStore jdbc
                ? Optional.of(jdbc.limitBoard) : Optional.empty());
    }

    private JdbcCaseStore(ConnectionPool pool, SqlDialect dialect, GroupCommit.AfterCommit afterCommit,
            CommitDurability durability) {
        this.pool = pool;
        this.dialect = dialect;
        this.durability = durability;
        // H2 writes its file under one lock, so one batch at a time; PostgreSQL runs statements of several
        // connections in parallel, and a single batch at a time measured a quarter slower there. One
        // connection stays free of batches for loads and lease renewals.
        GroupCommit groupCommit = new GroupCommit(pool, MAX_WRITES_PER_COMMIT,
                dialect == SqlDialect.H2 ? 1 : POOL_SIZE - 1, afterCommit);
        // Reads remember the digests of the parts they found, for the next write of the same case.
        CaseParts parts = new CaseParts(dialect);
        this.reads = new JdbcCaseReads(pool, dialect, parts);
        this.writes = new JdbcCaseWrites(groupCommit, dialect, parts);
        this.dueWork = new JdbcDueWork(pool, dialect, reads);
        this.nonces = new JdbcNonceStore(pool);
        this.batches = new JdbcBatchStore(pool);
        this.limitBoard = new JdbcLimitBoard(pool);
    }

    /** Batches of fleet unbinds, in {@code posunbind_batch} and {@code posunbind_batch_row} (schema V9). */
    @Override
    public Optional<BatchStore> batches() {
        return Optional.of(batches);
    }

    /**
     * For {@link #h2File}: the store's data keys (from the key folder or the provider it was opened with).
     * They keep card, account, identity and phone numbers out of the database file in clear. Empty for
     * {@link #create}: a shared database needs keys chosen by the application.
     */
    @Override
    public Optional<DataKeyProvider> defaultDataKeys() {
        return Optional.ofNullable(defaultKeys);
    }

    /**
     * Opens (creating if needed) the store's H2 database in a directory, with its data keys in the
     * folder {@code keys} inside that directory. Convenient for trying posunbind out, but a copy of the
     * directory (a backup, a disk image) then carries the keys with the data and decrypts everything:
     * in production keep the keys apart, with {@link #h2File(Path, Path)} or
     * {@link #h2File(Path, DataKeyProvider)}.
     *
     * @see #h2File(Path, Path)
     */
    public static JdbcCaseStore h2File(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return h2File(directory, directory.toAbsolutePath().normalize().resolve("keys"));
    }

    /**
     * Opens (creating if needed) the store's H2 database in a directory, as files named
     * {@code posunbind.*}, with its data keys in another folder. The key folder is created on first use,
     * readable by its owner only, with one new key ({@link DirectoryDataKeyProvider#openOrCreate}); keep it
     * on another volume or mount than the data (for example a secret mounted into the container), so that
     * a copy of the data folder alone decrypts nothing. Only one process may open the directory at a time.
     * Needs H2 2.x ({@code com.h2database:h2}) on the class or module path.
     *
     * <p>Every commit of a case is on the disk before the call returns ({@link CommitDurability#SURVIVES_POWER_LOSS}):
     * the file is forced after each commit, once for all the writes committed together. Choose PostgreSQL for
     * many instances.
     *
     * @param directory    where the database files live; created with its parents if missing
     * @param keyDirectory where the data keys live; created (owner only) with a first key if it has none
     * @throws IllegalStateException when H2 is not on the class or module path
     * @throws PosUnbindException {@link CoreErrorCode#STORE_UNAVAILABLE} when the database cannot be opened,
     *         for example because another process has it open; {@link CoreErrorCode#DATA_KEY_INVALID} when the
     *         key folder cannot be read or written
     */
    public static JdbcCaseStore h2File(Path directory, Path keyDirectory) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyDirectory, "keyDirectory");
        JdbcCaseStore store = openH2(directory);
        try {
            store.defaultKeys = DirectoryDataKeyProvider.openOrCreate(keyDirectory);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Opens (creating if needed) the store's H2 database in a directory, with data keys the application
     * keeps (a KMS, an HSM, a {@link DirectoryDataKeyProvider} of its own). Otherwise as
     * {@link #h2File(Path, Path)}.
     */
    public static JdbcCaseStore h2File(Path directory, DataKeyProvider keys) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keys, "keys");
        JdbcCaseStore store = openH2(directory);
        store.defaultKeys = keys;
        return store;
    }

    private static JdbcCaseStore openH2(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (absolute.toString().indexOf(';') >= 0) {
            throw new IllegalArgumentException("The store's directory must not contain ';': " + absolute);
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the case store's directory " + absolute, e);
        }
        // H2 is reached through its URL alone, so users who bring PostgreSQL can leave the H2 jar out.
        String url = "jdbc:h2:file:" + absolute.resolve("posunbind").toString().replace('\\', '/') + H2_OPTIONS;
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            // A deployment mistake, not an outage: retrying cannot help, so this is not STORE_UNAVAILABLE.
            throw new IllegalStateException("The H2 JDBC driver is not on the class or module path; add "
                    + "com.h2database:h2 2.x, or use JdbcCaseStore.create(DataSource) with another database", e);
        }
        return open(() -> DriverManager.getConnection(url));
    }

    /**
     * Opens the store on a database reached through a DataSource, such as PostgreSQL's. The store takes
     * up to four connections from it and keeps them until {@link #close()}, so a plain,
     * non-pooling DataSource serves well.
     *
     * @throws IllegalArgumentException when the database is neither H2 nor PostgreSQL
     * @throws PosUnbindException       {@link CoreErrorCode#STORE_UNAVAILABLE} when the database cannot
     *                                  be reached or its schema cannot be brought up to date
     */
    public static JdbcCaseStore create(DataSource dataSource) {
        return create(dataSource, CommitDurability.SURVIVES_POWER_LOSS);
    }

    /**
     * As {@link #create(DataSource)}, with commits as durable as asked: {@link CommitDurability#SURVIVES_POWER_LOSS}
     * (what {@link #create(DataSource)} chooses) or {@link CommitDurability#SURVIVES_PROCESS_CRASH}.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public static JdbcCaseStore create(DataSource dataSource, CommitDurability durability) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(durability, "durability");
        return open(dataSource::getConnection, durability);
    }

    private static JdbcCaseStore open(ConnectionPool.ConnectionOpener opener) {
        return open(opener, CommitDurability.SURVIVES_POWER_LOSS);
    }

    private static JdbcCaseStore open(ConnectionPool.ConnectionOpener opener, CommitDurability durability) {
        ConnectionPool pool = new ConnectionPool(DurableCommits.opener(opener, durability), POOL_SIZE,
                BORROW_TIMEOUT);
        try {
            GroupCommit.AfterCommit[] afterCommit = {GroupCommit.AfterCommit.NOTHING};
            CommitDurability[] achieved = {durability};
            pool.run(connection -> EmbeddedWrites.lockFor(connection.connection())).ifPresent(pool::serializeWrites);
            SqlDialect dialect = pool.runWriting(connection -> {
                Connection physical = connection.connection();
                SqlDialect detected = SqlDialect.fromProductName(physical.getMetaData().getDatabaseProductName());
                List<Integer> applied = new SchemaMigrator(detected, schemaScripts(detected), Clock.systemUTC())
                        .migrate(physical);
                if (applied.contains(WRITE_ONCE_PARTS_VERSION)) {
                    new CaseParts(detected).moveOut(connection);
                }
                afterCommit[0] = DurableCommits.diskSync(physical, detected, durability);
                // On H2, a user without the ADMIN right cannot force the file: the store says what it achieved.
                if (detected == SqlDialect.H2 && afterCommit[0] == GroupCommit.AfterCommit.NOTHING
                        && DurableCommits.keptInFiles(physical)) {
                    achieved[0] = CommitDurability.SURVIVES_PROCESS_CRASH;
                }
                return detected;
            });
            return new JdbcCaseStore(pool, dialect, afterCommit[0], achieved[0]);
        } catch (SQLException e) {
            pool.close();
            throw JdbcFailures.unavailable("open the case store and bring its schema up to date", e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The schema scripts this version of posunbind ships for a dialect, in order. */
    static List<SchemaScript> schemaScripts(SqlDialect dialect) {
        List<SchemaScript> scripts = new ArrayList<>();
        for (String name : SCHEMA_SCRIPTS) {
            scripts.add(SchemaScript.fromResource(JdbcCaseStore.class,
                    "/io/posunbind/store/schema/" + dialect.directory(), name));
        }
        return scripts;
    }

    /** The database this store runs on. */
    SqlDialect dialect() {
        return dialect;
    }

    @Override
    public void insert(CaseRecord record) {
        writes.insert(record);
    }

    @Override
    public Optional<CaseRecord> load(String caseId) {
        return reads.load(caseId);
    }

    @Override
    public void update(CaseRecord record, long expectedVersion) {
        writes.update(record, expectedVersion);
    }

    @Override
    public List<String> findDue(Instant now, int limit) {
        return dueWork.findDue(now, limit);
    }

    /** Two aggregate statements: the counts grouped by state and wait reason, and the oldest unclaimed wake time. */
    @Override
    public CaseCounts countCases(Instant now) {
        try {
            return pool.run(connection -> JdbcCaseCounts.count(connection, now));
        } catch (SQLException e) {
            throw JdbcFailures.failure("count cases", e);
        }
    }

    /**
     * One statement per batch claims the cases ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, its closest
     * equivalent on H2), and one more reads them, parts included, in the same transaction, so the engine runs
     * each without reading or leasing it again.
     */
    @Override
    public List<ClaimedCase> claimDue(String owner, Instant now, Duration lease, int limit) {
        return dueWork.claimDue(owner, now, lease, limit);
    }

    @Override
    public boolean renewLease(String caseId, String owner, Instant until) {
        return dueWork.renewLease(caseId, owner, until);
    }

    @Override
    public List<String> findByProviderReference(String providerId, String reference) {
        return reads.findByProviderReference(providerId, reference);
    }

    @Override
    public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
        return reads.findOpenCaseIds(providerId, terminalSerial);
    }

    @Override
    public void reschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt, Optional<String> leaseOwner,
            Optional<Instant> leaseUntil) {
        writes.reschedule(caseId, expectedVersion, wakeAt, leaseOwner, leaseUntil);
    }

    /**
     * Each part of the filter is a condition on an indexed column (schema V6 adds the wait, merchant and
     * terminal indexes); the page is the rows after the filter's position in (updated_at, case_id) order.
     */
    @Override
    public List<CaseRecord> findCases(CaseFilter filter) {
        return reads.findCases(filter);
    }

    /**
     * A nonce store for {@link CallbackVerifier} in this store's database, shared by
     * every instance on it, so a callback replayed to another instance than the one that accepted it is
     * still refused. Give it to the verifier with
     * {@code CallbackVerifier.builder().nonceStore(store.callbackNonces())}. It uses this store's
     * connections and is closed with it.
     */
    public NonceStore callbackNonces() {
        return nonces;
    }

    /**
     * Releases the store's connections: idle ones at once, ones in use as their call ends. With H2 the
     * database closes with its last connection (the store turns H2's own shutdown hook off, so close the
     * store when the application stops, after its engine). Idempotent.
     */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "JdbcCaseStore[" + dialect + ", " + durability + "]";
    }
}
