package io.posunbind.examples.bench;

import static io.posunbind.examples.bench.ThroughputBenchmark.argument;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.Unbinder;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 12, point 5: a million cases waiting for the institution's decision in the H2 store, the engine in a
 * JVM with {@code -Xmx512m} (profile {@code bench-million} forks one): heap after a full GC, the time of one
 * empty due-work pass, the time to open the millionth case, threads, and the store's size on disk. Not a test.
 *
 * <p>How the cases are made: the first case is opened through the engine against the sandbox and stops
 * waiting for the institution's decision. The next ones are copies of its stored rows (the case row, its
 * write-once parts and its provider reference), made by {@code INSERT … SELECT} in H2 in batches, with the
 * case id, terminal serial, merchant number and application reference replaced in the columns and in the
 * stored JSON; their wake time (the next poll of the institution) is spread over the hour after the run, so
 * no copy is due during it. Opening that many through the engine (some 300 cases a second) would take about
 * an hour. The last case is opened through the engine, on top of the others, and timed. The empty due pass is
 * also timed at the sizes named by {@code checkpoints}, to see whether it grows with what is stored.
 *
 * <p>Arguments: {@code cases=1000000}, {@code checkpoints=1000,100000}, {@code batch=20000}.
 */
public final class MillionWaitingCases {

    private static final String H2_OPTIONS = ";WRITE_DELAY=0;RETENTION_TIME=5000;LOCK_TIMEOUT=10000"
            + ";DB_CLOSE_ON_EXIT=FALSE;COMPRESS=TRUE;MAX_COMPACT_TIME=5000";
    private static final String TEMPLATE = "million-0000000";
    private static final Duration POLL = Duration.ofHours(1);

    private MillionWaitingCases() {
    }

    public static void main(String[] args) throws Exception {
        int cases = Integer.parseInt(argument(args, "cases", "1000000"));
        int batch = Integer.parseInt(argument(args, "batch", "20000"));
        List<Integer> checkpoints = Arrays.stream(argument(args, "checkpoints", "1000,100000,300000").split(","))
                .map(Integer::parseInt).filter(size -> size < cases - 1).toList();
        System.out.printf(Locale.ROOT, "args: %s; JVM max heap %d MB (%s)%n", String.join(" ", args),
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments());
        Path directory = Files.createTempDirectory("posunbind-million");
        try {
            SandboxBackend sandbox = new SandboxBackend();
            sandbox.setCompletionPolicy(CompletionPolicy.manual()); // the institution decides nothing
            for (int i : List.of(0, cases - 1)) {
                addMerchant(sandbox, i);
            }
            String reference = openTemplate(directory, sandbox);
            int stored = 1;
            for (int target : append(checkpoints, cases - 1)) {
                long started = System.nanoTime();
                copy(directory, stored, target, batch, reference);
                System.out.printf(Locale.ROOT, "seeded cases %d..%d by INSERT ... SELECT copies of case %s in %.1f s"
                        + " (%.0f cases/s)%n", stored, target - 1, TEMPLATE, seconds(started),
                        (target - stored) / seconds(started));
                stored = target;
                if (target < cases - 1) {
                    measure(directory, sandbox, stored, -1);
                }
            }
            measure(directory, sandbox, stored, cases - 1);
            long file = Files.size(directory.resolve("posunbind.mv.db"));
            System.out.printf(Locale.ROOT, "store on disk after a clean close: %d bytes (%.0f bytes/case) for %d cases%n",
                    file, file / (double) cases, cases);
        } finally {
            ThroughputBenchmark.deleteRecursively(directory);
        }
    }

