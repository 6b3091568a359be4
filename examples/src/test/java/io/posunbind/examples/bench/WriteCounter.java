package io.posunbind.examples.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Counts, at the JDBC boundary, what a store writes: the statements that change rows ({@code INSERT},
 * {@code UPDATE}, {@code DELETE}, {@code MERGE}; a batch counts each of its rows) and the bytes of the
 * values they carry (a string's UTF-8 bytes, eight for a number or instant, one for a boolean). What the
 * database then writes to disk (pages, log) is measured beside it with the database's own statistics.
 * Apart from those: the writes of a case's row ({@code posunbind_case}: inserts, updates, reschedules and
 * claims), the commits (calls of {@code commit()}, and statements run in auto-commit mode), which the
 * store's group commit shares between cases, and the forcings of H2's file to the disk ({@code CHECKPOINT SYNC}),
 * which it shares too. Thread-safe.
 */
final class WriteCounter {

    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong caseRowWrites = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong forcings = new AtomicLong();
    /** Per statement text: how often it ran (a batch's rows each count) and the bytes of values it carried. */
    private final Map<String, LongAdder[]> bySql = new ConcurrentHashMap<>();

    /** A DataSource that counts the writes made through its connections. */
    DataSource wrap(DataSource dataSource) {
        return proxy(DataSource.class, dataSource);
    }

    long statements() {
        return statements.get();
    }

    long bytes() {
        return bytes.get();
    }

    long caseRowWrites() {
        return caseRowWrites.get();
    }

    long commits() {
        return commits.get();
    }

    /** Forcings of H2's file to the disk ({@code CHECKPOINT SYNC}). */
    long forcings() {
        return forcings.get();
    }

