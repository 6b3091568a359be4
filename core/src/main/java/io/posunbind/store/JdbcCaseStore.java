package io.posunbind.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.callback.NonceStore;
import io.posunbind.internal.store.CaseParts;
import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.DocumentParts;
import io.posunbind.internal.store.DueClaims;
import io.posunbind.internal.store.DurableCommits;
import io.posunbind.internal.store.GroupCommit;
import io.posunbind.internal.store.JdbcLimitBoard;
import io.posunbind.internal.store.JdbcNonceStore;
import io.posunbind.internal.store.SchemaMigrator;
import io.posunbind.internal.store.SchemaScript;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.internal.store.SqlStates;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * themselves per limited provider in {@code posunbind_provider_share} (schema V10), each taking an even
 * share of the provider's declared limits (see the README's section on provider limits).
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
     *   committed steps and, worse, left H2's indexes out of step with its rows after a kill.
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

    private static final String CASE_COLUMNS = "case_id, version, state, provider_id, merchant_number, "
            + "terminal_serial, is_open, wake_at, created_at, updated_at, document, lease_owner, lease_until, "
            + "events_pending, wait_reason, waiting_since, part_layout";
    /** A case row's columns, then its write-once parts (schema V8), one result row per part. */
    private static final String CASE_WITH_PARTS = "c." + CASE_COLUMNS.replace(", ", ", c.")
            + ", p.name, p.content";
    private static final String INSERT = "INSERT INTO posunbind_case (" + CASE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE posunbind_case SET version = ?, state = ?, provider_id = ?, "
            + "merchant_number = ?, terminal_serial = ?, is_open = ?, wake_at = ?, created_at = ?, updated_at = ?, "
            + "document = ?, lease_owner = ?, lease_until = ?, events_pending = ?, wait_reason = ?, waiting_since = ?,"
            + " part_layout = ? WHERE case_id = ? AND version = ?";
    /** A poll that found nothing new: the wake time and the lease change, the document and update time stay. */
    private static final String RESCHEDULE = "UPDATE posunbind_case SET version = ?, wake_at = ?, lease_owner = ?,"
            + " lease_until = ? WHERE case_id = ? AND version = ?";
    private static final String RENEW_LEASE = "UPDATE posunbind_case SET lease_until = ?"
            + " WHERE case_id = ? AND lease_owner = ?";
    private static final String FIND_PENDING_EVENTS = "SELECT case_id FROM posunbind_case WHERE events_pending = TRUE"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY updated_at, case_id LIMIT ?";
    /** One statement, so the row and its parts are of one version even while a writer changes them. */
    private static final String LOAD = "SELECT " + CASE_WITH_PARTS + " FROM posunbind_case c"
            + " LEFT JOIN posunbind_case_part p ON p.case_id = c.case_id WHERE c.case_id = ?";
    private static final String FIND_DUE = "SELECT case_id FROM posunbind_case WHERE is_open = TRUE AND wake_at <= ?"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY wake_at, case_id LIMIT ?";
    private static final String FIND_OPEN = "SELECT case_id FROM posunbind_case"
            + " WHERE provider_id = ? AND terminal_serial = ? AND is_open = TRUE ORDER BY case_id";
    /** H2 has no partial index: it finds a terminal's open case through the generated column of schema V3. */
    private static final String FIND_OPEN_H2 = "SELECT case_id FROM posunbind_case WHERE open_terminal = ?"
            + " AND provider_id = ? AND terminal_serial = ? ORDER BY case_id";
    /** Schema V7: a provider's references of a case, written once, with the write that first carries them. */
    private static final String INDEX_REFERENCE = "INSERT INTO posunbind_provider_reference (provider_id, reference,"
            + " case_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    /**
     * H2 has no ON CONFLICT, and its MERGE would rewrite every existing row on every case update: insert only
     * what is missing. No other writer adds the same row meanwhile: an update holds the case's row, and an
     * inserted case is new.
     */
    private static final String INDEX_REFERENCE_H2 = "INSERT INTO posunbind_provider_reference (provider_id,"
            + " reference, case_id) SELECT ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM"
            + " posunbind_provider_reference WHERE provider_id = ? AND reference = ? AND case_id = ?)";
    private static final String FIND_BY_REFERENCE = "SELECT case_id FROM posunbind_provider_reference"
            + " WHERE provider_id = ? AND reference = ? ORDER BY case_id";


    /** Schema scripts in each dialect's folder; add a line per new version, never change a shipped one. */
    private static final List<String> SCHEMA_SCRIPTS = List.of("V1__cases.sql", "V2__leases_and_outbox.sql",
            "V3__one_open_case_per_terminal.sql", "V4__drop_terminal_index.sql", "V5__callback_nonces.sql",
            "V6__find_stuck_cases.sql", "V7__provider_references.sql", "V8__write_once_parts.sql",
            "V10__provider_limit_shares.sql");

    /** The schema version that keeps write-once values apart; cases stored before it are moved when it is applied. */
    private static final int WRITE_ONCE_PARTS_VERSION = 8;

    private final ConnectionPool pool;
    private final GroupCommit writes;
    private final JdbcNonceStore nonces;
    private final SqlDialect dialect;
    private final CaseParts parts;
    private final DueClaims claims;
    private final JdbcLimitBoard limitBoard;
    private DataKeyProvider defaultKeys;

    static {
        // The engine finds the board through core's internals, so it stays off this class's public API.
        StoreInternals.registerLimitBoards(store -> store instanceof JdbcCaseStore jdbc
                ? Optional.of(jdbc.limitBoard) : Optional.empty());
    }

    private JdbcCaseStore(ConnectionPool pool, SqlDialect dialect) {
        this.pool = pool;
        // H2 writes its file under one lock, so one batch at a time; PostgreSQL runs statements of several
        // connections in parallel, and a single batch at a time measured a quarter slower there. One
        // connection stays free of batches for loads and lease renewals.
        this.writes = new GroupCommit(pool, MAX_WRITES_PER_COMMIT, dialect == SqlDialect.H2 ? 1 : POOL_SIZE - 1);
        this.dialect = dialect;
        this.parts = new CaseParts(dialect);
        this.claims = new DueClaims(dialect);
        this.nonces = new JdbcNonceStore(pool);
        this.limitBoard = new JdbcLimitBoard(pool);
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
     * <p>Every commit is written to the file before the call returns, so a killed process loses no
     * committed step; a power failure can still lose what the operating system had not yet flushed.
     * Choose PostgreSQL for many instances or where that is not acceptable.
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
        Objects.requireNonNull(dataSource, "dataSource");
        return open(dataSource::getConnection);
    }

    private static JdbcCaseStore open(ConnectionPool.ConnectionOpener opener) {
        ConnectionPool pool = new ConnectionPool(DurableCommits.opener(opener), POOL_SIZE, BORROW_TIMEOUT);
        try {
            SqlDialect dialect = pool.run(connection -> {
                Connection physical = connection.connection();
                SqlDialect detected = SqlDialect.fromProductName(physical.getMetaData().getDatabaseProductName());
                List<Integer> applied = new SchemaMigrator(detected, schemaScripts(detected), Clock.systemUTC())
                        .migrate(physical);
                if (applied.contains(WRITE_ONCE_PARTS_VERSION)) {
                    new CaseParts(detected).moveOut(connection);
                }
                return detected;
            });
            return new JdbcCaseStore(pool, dialect);
        } catch (SQLException e) {
            pool.close();
            throw unavailable("open the case store and bring its schema up to date", e);
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
        CaseStoreRules.checkInsert(record);
        DocumentParts.Split split = DocumentParts.split(record.document());
        Map<String, String> none = Map.of();
        Map<String, String>[] stored = newDigests();
        try {
            write(record, split, Optional.of(none), connection -> {
                PreparedStatement insert = connection.prepare(INSERT);
                insert.setString(1, record.caseId());
                insert.setLong(2, record.version());
                setCaseFields(insert, 3, record, split);
                int inserted = insert.executeUpdate();
                stored[0] = parts.write(connection, record.caseId(), split, Optional.of(none));
                indexReferences(connection, record);
                return inserted;
            });
            parts.remember(record.caseId(), record.version(), stored[0]);
        } catch (SQLException e) {
            parts.forget(record.caseId());
            // CaseRecord guarantees every NOT NULL column a value, so the constraints an insert can break
            // are the primary key and the one open case per terminal; both mean a duplicate case.
            if (SqlStates.isIntegrityViolation(e)) {
                throw CaseStoreRules.duplicateCase(record.caseId());
            }
            throw failure("insert case " + record.caseId(), e);
        }
    }

    @Override
    public Optional<CaseRecord> load(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        try {
            return pool.run(connection -> {
                PreparedStatement load = connection.prepare(LOAD);
                load.setString(1, caseId);
                List<CaseRecord> cases = readCases(load);
                return cases.isEmpty() ? Optional.<CaseRecord>empty() : Optional.of(cases.get(0));
            });
        } catch (SQLException e) {
            throw failure("load case " + caseId, e);
        }
    }

    @Override
    public void update(CaseRecord record, long expectedVersion) {
        CaseStoreRules.checkUpdate(record, expectedVersion);
        DocumentParts.Split split = DocumentParts.split(record.document());
        Optional<Map<String, String>> known = parts.known(record.caseId(), expectedVersion);
        Map<String, String>[] stored = newDigests();
        int updated;
        try {
            updated = write(record, split, known, connection -> {
                PreparedStatement update = connection.prepare(UPDATE);
                update.setLong(1, record.version());
                setCaseFields(update, 2, record, split);
                update.setString(17, record.caseId());
                update.setLong(18, expectedVersion);
                int changed = update.executeUpdate();
                if (changed == 1) {
                    // The update holds the case's row, so no other writer of this case writes its parts or
                    // indexes its references at once.
                    stored[0] = parts.write(connection, record.caseId(), split, known);
                    indexReferences(connection, record);
                }
                return changed;
            });
        } catch (SQLException e) {
            parts.forget(record.caseId());
            throw failure("update case " + record.caseId(), e);
        } catch (RuntimeException e) {
            parts.forget(record.caseId());
            throw e;
        }
        if (updated == 0) {
            parts.forget(record.caseId());
            throw new StaleCaseVersionException(record.caseId(), expectedVersion);
        }
        parts.remember(record.caseId(), record.version(), stored[0]);
    }

    @Override
    public List<String> findDue(Instant now, int limit) {
        long cutoff = CaseStoreRules.epochMillis(now, "now");
        CaseStoreRules.checkLimit(limit);
        try {
            return pool.run(connection -> {
                PreparedStatement query = connection.prepare(FIND_DUE);
                query.setLong(1, cutoff);
                query.setLong(2, cutoff);
                query.setInt(3, limit);
                List<String> due = new ArrayList<>(readIds(query));
                if (due.size() < limit) {
                    PreparedStatement pending = connection.prepare(FIND_PENDING_EVENTS);
                    pending.setLong(1, cutoff);
                    pending.setInt(2, limit - due.size());
                    for (String id : readIds(pending)) {
                        if (!due.contains(id)) {
                            due.add(id);
                        }
                    }
                }
                return List.copyOf(due);
            });
        } catch (SQLException e) {
            throw failure("find due cases", e);
        }
    }

    /**
     * One statement per batch claims the cases ({@link DueClaims}: {@code FOR UPDATE SKIP LOCKED} on
     * PostgreSQL, its closest equivalent on H2), and one more reads them, parts included, in the same
     * transaction, so the engine runs each without reading or leasing it again.
     */
    @Override
    public List<ClaimedCase> claimDue(String owner, Instant now, Duration lease, int limit) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        long cutoff = CaseStoreRules.epochMillis(now, "now");
        long until = CaseStoreRules.epochMillis(Instant.ofEpochMilli(cutoff).plus(lease), "lease");
        CaseStoreRules.checkLimit(limit);
        try {
            return pool.run(connection -> {
                Connection physical = connection.connection();
                physical.setAutoCommit(false);
                try {
                    Map<String, Optional<String>> claimed = claims.claim(connection, owner, cutoff, until, limit);
                    List<CaseRecord> records = claimed.isEmpty() ? List.of() : readClaimed(connection, claimed);
                    physical.commit();
                    return records.stream().sorted(claimOrder(cutoff))
                            .map(record -> new ClaimedCase(record, claimed.get(record.caseId()))).toList();
                } catch (SQLException | RuntimeException e) {
                    physical.rollback();
                    throw e;
                } finally {
                    physical.setAutoCommit(true);
                }
            });
        } catch (SQLException e) {
            throw failure("claim due cases", e);
        }
    }

    /** Due cases by wake time, then the cases claimed for their pending events by update time, as findDue. */
    private static Comparator<CaseRecord> claimOrder(long now) {
        Instant cutoff = Instant.ofEpochMilli(now);
        return Comparator.comparing((CaseRecord record) -> !(record.open()
                        && record.wakeAt().filter(wake -> !wake.isAfter(cutoff)).isPresent()))
                .thenComparing(record -> record.open() && record.wakeAt().isPresent()
                        && !record.wakeAt().get().isAfter(cutoff) ? record.wakeAt().get() : record.updatedAt())
                .thenComparing(CaseRecord::caseId);
    }

    private List<CaseRecord> readClaimed(ConnectionPool.PooledConnection connection,
            Map<String, Optional<String>> claimed) throws SQLException {
        String marks = String.join(", ", Collections.nCopies(claimed.size(), "?"));
        // Ordered by case id so that a case's rows (one per part) come together, as readCases needs.
        try (PreparedStatement read = connection.connection().prepareStatement("SELECT " + CASE_WITH_PARTS
                + " FROM posunbind_case c LEFT JOIN posunbind_case_part p ON p.case_id = c.case_id"
                + " WHERE c.case_id IN (" + marks + ") ORDER BY c.case_id")) {
            int index = 1;
            for (String caseId : claimed.keySet()) {
                read.setString(index++, caseId);
            }
            return readCases(read);
        }
    }

    @Override
    public boolean renewLease(String caseId, String owner, Instant until) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(owner, "owner");
        long untilMillis = CaseStoreRules.epochMillis(until, "until");
        try {
            return pool.run(connection -> {
                PreparedStatement renew = connection.prepare(RENEW_LEASE);
                renew.setLong(1, untilMillis);
                renew.setString(2, caseId);
                renew.setString(3, owner);
                return renew.executeUpdate() == 1;
            });
        } catch (SQLException e) {
            throw failure("renew the lease of case " + caseId, e);
        }
    }

    /**
     * Runs an insert or update of the record; one that also writes parts or indexes provider references has
     * several statements, which must commit together also when the write runs alone.
     */
    private <T> T write(CaseRecord record, DocumentParts.Split split, Optional<Map<String, String>> known,
            GroupCommit.Write<T> write) throws SQLException {
        boolean partsUnchanged = known.isPresent() && known.get().equals(digests(split));
        return record.providerReferences().isEmpty() && partsUnchanged ? writes.run(record.caseId(), write)
                : writes.runStatements(record.caseId(), write);
    }

    private static Map<String, String> digests(DocumentParts.Split split) {
        Map<String, String> digests = new HashMap<>();
        for (DocumentParts.Part part : split.parts()) {
            digests.put(part.name(), part.digest());
        }
        return digests;
    }

    /** Where a write lambda leaves the digests of the parts it stored (its last run is the one committed). */
    @SuppressWarnings("unchecked")
    private static Map<String, String>[] newDigests() {
        return new Map[] {Map.of()};
    }

    /** Indexes the record's provider references in the write's own transaction. */
    private void indexReferences(ConnectionPool.PooledConnection connection, CaseRecord record) throws SQLException {
        if (record.providerReferences().isEmpty()) {
            return;
        }
        PreparedStatement index = connection.prepare(dialect == SqlDialect.H2 ? INDEX_REFERENCE_H2 : INDEX_REFERENCE);
        index.clearBatch();
        // Sorted, so two writes of different cases take the index's entries in one order.
        for (String reference : record.providerReferences().stream().sorted().toList()) {
            index.setString(1, record.providerId());
            index.setString(2, reference);
            index.setString(3, record.caseId());
            if (dialect == SqlDialect.H2) {
                index.setString(4, record.providerId());
                index.setString(5, reference);
                index.setString(6, record.caseId());
            }
            index.addBatch();
        }
        index.executeBatch();
    }

    @Override
    public List<String> findByProviderReference(String providerId, String reference) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(reference, "reference");
        try {
            return pool.run(connection -> {
                PreparedStatement query = connection.prepare(FIND_BY_REFERENCE);
                query.setString(1, providerId);
                query.setString(2, reference);
                return readIds(query);
            });
        } catch (SQLException e) {
            throw failure("find cases by a provider reference", e);
        }
    }

    @Override
    public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        try {
            return pool.run(connection -> {
                PreparedStatement query;
                if (dialect == SqlDialect.H2) {
                    query = connection.prepare(FIND_OPEN_H2);
                    query.setString(1, providerId + "|" + terminalSerial);
                    query.setString(2, providerId);
                    query.setString(3, terminalSerial);
                } else {
                    query = connection.prepare(FIND_OPEN);
                    query.setString(1, providerId);
                    query.setString(2, terminalSerial);
                }
                return readIds(query);
            });
        } catch (SQLException e) {
            throw failure("find the open cases of a terminal", e);
        }
    }

    @Override
    public void reschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt, Optional<String> leaseOwner,
            Optional<Instant> leaseUntil) {
        CaseStoreRules.checkReschedule(caseId, expectedVersion, wakeAt, leaseOwner, leaseUntil);
        int updated;
        try {
            updated = writes.run(caseId, connection -> {
                PreparedStatement reschedule = connection.prepare(RESCHEDULE);
                reschedule.setLong(1, expectedVersion + 1);
                setMillisOrNull(reschedule, 2, wakeAt);
                reschedule.setString(3, leaseOwner.orElse(null));
                setMillisOrNull(reschedule, 4, leaseUntil);
                reschedule.setString(5, caseId);
                reschedule.setLong(6, expectedVersion);
                return reschedule.executeUpdate();
            });
        } catch (SQLException e) {
            parts.forget(caseId);
            throw failure("reschedule case " + caseId, e);
        }
        if (updated == 0) {
            parts.forget(caseId);
            throw new StaleCaseVersionException(caseId, expectedVersion);
        }
        parts.advance(caseId, expectedVersion);
    }

    /**
     * Each part of the filter is a condition on an indexed column (schema V6 adds the wait, merchant and
     * terminal indexes); the page is the rows after the filter's position in (updated_at, case_id) order.
     */
    @Override
    public List<CaseRecord> findCases(CaseFilter filter) {
        Objects.requireNonNull(filter, "filter");
        // The page of case rows is chosen first, then joined with its parts: one statement, one version each.
        StringBuilder sql = new StringBuilder("SELECT " + CASE_WITH_PARTS + " FROM (SELECT " + CASE_COLUMNS
                + " FROM posunbind_case WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        condition(sql, values, " AND state = ?", filter.state());
        condition(sql, values, " AND wait_reason = ?", filter.waitReason());
        condition(sql, values, " AND waiting_since < ?", millis(filter.waitingSinceBefore(), "waitingSinceBefore"));
        condition(sql, values, " AND waiting_since > ?", millis(filter.waitingSinceAfter(), "waitingSinceAfter"));
        condition(sql, values, " AND provider_id = ?", filter.providerId());
        condition(sql, values, " AND merchant_number = ?", filter.merchantNumber());
        condition(sql, values, " AND terminal_serial = ?", filter.terminalSerial());
        condition(sql, values, " AND updated_at < ?", millis(filter.updatedBefore(), "updatedBefore"));
        if (filter.after().isPresent()) {
            long updatedAt = CaseStoreRules.epochMillis(filter.after().get().updatedAt(), "after");
            sql.append(" AND (updated_at > ? OR (updated_at = ? AND case_id > ?))");
            values.add(updatedAt);
            values.add(updatedAt);
            values.add(filter.after().get().caseId());
        }
        sql.append(" ORDER BY updated_at, case_id LIMIT ?) c LEFT JOIN posunbind_case_part p"
                + " ON p.case_id = c.case_id ORDER BY c.updated_at, c.case_id");
        values.add(filter.limit());
        try {
            return pool.run(connection -> {
                // Operators' queries are rare and come in hundreds of shapes: prepared each time, not cached.
                try (PreparedStatement query = connection.connection().prepareStatement(sql.toString())) {
                    for (int i = 0; i < values.size(); i++) {
                        query.setObject(i + 1, values.get(i));
                    }
                    return readCases(query);
                }
            });
        } catch (SQLException e) {
            throw failure("find cases", e);
        }
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Optional<?> value) {
        if (value.isPresent()) {
            sql.append(condition);
            values.add(value.get());
        }
    }

    private static Optional<Long> millis(Optional<Instant> instant, String what) {
        return instant.map(value -> CaseStoreRules.epochMillis(value, what));
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
        return "JdbcCaseStore[" + dialect + "]";
    }

    /**
     * Sets state through the part layout, the columns insert and update share, from parameter {@code first} on;
     * the document column gets the split's skeleton.
     */
    private static void setCaseFields(PreparedStatement statement, int first, CaseRecord record,
            DocumentParts.Split split) throws SQLException {
        statement.setString(first, record.state());
        statement.setString(first + 1, record.providerId());
        statement.setString(first + 2, record.merchantNumber());
        statement.setString(first + 3, record.terminalSerial());
        statement.setBoolean(first + 4, record.open());
        if (record.wakeAt().isPresent()) {
            statement.setLong(first + 5, record.wakeAt().get().toEpochMilli());
        } else {
            statement.setNull(first + 5, Types.BIGINT);
        }
        statement.setLong(first + 6, record.createdAt().toEpochMilli());
        statement.setLong(first + 7, record.updatedAt().toEpochMilli());
        statement.setString(first + 8, split.skeleton());
        if (record.leaseOwner().isPresent()) {
            statement.setString(first + 9, record.leaseOwner().get());
            statement.setLong(first + 10, record.leaseUntil().orElseThrow().toEpochMilli());
        } else {
            statement.setNull(first + 9, Types.VARCHAR);
            statement.setNull(first + 10, Types.BIGINT);
        }
        statement.setBoolean(first + 11, record.eventsPending());
        statement.setString(first + 12, record.waitReason().orElse(null));
        setMillisOrNull(statement, first + 13, record.waitingSince());
        statement.setString(first + 14, split.layout().orElse(null));
    }

    private static void setMillisOrNull(PreparedStatement statement, int index, Optional<Instant> instant)
            throws SQLException {
        if (instant.isPresent()) {
            statement.setLong(index, instant.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    /**
     * The cases of a query of {@link #CASE_WITH_PARTS}: a case's rows come one after the other, one per part
     * (or one with no part). Remembers the digests of each case's stored parts for its next write.
     */
    private List<CaseRecord> readCases(PreparedStatement query) throws SQLException {
        List<CaseRecord> cases = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            boolean more = rows.next();
            while (more) {
                CaseRecord whole = readCase(rows);
                String layout = rows.getString(17);
                Map<String, String> texts = new HashMap<>();
                Map<String, String> digests = new HashMap<>();
                do {
                    String name = rows.getString(18);
                    if (name != null) {
                        String text = content(whole.caseId(), rows);
                        digests.put(name, DocumentParts.digest(text));
                        texts.put(name, text);
                    }
                    more = rows.next();
                } while (more && rows.getString(1).equals(whole.caseId()));
                cases.add(layout == null ? whole : withParts(whole, layout, texts));
                parts.remember(whole.caseId(), whole.version(), digests);
            }
        }
        return cases;
    }

    private String content(String caseId, ResultSet row) throws SQLException {
        try {
            return parts.content(row, 19);
        } catch (IllegalArgumentException e) {
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Stored case " + caseId
                    + " has a part of its document that cannot be read: " + e.getMessage(), null, null);
        }
    }

    /** The record with its document whole again. */
    private static CaseRecord withParts(CaseRecord row, String layout, Map<String, String> texts) {
        String document;
        try {
            document = DocumentParts.assemble(row.document(), layout, texts);
        } catch (IllegalArgumentException e) {
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Stored case " + row.caseId()
                    + " lacks a part of its document named in its layout (" + layout + ")", null, null);
        }
        return new CaseRecord(row.caseId(), row.version(), row.state(), row.providerId(), row.merchantNumber(),
                row.terminalSerial(), row.open(), row.wakeAt(), row.createdAt(), row.updatedAt(), document,
                row.leaseOwner(), row.leaseUntil(), row.eventsPending(), row.waitReason(), row.waitingSince());
    }

    private static CaseRecord readCase(ResultSet row) throws SQLException {
        long wakeAt = row.getLong(8);
        Optional<Instant> wake = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(wakeAt));
        String leaseOwner = row.getString(12);
        long leaseUntil = row.getLong(13);
        Optional<Instant> until = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(leaseUntil));
        boolean eventsPending = row.getBoolean(14);
        Optional<String> waitReason = Optional.ofNullable(row.getString(15));
        long waitingSince = row.getLong(16);
        Optional<Instant> since = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(waitingSince));
        return new CaseRecord(row.getString(1), row.getLong(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getBoolean(7), wake, Instant.ofEpochMilli(row.getLong(9)),
                Instant.ofEpochMilli(row.getLong(10)), row.getString(11), Optional.ofNullable(leaseOwner), until,
                eventsPending, waitReason, since);
    }

    private static List<String> readIds(PreparedStatement query) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /**
     * The exception for a failed statement. Messages name the action and the SQLSTATE, never a value of
     * the case: the document may hold personal data.
     */
    private static PosUnbindException failure(String action, SQLException e) {
        if (SqlStates.isDataException(e)) {
            return new PosUnbindException(CoreErrorCode.INVALID_REQUEST, "The database rejected a value when trying to "
                    + action + " (SQLSTATE " + e.getSQLState() + "); retrying will not help", null, e);
        }
        return unavailable(action, e);
    }

    private static PosUnbindException unavailable(String action, SQLException e) {
        return new PosUnbindException(CoreErrorCode.STORE_UNAVAILABLE, "Could not " + action + " (SQLSTATE "
                + e.getSQLState() + "); check that the database is reachable and retry", null, e);
    }
}
