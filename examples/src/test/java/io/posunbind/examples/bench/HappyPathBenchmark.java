package io.posunbind.examples.bench;

import static io.posunbind.examples.bench.ThroughputBenchmark.argument;

import com.sun.management.OperatingSystemMXBean;
import io.posunbind.Unbinder;
import io.posunbind.store.CommitDurability;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The happy path on H2 with every step durable, next to the bare JDBC loop, in one invocation: the loop
 * ({@link BareJdbcLoop}: an insert and {@value BareJdbcLoop#TRANSITIONS} updates per case, each committed
 * alone and forced to the disk) and then the engine (10 steps against the zero-latency sandbox, through {@link JdbcCaseStore}), each
 * on a fresh H2 file, with the same case count and threads. For each: cases per second; per case the
 * statements that change rows, the writes of the case's row and the commits (counted at the JDBC boundary by
 * {@link WriteCounter}), the bytes of values sent, and the bytes H2 wrote to its file. Run by
 * {@link ThroughputBenchmark} with {@code mode=happy}
 * ({@code cases=5000 threads=16 document=4000 rounds=1 compress=true durable=disk}); each round runs both, the
 * loop first. {@code durable=disk}: every commit of both is on the disk before it returns (the loop forces H2's
 * file after each of its commits, the store after each group commit, as it does by default); {@code durable=file}:
 * every commit of both reaches the file only ({@code CommitDurability.SURVIVES_PROCESS_CRASH}), where a commit costs
 * processor time alone and sharing it gains little;
 * {@code store=postgres} runs both on an embedded PostgreSQL with {@code synchronous_commit} on instead;
 * {@code compress=false} runs the engine's H2 without page compression; {@code store=memory} the engine on its
 * in-memory store instead (no database: what the engine itself costs); {@code h2=;NAME=value} appends options
 * to the engine's H2 URL, for experiments; {@code detail=true} prints the engine's statements that change rows,
 * each with its count and bytes per case. The processor time per case is the
 * whole JVM's, steadier than the wall clock on a shared machine. A warm-up of a
 * tenth of the cases runs first on each file and is not counted. Not a test: nothing is asserted.
 */
final class HappyPathBenchmark {