    /** Per statement text that changes rows: how often it ran and the bytes it carried, each per case. */
    String describeBySql(int cases) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(bySql).forEach((sql, counts) -> text.append(counts[0].sum() == 0 ? "" : String.format(Locale.ROOT,
                "  %6.2f/case %8.0f B/case  %s%n", counts[0].sum() / (double) cases, counts[1].sum() / (double) cases,
                sql.length() > 150 ? sql.substring(0, 150) + "…" : sql)));
        return text.toString();
    }

    /** Forgets the counts per statement text, as after a warm-up. */
    void resetBySql() {
        // Prepared statements keep their counters: zero them rather than forget them.
        bySql.values().forEach(counts -> {
            counts[0].reset();
            counts[1].reset();
        });
    }

    /** The counters of a statement text, looked up once per prepared statement, not per execution. */
    private LongAdder[] countsOf(String sql) {
        return sql == null ? null : bySql.computeIfAbsent(sql.strip().replaceAll("\\s+", " "),
                key -> new LongAdder[] {new LongAdder(), new LongAdder()});
    }

    private static void tally(LongAdder[] counts, long valueBytes) {
        counts[0].increment();
        counts[1].add(valueBytes);
    }

    String describe(int cases) {
        return String.format(Locale.ROOT, "writes/case=%.2f case-row-writes/case=%.2f commits/case=%.2f"
                + " value-bytes/case=%.0f", statements() / (double) cases, caseRowWrites() / (double) cases,
                commits() / (double) cases, bytes() / (double) cases);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(WriteCounter.class.getClassLoader(), new Class<?>[] {type},
                new Counting(target, null, false, null, null));
    }

    private final class Counting implements InvocationHandler {
        private final Object target;
        /** For a prepared statement: whether its SQL changes rows. */
        private final Boolean changesRows;
        /** For a prepared statement: whether it writes a case's row. */
        private final boolean caseRow;
        /** For a prepared statement: its connection's handler, for the auto-commit mode. */
        private final Counting connection;
        /** For a connection: whether it is in auto-commit mode. */
        private volatile boolean autoCommit = true;
        /** For a prepared statement that changes rows: the counters of its SQL. */
        private final LongAdder[] sqlCounts;
        private long pendingBytes;

        Counting(Object target, Boolean changesRows, boolean caseRow, Counting connection, String sql) {
            this.sqlCounts = Boolean.TRUE.equals(changesRows) ? countsOf(sql) : null;
            this.target = target;
            this.changesRows = changesRows;
            this.caseRow = caseRow;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            String name = method.getName();
            if (result instanceof Connection opened) {
                return Proxy.newProxyInstance(WriteCounter.class.getClassLoader(), new Class<?>[] {Connection.class},
                        new Counting(opened, null, false, null, null));
            }
            if (target instanceof Connection) {
                if (name.equals("setAutoCommit")) {
                    autoCommit = (Boolean) args[0];
                } else if (name.equals("commit")) {
                    commits.incrementAndGet();
                }
            }
            if (result instanceof PreparedStatement statement && name.startsWith("prepare")) {
                String sql = (String) args[0];
                return Proxy.newProxyInstance(WriteCounter.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, new Counting(statement, changes(sql),
                                writesCaseRow(sql), this, sql));
            }
            if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
                return Proxy.newProxyInstance(WriteCounter.class.getClassLoader(), new Class<?>[] {Statement.class},
                        new Counting(statement, null, false, this, null));
            }
            if (target instanceof Statement && !(target instanceof PreparedStatement) && name.startsWith("execute")
                    && args != null && args[0] instanceof String sql && sql.strip().equalsIgnoreCase("CHECKPOINT SYNC")) {
                forcings.incrementAndGet();
            }
            if (Boolean.TRUE.equals(changesRows)) {
                count(name, args, result);
            }
            return result;
        }

        private void count(String name, Object[] args, Object result) {
            if (name.equals("setNull")) {
                return;
            }
            if (name.startsWith("set") && args != null && args.length >= 2) {
                pendingBytes += size(args[1]);
            } else if (name.equals("executeUpdate") || name.equals("execute") || name.equals("executeLargeUpdate")
                    || name.equals("executeQuery")) {
                statements.incrementAndGet();
                bytes.addAndGet(pendingBytes);
                tally(sqlCounts, pendingBytes);
                pendingBytes = 0;
                executed();
            } else if (name.equals("addBatch")) {
                statements.incrementAndGet();
                bytes.addAndGet(pendingBytes);
                tally(sqlCounts, pendingBytes);
                pendingBytes = 0;
                if (caseRow) {
                    caseRowWrites.incrementAndGet();
                }
            } else if (name.equals("executeBatch") && connection != null && connection.autoCommit) {
                commits.incrementAndGet();
            } else if (name.equals("clearParameters")) {
                pendingBytes = 0;
            }
        }

        private void executed() {
            if (caseRow) {
                caseRowWrites.incrementAndGet();
            }
            if (connection != null && connection.autoCommit) {
                commits.incrementAndGet();
            }
        }
    }

    /** Whether the statement writes a row of {@code posunbind_case} (H2's claim is a SELECT of an UPDATE). */
    private static boolean writesCaseRow(String sql) {
        String upper = sql.toUpperCase(Locale.ROOT);
        return upper.matches("(?s)\\s*(INSERT INTO POSUNBIND_CASE \\(|UPDATE POSUNBIND_CASE ).*")
                || upper.contains("OLD TABLE (UPDATE POSUNBIND_CASE ");
    }

    private static Boolean changes(String sql) {
        String verb = sql.stripLeading().toUpperCase(Locale.ROOT);
        return verb.startsWith("INSERT") || verb.startsWith("UPDATE") || verb.startsWith("DELETE")
                || verb.startsWith("MERGE") || verb.startsWith("WITH") || verb.contains("OLD TABLE (UPDATE");
    }

    private static long size(Object value) {
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
        if (value instanceof byte[] data) {
            return data.length;
        }
        if (value instanceof Boolean) {
            return 1;
        }
        return value == null ? 0 : 8;
    }
}
