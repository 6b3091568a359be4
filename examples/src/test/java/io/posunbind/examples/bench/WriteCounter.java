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
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Counts, at the JDBC boundary, what a store writes: the statements that change rows ({@code INSERT},
 * {@code UPDATE}, {@code DELETE}, {@code MERGE}; a batch counts each of its rows) and the bytes of the
 * values they carry (a string's UTF-8 bytes, eight for a number or instant, one for a boolean). What the
 * database then writes to disk (pages, log) is measured beside it with the database's own statistics.
 * Thread-safe.
 */
final class WriteCounter {

    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

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

    String describe(int cases) {
        return String.format(Locale.ROOT, "writes/case=%.2f value-bytes/case=%.0f", statements() / (double) cases,
                bytes() / (double) cases);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(WriteCounter.class.getClassLoader(), new Class<?>[] {type},
                new Counting(target, null));
    }

    private final class Counting implements InvocationHandler {
        private final Object target;
        /** For a prepared statement: whether its SQL changes rows. */
        private final Boolean changesRows;
        private long pendingBytes;

        Counting(Object target, Boolean changesRows) {
            this.target = target;
            this.changesRows = changesRows;
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
            if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(WriteCounter.class.getClassLoader(), new Class<?>[] {Connection.class},
                        new Counting(connection, null));
            }
            if (result instanceof PreparedStatement statement && name.startsWith("prepare")) {
                return Proxy.newProxyInstance(WriteCounter.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, new Counting(statement, changes((String) args[0])));
            }
            if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
                return result;
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
            } else if (name.equals("executeUpdate") || name.equals("execute") || name.equals("executeLargeUpdate")) {
                statements.incrementAndGet();
                bytes.addAndGet(pendingBytes);
                pendingBytes = 0;
            } else if (name.equals("addBatch")) {
                statements.incrementAndGet();
                bytes.addAndGet(pendingBytes);
                pendingBytes = 0;
            } else if (name.equals("clearParameters")) {
                pendingBytes = 0;
            }
        }
    }

    private static Boolean changes(String sql) {
        String verb = sql.stripLeading().toUpperCase(Locale.ROOT);
        return verb.startsWith("INSERT") || verb.startsWith("UPDATE") || verb.startsWith("DELETE")
                || verb.startsWith("MERGE") || verb.startsWith("WITH");
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