    private HappyPathBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int cases = Integer.parseInt(argument(args, "cases", "5000"));
        int threads = Integer.parseInt(argument(args, "threads", "16"));
        int documentSize = Integer.parseInt(argument(args, "document", "4000"));
        int rounds = Integer.parseInt(argument(args, "rounds", "1"));
        boolean compress = Boolean.parseBoolean(argument(args, "compress", "true"));
        String storeKind = argument(args, "store", "h2");
        boolean inMemory = storeKind.equals("memory");
        String extraOptions = argument(args, "h2", "");
        boolean detail = Boolean.parseBoolean(argument(args, "detail", "false"));
        boolean toDisk = argument(args, "durable", "disk").equals("disk");
        System.out.println("args: " + String.join(" ", args));
        if (storeKind.equals("postgres")) {
            onPostgres(cases, threads, documentSize, rounds);
            return;
        }
        for (int round = 1; round <= rounds; round++) {
            Figures bare = bareLoop(cases, threads, documentSize, toDisk);
            Figures engine = inMemory ? engineInMemory(cases, threads)
                    : engine(cases, threads, compress, extraOptions, detail, toDisk);
            System.out.println(bare.line("round " + round + " bare JDBC loop (H2 file, WRITE_DELAY=0"
                    + (toDisk ? ", forced to disk after each commit)" : ", not forced to disk)")));
            System.out.println(engine.line("round " + round
                    + (inMemory ? " engine (in-memory store)" : " engine (JdbcCaseStore on H2 file)")));
            System.out.printf(Locale.ROOT, "round %d engine/bare: %.2fx cases/s%n", round,
                    engine.casesPerSecond() / bare.casesPerSecond());
        }
    }

    /** What one run measured over its counted cases. */
    private record Figures(int cases, int threads, int completed, double seconds, double cpuSeconds, Counts written,
            long fileBytes) {

        double casesPerSecond() {
            return completed / seconds;
        }

        String line(String what) {
            return String.format(Locale.ROOT, "%s: threads=%d cases=%d completed=%d elapsed=%.2fs throughput=%.0f"
                    + " cases/s cpu-ms/case=%.2f writes/case=%.2f case-row-writes/case=%.2f commits/case=%.2f"
                    + " forcings-to-disk/case=%.2f value-bytes/case=%.0f h2-file-write-bytes/case=%.0f", what, threads,
                    cases, completed, seconds, casesPerSecond(), cpuSeconds * 1000 / cases,
                    written.statements() / (double) cases, written.caseRowWrites() / (double) cases,
                    written.commits() / (double) cases, written.forcings() / (double) cases,
                    written.valueBytes() / (double) cases,
                    fileBytes / (double) cases);
        }
    }

    /** A {@link WriteCounter}'s counts at one moment, or between two. */
    private record Counts(long statements, long caseRowWrites, long commits, long forcings, long valueBytes) {

        static Counts of(WriteCounter counter) {
            return new Counts(counter.statements(), counter.caseRowWrites(), counter.commits(), counter.forcings(),
                    counter.bytes());
        }

        Counts since(Counts before) {
            return new Counts(statements - before.statements, caseRowWrites - before.caseRowWrites,
                    commits - before.commits, forcings - before.forcings, valueBytes - before.valueBytes);
        }
    }

    /**
     * The JVM's processor time so far: on a machine shared with other work, the processor time per case is
     * a steadier comparison than the wall clock.
     */
    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Figures bareLoop(int cases, int threads, int documentSize, boolean toDisk) throws Exception {
        Path directory = Files.createTempDirectory("posunbind-happy-bare");
        try {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(BareJdbcLoop.url(directory, true));
            // H2 closes a database with its last connection, and its count of bytes written with it.
            try (Connection open = h2.getConnection()) {
                return bareLoop(h2, cases, threads, documentSize, toDisk);
            }
        } finally {
            ThroughputBenchmark.deleteRecursively(directory);
        }
    }

    private static Figures bareLoop(JdbcDataSource h2, int cases, int threads, int documentSize, boolean toDisk)
            throws Exception {
        BareJdbcLoop.createTable(h2);
        WriteCounter counter = new WriteCounter();
        DataSource counted = counter.wrap(h2);
        int warmUp = Math.max(100, cases / 10);
        BareJdbcLoop.run(counted, 0, warmUp, threads, documentSize, toDisk);
        Counts before = Counts.of(counter);
        long file = StoreFootprint.physicalBytesWritten(h2, false);
        long cpu = processCpuNanos();
        double seconds = BareJdbcLoop.run(counted, warmUp, cases, threads, documentSize, toDisk);
        return new Figures(cases, threads, cases, seconds, (processCpuNanos() - cpu) / 1e9,
                Counts.of(counter).since(before),
                StoreFootprint.physicalBytesWritten(h2, false) - file);
    }

    /**
     * Both on one embedded PostgreSQL with {@code synchronous_commit} on (its default here is off), each on a
     * database of its own: every commit waits for the write-ahead log to reach the disk, as a production server
     * runs. The loop's 9 commits per case each wait; the store's group commit shares them.
     */
    private static void onPostgres(int cases, int threads, int documentSize, int rounds) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .start()) {
            for (int round = 1; round <= rounds; round++) {
                DataSource bareDatabase = freshDatabase(postgres, "bare_" + round);
                BareJdbcLoop.createTable(bareDatabase);
                Figures bare = bareLoopOn(bareDatabase, cases, threads, documentSize);
                Figures engine = engineOn(freshDatabase(postgres, "engine_" + round), cases, threads);
                System.out.println(bare.line("round " + round + " bare JDBC loop (PostgreSQL, synchronous_commit on)"));
                System.out.println(engine.line("round " + round + " engine (JdbcCaseStore on PostgreSQL)"));
                System.out.printf(Locale.ROOT, "round %d engine/bare: %.2fx cases/s%n", round,
                        engine.casesPerSecond() / bare.casesPerSecond());
            }
        }
    }

    private static DataSource freshDatabase(EmbeddedPostgres postgres, String name) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgres.getDatabase("postgres", name);
    }

    private static Figures bareLoopOn(DataSource database, int cases, int threads, int documentSize) throws Exception {
        WriteCounter counter = new WriteCounter();
        DataSource counted = counter.wrap(database);
        int warmUp = Math.max(100, cases / 10);
        BareJdbcLoop.run(counted, 0, warmUp, threads, documentSize, false);
        Counts before = Counts.of(counter);
        long cpu = processCpuNanos();
        double seconds = BareJdbcLoop.run(counted, warmUp, cases, threads, documentSize, false);
        return new Figures(cases, threads, cases, seconds, (processCpuNanos() - cpu) / 1e9,
                Counts.of(counter).since(before), 0);
    }

    private static Figures engineOn(DataSource database, int cases, int threads) throws Exception {
        int warmUp = Math.max(100, cases / 10);
        SandboxBackend sandbox = ThroughputBenchmark.seededSandbox(warmUp + cases);
        WriteCounter counter = new WriteCounter();
        try (JdbcCaseStore store = JdbcCaseStore.create(counter.wrap(database));
                Unbinder unbinder = ThroughputBenchmark.unbinder(store, new SandboxProvider(sandbox), "happy")) {
            List<Unbinder> unbinders = List.of(unbinder);
            ThroughputBenchmark.run(unbinders, 0, warmUp, threads);
            Counts before = Counts.of(counter);
            long cpu = processCpuNanos();
            long started = System.nanoTime();
            int completed = ThroughputBenchmark.run(unbinders, warmUp, cases, threads);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Figures(cases, threads, completed, seconds, (processCpuNanos() - cpu) / 1e9,
                    Counts.of(counter).since(before), 0);
        }
    }

    /** The engine alone, on the in-memory store: what it costs without a database. */
    private static Figures engineInMemory(int cases, int threads) throws Exception {
        int warmUp = Math.max(100, cases / 10);
        SandboxBackend sandbox = ThroughputBenchmark.seededSandbox(warmUp + cases);
        try (Unbinder unbinder = ThroughputBenchmark.unbinder(new InMemoryCaseStore(), new SandboxProvider(sandbox),
                "happy")) {
            List<Unbinder> unbinders = List.of(unbinder);
            ThroughputBenchmark.run(unbinders, 0, warmUp, threads);
            long cpu = processCpuNanos();
            long started = System.nanoTime();
            int completed = ThroughputBenchmark.run(unbinders, warmUp, cases, threads);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Figures(cases, threads, completed, seconds, (processCpuNanos() - cpu) / 1e9,
                    new Counts(0, 0, 0, 0, 0), 0);
        }
    }

    private static Figures engine(int cases, int threads, boolean compress, String extraOptions, boolean detail,
            boolean toDisk) throws Exception {
        int warmUp = Math.max(100, cases / 10);
        SandboxBackend sandbox = ThroughputBenchmark.seededSandbox(warmUp + cases);
        Path directory = Files.createTempDirectory("posunbind-happy-engine");
        try {
            JdbcDataSource h2 = new JdbcDataSource();
            String options = (compress ? StoreFootprint.H2_OPTIONS
                    : StoreFootprint.H2_OPTIONS.replace(";COMPRESS=TRUE", "")) + extraOptions;
            h2.setURL("jdbc:h2:file:" + directory.resolve("posunbind") + options);
            WriteCounter counter = new WriteCounter();
            // As JdbcCaseStore.h2File opens it (same URL options), through a DataSource that counts the writes.
            try (JdbcCaseStore store = JdbcCaseStore.create(counter.wrap(h2), toDisk
                    ? CommitDurability.SURVIVES_POWER_LOSS : CommitDurability.SURVIVES_PROCESS_CRASH);
                    Unbinder unbinder = ThroughputBenchmark.unbinder(store, new SandboxProvider(sandbox), "happy")) {
                List<Unbinder> unbinders = List.of(unbinder);
                ThroughputBenchmark.run(unbinders, 0, warmUp, threads);
                Counts before = Counts.of(counter);
                counter.resetBySql();
                long file = StoreFootprint.physicalBytesWritten(h2, false);
                long cpu = processCpuNanos();
                long started = System.nanoTime();
                int completed = ThroughputBenchmark.run(unbinders, warmUp, cases, threads);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (detail) {
                    System.out.print("engine's statements that change rows, per case:\n" + counter.describeBySql(cases));
                }
                return new Figures(cases, threads, completed, seconds, (processCpuNanos() - cpu) / 1e9,
                        Counts.of(counter).since(before),
                        StoreFootprint.physicalBytesWritten(h2, false) - file);
            }
        } finally {
            ThroughputBenchmark.deleteRecursively(directory);
        }
    }
}
