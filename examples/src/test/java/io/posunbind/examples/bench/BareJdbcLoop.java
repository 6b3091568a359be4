package io.posunbind.examples.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The yardstick of issue 3: a bare JDBC loop that inserts a case row and commits 8 step transitions
 * for it on H2 file, with no engine at all. Run it to see what the store alone allows on a machine:
 * {@code mvn -q -B -Pbench-bare verify -DskipTests -pl examples -Dbench.args="durable=disk"}.
 *
 * <p>Arguments (all optional): {@code durable=disk|file|delayed} ({@code disk}, the default: every commit is on
 * the disk before the loop goes on, H2's {@code WRITE_DELAY=0} and then {@code CHECKPOINT SYNC}, which forces the
 * file, as the case store does by default ({@code CommitDurability.SURVIVES_POWER_LOSS}); {@code file}: every
 * commit reaches the file but not necessarily the disk, {@code WRITE_DELAY=0} alone, as the store with
 * {@code CommitDurability.SURVIVES_PROCESS_CRASH}; {@code delayed}: H2's default, which writes commits in the
 * background up to half a second later), {@code cases=20000}, {@code threads=8}, {@code document=4000}
 * (characters of the case document each transition rewrites).
 */
public final class BareJdbcLoop {

    static final int TRANSITIONS = 8;

    private BareJdbcLoop() {
    }

    public static void main(String[] args) throws Exception {
        String durable = argument(args, "durable", "disk");
        boolean forceToDisk = durable.equals("disk");
        int cases = Integer.parseInt(argument(args, "cases", "20000"));
        int threads = Integer.parseInt(argument(args, "threads", "8"));
        int documentSize = Integer.parseInt(argument(args, "document", "4000"));
        Path directory = Files.createTempDirectory("posunbind-bare");
        try {
            double seconds = run(url(directory, !durable.equals("delayed")), 0, cases, threads, documentSize,
                    forceToDisk);
            System.out.printf(Locale.ROOT, "bare JDBC loop on H2 file: durable=%s threads=%d cases=%d"
                    + " transitions/case=%d document=%d chars elapsed=%.2fs throughput=%.0f cases/s (%.0f commits/s)%n", durable, threads,
                    cases, TRANSITIONS, documentSize, seconds, cases / seconds, cases * (TRANSITIONS + 1) / seconds);
        } finally {
            ThroughputBenchmark.deleteRecursively(directory);
        }
    }

    /**
     * The loop's H2 URL in a directory: with {@code writeAtOnce}, every commit in the file before it returns, as
     * the store runs.
     */
    static String url(Path directory, boolean writeAtOnce) {
        return "jdbc:h2:file:" + directory.resolve("bare") + (writeAtOnce ? ";WRITE_DELAY=0;RETENTION_TIME=5000" : "");
    }

    /** Creates the loop's table (once per database), on H2 or PostgreSQL. */
    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean postgres = connection.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL");
            if (!postgres) {
                statement.execute("SET MAX_LENGTH_INPLACE_LOB 65536");
            }
            statement.execute("CREATE TABLE step_case (case_id VARCHAR(255) PRIMARY KEY, version BIGINT NOT NULL,"
                    + " state VARCHAR(255) NOT NULL, document " + (postgres ? "TEXT" : "CLOB") + " NOT NULL)");
        }
    }

    /** Creates the table and runs cases {@code 0 .. cases-1}; returns the seconds they took. */
    private static double run(String url, int from, int cases, int threads, int documentSize, boolean forceToDisk)
            throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        createTable(dataSource);
        return run(dataSource, from, cases, threads, documentSize, forceToDisk);
    }

    /**
     * Runs cases {@code from .. from+cases-1}, each a connection's insert and {@value #TRANSITIONS} updates
     * committed one by one (with {@code forceToDisk}, each forced to the disk after its commit), on {@code threads}
     * threads with a connection each; returns the seconds they took.
     */
    static double run(DataSource dataSource, int from, int cases, int threads, int documentSize, boolean forceToDisk)
            throws Exception {
        String document = "x".repeat(documentSize);
        AtomicInteger next = new AtomicInteger(from);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    runCases(dataSource, document, next, from + cases, forceToDisk);
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void runCases(DataSource dataSource, String document, AtomicInteger next, int end,
            boolean forceToDisk) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement force = connection.createStatement()) {
            connection.setAutoCommit(false);
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO step_case (case_id, version, state, document) VALUES (?, 1, 'OPEN', ?)");
            PreparedStatement update = connection.prepareStatement(
                    "UPDATE step_case SET version = ?, state = ?, document = ? WHERE case_id = ? AND version = ?");
            for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
                String caseId = "case-" + i;
                insert.setString(1, caseId);
                insert.setString(2, document);
                insert.executeUpdate();
                commit(connection, force, forceToDisk);
                for (int step = 1; step <= TRANSITIONS; step++) {
                    update.setLong(1, step + 1);
                    update.setString(2, "STEP_" + step);
                    update.setString(3, document);
                    update.setString(4, caseId);
                    update.setLong(5, step);
                    if (update.executeUpdate() != 1) {
                        throw new IllegalStateException("lost an update of " + caseId);
                    }
                    commit(connection, force, forceToDisk);
                }
            }
        }
    }

    /** Commits; with {@code forceToDisk}, then forces H2's file to the disk, as the case store does by default. */
    private static void commit(Connection connection, Statement force, boolean forceToDisk) throws SQLException {
        connection.commit();
        if (forceToDisk) {
            force.execute("CHECKPOINT SYNC");
        }
    }

    private static String argument(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