    /** Opens the first case through the engine; returns the application reference the sandbox gave it. */
    private static String openTemplate(Path directory, SandboxBackend sandbox) throws SQLException {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(directory, ThroughputBenchmark.SHARED_KEYS);
                Unbinder unbinder = unbinder(store, sandbox)) {
            CaseSnapshot opened = unbinder.open(CaseId.of(TEMPLATE), ThroughputBenchmark.request(0));
            System.out.println("case " + TEMPLATE + " opened through the engine: " + opened.state() + " "
                    + opened.waitingFor().orElseThrow());
        }
        try (Connection connection = connect(directory); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT reference FROM posunbind_provider_reference"
                        + " WHERE case_id = '" + TEMPLATE + "'")) {
            return row.next() ? row.getString(1) : "none";
        }
    }

    /** Copies the template into cases {@code from .. to-1}, a batch per transaction. */
    private static void copy(Path directory, int from, int to, int batch, String reference) throws SQLException {
        String id = "'million-' || LPAD(CAST(X AS VARCHAR), 7, '0')";
        // Every replacement keeps the length: the case row's layout of its parts counts characters.
        String newReference = "'" + reference.substring(0, reference.length() - 8) + "B' || LPAD(CAST(X AS VARCHAR), 7,"
                + " '0')";
        String swap = "REPLACE(REPLACE(REPLACE(REPLACE(%s, '" + TEMPLATE + "', " + id + "), 'SN00000000', 'SN' || LPAD(CAST(X AS VARCHAR),"
                + " 8, '0')), 'M000000000', 'M' || LPAD(CAST(X AS VARCHAR), 9, '0')), '" + reference + "', "
                + newReference + ")";
        String cases = "INSERT INTO posunbind_case (case_id, version, state, provider_id, merchant_number,"
                + " terminal_serial, is_open, wake_at, created_at, updated_at, document, lease_owner, lease_until,"
                + " events_pending, wait_reason, waiting_since, part_layout) SELECT " + id + ", version, state,"
                + " provider_id, 'M' || LPAD(CAST(X AS VARCHAR), 9, '0'), 'SN' || LPAD(CAST(X AS VARCHAR), 8, '0'), is_open,"
                + " wake_at + " + POLL.toMillis() + " + MOD(X * 7919, " + POLL.toMillis() + "), created_at, updated_at, "
                + String.format(swap, "CAST(document AS VARCHAR)") + ", NULL, NULL, FALSE, wait_reason, waiting_since,"
                + " POSUNBIND_COPIED_LAYOUT(part_layout, X) FROM posunbind_case, SYSTEM_RANGE(?, ?) WHERE case_id = '"
                + TEMPLATE + "'";
        String parts = "INSERT INTO posunbind_case_part (case_id, name, content) SELECT " + id + ", name, "
                + String.format(swap, "CAST(content AS VARCHAR)") + " FROM posunbind_case_part, SYSTEM_RANGE(?, ?)"
                + " WHERE case_id = '" + TEMPLATE + "'";
        String references = "INSERT INTO posunbind_provider_reference (provider_id, reference, case_id) SELECT"
                + " provider_id, " + String.format(swap, "reference") + ", " + id + " FROM posunbind_provider_reference,"
                + " SYSTEM_RANGE(?, ?) WHERE case_id = '" + TEMPLATE + "'";
        Map<String, String> indexes = caseIndexes();
        try (Connection connection = connect(directory, ""); Statement ddl = connection.createStatement()) {
            copiedParts = templateParts(connection);
            copiedReference = reference;
            ddl.execute("CREATE ALIAS IF NOT EXISTS POSUNBIND_COPIED_LAYOUT FOR '" + MillionWaitingCases.class.getName()
                    + ".copiedLayout'");
            // The case table's secondary indexes are built once after the copy, with the schema's own statements:
            // maintaining seven indexes row by row made the copy some ten times slower.
            for (String name : indexes.keySet()) {
                ddl.execute("DROP INDEX IF EXISTS " + name);
            }
            connection.setAutoCommit(false);
            for (int first = from; first < to; first += batch) {
                int last = Math.min(to, first + batch) - 1;
                List<String> took = new ArrayList<>();
                for (String sql : List.of(cases, parts, references)) {
                    long started = System.nanoTime();
                    try (PreparedStatement insert = connection.prepareStatement(sql)) {
                        insert.setInt(1, first);
                        insert.setInt(2, last);
                        took.add(insert.executeUpdate() + " rows " + Math.round(seconds(started) * 1000) + " ms");
                    }
                }
                long commit = System.nanoTime();
                connection.commit();
                if (first == from) {
                    System.out.println("  first batch: " + took + ", commit " + Math.round(seconds(commit) * 1000) + " ms");
                }
            }
            connection.setAutoCommit(true);
            long started = System.nanoTime();
            for (String create : indexes.values()) {
                ddl.execute(create);
            }
            System.out.printf(Locale.ROOT, "  %d indexes of posunbind_case created again in %.1f s%n", indexes.size(),
                    seconds(started));
            ddl.execute("DROP ALIAS IF EXISTS POSUNBIND_COPIED_LAYOUT");
        }
    }

    /** The template's parts, by name, as {@link #copiedLayout} rewrites them. */
    private static volatile Map<String, String> copiedParts = Map.of();
    private static volatile String copiedReference = "";

    private static Map<String, String> templateParts(Connection connection) throws SQLException {
        Map<String, String> parts = new LinkedHashMap<>();
        try (Statement query = connection.createStatement(); ResultSet rows = query.executeQuery(
                "SELECT name, content FROM posunbind_case_part WHERE case_id = '" + TEMPLATE + "'")) {
            while (rows.next()) {
                parts.put(rows.getString(1), rows.getString(2));
            }
        }
        return Map.copyOf(parts);
    }

    /**
     * The layout of copy {@code x}: the template's, with the check of each part (its length and the start of its
     * digest, see the store's DocumentParts) made for the part as the copy's SQL rewrites it, so that a copy reads
     * back as a case the store wrote. Called by H2 during the copy (an alias), with the same replacements as the
     * SQL's, in the same order.
     */
    public static String copiedLayout(String layout, int x) {
        if (layout == null) {
            return null;
        }
        StringBuilder copied = new StringBuilder();
        for (String entry : layout.split(",")) {
            String name = entry.substring(0, entry.indexOf('@'));
            String[] fields = entry.substring(entry.indexOf('@') + 1).split(":");
            String text = copiedParts.get(name).replace(TEMPLATE, "million-" + pad(x, 7))
                    .replace("SN00000000", "SN" + pad(x, 8)).replace("M000000000", "M" + pad(x, 9))
                    .replace(copiedReference, copiedReference.substring(0, copiedReference.length() - 8) + "B"
                            + pad(x, 7));
            copied.append(copied.length() == 0 ? "" : ",").append(name).append('@').append(fields[0]);
            if (fields.length == 3) {
                copied.append(':').append(text.length()).append(':').append(digest(text), 0, fields[2].length());
            }
        }
        return copied.toString();
    }

    private static String pad(int x, int width) {
        return String.format(Locale.ROOT, "%0" + width + "d", x);
    }

    /** As the store digests a part: SHA-256 of its UTF-8 bytes, base64 without padding. */
    private static String digest(String text) {
        try {
            return Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** The case table's secondary indexes as the H2 schema scripts leave them: name, then its CREATE statement. */
    private static Map<String, String> caseIndexes() {
        Map<String, String> indexes = new LinkedHashMap<>();
        Pattern create = Pattern.compile("CREATE (UNIQUE )?INDEX IF NOT EXISTS (\\w+) ON posunbind_case \\([^)]*\\)");
        Pattern drop = Pattern.compile("DROP INDEX IF EXISTS (\\w+)");
        for (String name : List.of("V1__cases.sql", "V2__leases_and_outbox.sql", "V3__one_open_case_per_terminal.sql",
                "V4__drop_terminal_index.sql", "V6__find_stuck_cases.sql", "V8__write_once_parts.sql")) {
            String script = schemaScript(name);
            Matcher created = create.matcher(script);
            while (created.find()) {
                indexes.put(created.group(2), created.group());
            }
            Matcher dropped = drop.matcher(script);
            while (dropped.find()) {
                indexes.remove(dropped.group(1));
            }
        }
        return indexes;
    }

    private static String schemaScript(String name) {
        try (InputStream script = JdbcCaseStore.class.getResourceAsStream("/io/posunbind/store/schema/h2/" + name)) {
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the store and the engine on what is stored, and times an empty due pass (and, when {@code open} is
     * not negative, the opening of case {@code open} through the engine), then closes them.
     */
    private static void measure(Path directory, SandboxBackend sandbox, int stored, int open) throws Exception {
        long started = System.nanoTime();
        try (JdbcCaseStore store = JdbcCaseStore.h2File(directory, ThroughputBenchmark.SHARED_KEYS);
                Unbinder unbinder = unbinder(store, sandbox)) {
            double startup = seconds(started);
            List<Double> passes = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long pass = System.nanoTime();
                int advanced = unbinder.runDueWork();
                passes.add(seconds(pass) * 1000);
                if (advanced != 0) {
                    System.out.println("  (the pass found " + advanced + " due cases: not empty)");
                }
            }
            List<Double> timed = passes.subList(2, passes.size()).stream().sorted().toList(); // two to warm up
            System.out.printf(Locale.ROOT, "%d cases stored: store and engine opened in %.2f s; empty due pass %.2f ms"
                    + " (median of 5 after 2 warm-up passes; %s ms); plan: %s%n", stored, startup, timed.get(2),
                    format(passes), plan(directory));
            if (open >= 0) {
                long opening = System.nanoTime();
                CaseSnapshot opened = unbinder.open(CaseId.of("million-" + String.format("%07d", open)),
                        ThroughputBenchmark.request(open));
                double openMillis = seconds(opening) * 1000;
                System.out.printf(Locale.ROOT, "opened case %d (the millionth) through the engine in %.1f ms: %s %s;"
                        + " a seeded copy loads: %s%n", open + 1, openMillis, opened.state(),
                        opened.waitingFor().orElseThrow(), unbinder.find(CaseId.of(String.format("million-%07d", open / 2))).map(snapshot ->
                                snapshot.state() + " " + snapshot.waitingFor().orElseThrow()).orElse("missing"));
                long pass = System.nanoTime();
                unbinder.runDueWork();
                System.out.printf(Locale.ROOT, "empty due pass with %d cases: %.2f ms%n", open + 1, seconds(pass) * 1000);
                System.gc();
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf(Locale.ROOT, "heap after a full GC, store and engine open on %d cases: %.1f MB;"
                        + " live threads %d%n", open + 1, heap / 1048576.0,
                        ManagementFactory.getThreadMXBean().getThreadCount());
            }
        }
    }

    /** How H2 runs the due query, to show it reads the wake-time index and not the whole table. */
    private static String plan(Path directory) throws SQLException {
        try (Connection connection = connect(directory); Statement statement = connection.createStatement();
                ResultSet plan = statement.executeQuery("EXPLAIN SELECT case_id FROM posunbind_case WHERE is_open = TRUE"
                        + " AND wake_at <= 0 AND (lease_until IS NULL OR lease_until <= 0) ORDER BY wake_at, case_id"
                        + " LIMIT 100")) {
            plan.next();
            return plan.getString(1).replaceAll("\\s+", " ");
        }
    }

    private static Connection connect(Path directory) throws SQLException {
        return connect(directory, H2_OPTIONS);
    }

    /** For the copy: H2's default write delay (the copy is written when the database closes), pages compressed. */
    private static Connection connect(Path directory, String options) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("posunbind").toString()
                .replace('\\', '/') + (options.isEmpty() ? ";COMPRESS=TRUE;RETENTION_TIME=5000" : options));
    }

    private static Unbinder unbinder(JdbcCaseStore store, SandboxBackend sandbox) {
        return Unbinder.builder().store(store).provider(new SandboxProvider(sandbox)).withoutDiscovery()
                .instanceId("million").pollInterval(POLL).build();
    }

    private static void addMerchant(SandboxBackend sandbox, int i) {
        String merchant = String.format("M%09d", i);
        sandbox.addMerchant(merchant, "商户" + i, "91310000MA1FL4B24G", "法人" + i);
        sandbox.setFees(merchant, List.of());
        sandbox.addTerminal(ThroughputBenchmark.serial(i), "PAX A920", merchant);
    }

    private static List<Integer> append(List<Integer> list, int last) {
        List<Integer> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    private static String format(List<Double> millis) {
        return millis.stream().map(value -> String.format(Locale.ROOT, "%.2f", value)).toList().toString();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
