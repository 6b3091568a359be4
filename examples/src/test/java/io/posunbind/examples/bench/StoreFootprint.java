package io.posunbind.examples.bench;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.model.Document;
import io.posunbind.store.CaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * What a case costs the store: bytes on disk per waiting case after a clean close, and writes and bytes
 * written per completed case on the happy path. Run by {@link ThroughputBenchmark} with {@code mode=footprint}
 * (see the README); not a test.
 *
 * <p>Arguments: {@code store=h2|postgres}, {@code waiting=5000} (cases per wait), {@code completed=1000}
 * (happy-path cases), {@code threads=4}.
 */
final class StoreFootprint {

    private static final String CREDIT_CODE = "91310000MA1FL4B24G";
    private static final DataKeyProvider KEYS = StaticDataKeyProvider.of(DataKey.generate("bench", new SecureRandom()));

    /** The options {@link JdbcCaseStore#h2File} appends to its URL, for the counted run through a DataSource. */
    static final String H2_OPTIONS = ";WRITE_DELAY=0;RETENTION_TIME=5000;LOCK_TIMEOUT=10000"
            + ";DB_CLOSE_ON_EXIT=FALSE;COMPRESS=TRUE;MAX_COMPACT_TIME=5000";

    private StoreFootprint() {
    }

    static void run(String storeKind, int waiting, int completed, int threads) throws Exception {
        EmbeddedPostgres postgres = storeKind.equals("postgres")
                ? EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start() : null;
        try {
            waitingCases(storeKind, postgres, "FEE_CONSENT", waiting, threads);
            waitingCases(storeKind, postgres, "INSTITUTION_DECISION", waiting, threads);
            happyPath(storeKind, postgres, completed, threads);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** Opens {@code count} cases that stop waiting for {@code wait}, closes the store and measures it. */
    private static void waitingCases(String storeKind, EmbeddedPostgres postgres, String wait, int count, int threads)
            throws Exception {
        // Twice the terminals: on PostgreSQL a second round measures what a case costs once dead versions are reused.
        SandboxBackend sandbox = sandbox(2 * count, wait.equals("FEE_CONSENT"), CompletionPolicy.manual());
        Path directory = Files.createTempDirectory("posunbind-footprint");
        try {
            if (postgres != null) {
                resetPostgres(postgres);
            }
            JdbcCaseStore store = postgres == null ? JdbcCaseStore.h2File(directory.resolve("data"), KEYS)
                    : JdbcCaseStore.create(postgres.getPostgresDatabase());
            Map<String, Integer> waits;
            try (store; Unbinder unbinder = unbinder(store, sandbox)) {
                waits = open(unbinder, count, threads);
            }
            if (postgres == null) {
                long file = Files.size(directory.resolve("data").resolve("posunbind.mv.db"));
                Map<String, Long> parts = h2Parts(directory.resolve("data"));
                System.out.printf(Locale.ROOT, "store=h2 waiting=%s cases=%d waits=%s file-after-close=%d bytes"
                        + " (%.0f bytes/case) %s%n", wait, count, waits, file, file / (double) count, parts);
            } else {
                DataSource database = postgres.getPostgresDatabase();
                Map<String, Long> tables = postgresParts(database);
                long total = tables.entrySet().stream().filter(e -> e.getKey().startsWith("table "))
                        .mapToLong(Map.Entry::getValue).sum();
                // At rest in a running database: autovacuum's plain VACUUM leaves the file as it is but lets later
                // writes reuse the dead versions, so a second round of as many cases costs only what it adds.
                long afterFirst = vacuumedSize(database, "VACUUM");
                try (JdbcCaseStore again = JdbcCaseStore.create(database); Unbinder more = unbinder(again, sandbox)) {
                    open(more, count, count, threads);
                }
                long afterSecond = vacuumedSize(database, "VACUUM");
                long vacuumed = vacuumedSize(database, "VACUUM FULL");
                Map<String, Long> vacuumedTables = postgresParts(database);
                System.out.printf(Locale.ROOT, "store=postgres waiting=%s cases=%d waits=%s total-relation-size=%d bytes"
                        + " (%.0f bytes/case as written; %.0f bytes/case for %d more after a plain VACUUM, as"
                        + " autovacuum runs; after VACUUM FULL %.0f bytes/case) %s after VACUUM FULL %s%n", wait, count,
                        waits, total, total / (double) count, (afterSecond - afterFirst) / (double) count, count,
                        vacuumed / (2.0 * count), tables, vacuumedTables);
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    /** Completes {@code count} cases through a store whose writes are counted at the JDBC boundary. */
    private static void happyPath(String storeKind, EmbeddedPostgres postgres, int count, int threads)
            throws Exception {
        int warmUp = Math.max(50, count / 10);
        SandboxBackend sandbox = sandbox(warmUp + count, false, CompletionPolicy.immediate());
        Path directory = Files.createTempDirectory("posunbind-footprint");
        WriteCounter counter = new WriteCounter();
        try {
            DataSource target;
            String url = "jdbc:h2:file:" + directory.resolve("data").resolve("posunbind") + H2_OPTIONS;
            if (postgres != null) {
                resetPostgres(postgres);
                target = postgres.getPostgresDatabase();
            } else {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL(url);
                target = h2;
            }
            try (JdbcCaseStore store = JdbcCaseStore.create(counter.wrap(target));
                    Unbinder unbinder = unbinder(store, sandbox)) {
                open(unbinder, 0, warmUp, threads);
                long statementsBefore = counter.statements();
                long bytesBefore = counter.bytes();
                long caseRowWritesBefore = counter.caseRowWrites();
                long commitsBefore = counter.commits();
                long physicalBefore = physicalBytesWritten(target, postgres != null);
                Map<String, Integer> outcomes = open(unbinder, warmUp, count, threads);
                long physical = physicalBytesWritten(target, postgres != null) - physicalBefore;
                System.out.printf(Locale.ROOT, "store=%s happy-path cases=%d outcomes=%s writes/case=%.2f"
                        + " case-row-writes/case=%.2f commits/case=%.2f value-bytes/case=%.0f %s/case=%.0f%n",
                        storeKind, count, outcomes, (counter.statements() - statementsBefore) / (double) count,
                        (counter.caseRowWrites() - caseRowWritesBefore) / (double) count,
                        (counter.commits() - commitsBefore) / (double) count,
                        (counter.bytes() - bytesBefore) / (double) count,
                        postgres != null ? "wal-bytes" : "h2-file-write-bytes", physical / (double) count);
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    private static SandboxBackend sandbox(int count, boolean fees, CompletionPolicy policy) {
        SandboxBackend sandbox = new SandboxBackend();
        sandbox.setCompletionPolicy(policy);
        for (int i = 0; i < count; i++) {
            String merchant = String.format("M%09d", i);
            sandbox.addMerchant(merchant, "商户" + i, CREDIT_CODE, "法人" + i);
            if (!fees) {
                sandbox.setFees(merchant, List.of());
            }
            sandbox.addTerminal(serial(i), "PAX A920", merchant);
        }
        return sandbox;
    }

    private static Unbinder unbinder(CaseStore store, SandboxBackend sandbox) {
        return Unbinder.builder().store(store).provider(new SandboxProvider(sandbox)).withoutDiscovery()
                .instanceId("footprint").dataKeys(KEYS).build();
    }

    private static Map<String, Integer> open(Unbinder unbinder, int count, int threads) throws Exception {
        return open(unbinder, 0, count, threads);
    }

    /** Opens cases {@code from .. from+count-1}; returns how many ended in each state (and wait). */
    private static Map<String, Integer> open(Unbinder unbinder, int from, int count, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        Map<String, Integer> outcomes = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < from + count; i = next.getAndIncrement()) {
                    String outcome;
                    try {
                        CaseSnapshot snapshot = unbinder.open(CaseId.of("footprint-" + i), request(i));
                        outcome = snapshot.state() + snapshot.waitingFor().map(reason -> "/" + reason).orElse("");
                    } catch (RuntimeException e) {
                        outcome = e.getClass().getSimpleName();
                    }
                    synchronized (outcomes) {
                        outcomes.merge(outcome, 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        return outcomes;
    }

    /** The file's size after close and, while open again, the average stored document. */
    private static Map<String, Long> h2Parts(Path directory) throws SQLException {
        Map<String, Long> parts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("posunbind")
                + ";ACCESS_MODE_DATA=r");
                Statement statement = connection.createStatement()) {
            parts.put("avg-row-chars", single(statement, "SELECT CAST(AVG(LENGTH(document)) AS BIGINT)"
                    + " FROM posunbind_case"));
            for (String table : tables(statement, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC'")) {
                parts.put("table " + table.toLowerCase(Locale.ROOT),
                        single(statement, "SELECT DISK_SPACE_USED('" + table + "')"));
            }
        }
        return parts;
    }

    private static Map<String, Long> postgresParts(DataSource dataSource) throws SQLException {
        Map<String, Long> parts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
            parts.put("avg-row-bytes", single(statement, "SELECT CAST(AVG(pg_column_size(c.*)) AS BIGINT)"
                    + " FROM posunbind_case c"));
            for (String table : tables(statement, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                parts.put("table " + table, single(statement, "SELECT pg_total_relation_size('" + table + "')"));
                parts.put("indexes " + table, single(statement, "SELECT pg_indexes_size('" + table + "')"));
                parts.put("toast " + table, single(statement, "SELECT COALESCE(pg_total_relation_size("
                        + "NULLIF(reltoastrelid, 0)), 0) FROM pg_class WHERE relname = '" + table + "'"));
            }
        }
        return parts;
    }

    /**
     * The tables' total size after {@code vacuum}: {@code VACUUM FULL} leaves the live rows alone, without the dead
     * versions that updates leave (PostgreSQL's counterpart of H2's compaction on close); a plain {@code VACUUM}
     * keeps the file's size and marks the dead versions' room free for later writes.
     */
    private static long vacuumedSize(DataSource dataSource, String vacuum) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(vacuum);
            return single(statement, "SELECT CAST(SUM(pg_total_relation_size(quote_ident(tablename))) AS BIGINT)"
                    + " FROM pg_tables WHERE schemaname = 'public'");
        }
    }

    /** Bytes the database wrote so far: H2's file writes, PostgreSQL's write-ahead log. */
    static long physicalBytesWritten(DataSource dataSource, boolean postgres) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (postgres) {
                return single(statement, "SELECT CAST(wal_bytes AS BIGINT) FROM pg_stat_wal");
            }
            return single(statement, "SELECT CAST(SETTING_VALUE AS BIGINT) FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'info.FILE_WRITE_BYTES'");
        }
    }

    private static void resetPostgres(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
    }

    private static List<String> tables(Statement statement, String sql) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static UnbindRequest request(int i) {
        return UnbindRequest.builder()
                .provider(SandboxProvider.ID)
                .merchantNumber(String.format("M%09d", i))
                .terminalSerial(serial(i))
                .reason(UnbindReason.DEVICE_FAULTY)
                .scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("bench"))
                .documents(new Document.BusinessLicence(CREDIT_CODE, "商户" + i),
                        new Document.TerminalInformation(serial(i), "PAX A920"))
                .build();
    }

    private static String serial(int i) {
        return String.format("SN%08d", i);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
