package io.posunbind.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A test hook at the JDBC boundary: counts the rows a store's statements write to one table (each executed
 * statement or batch entry whose SQL inserts, updates, merges or deletes in it) and the bytes of all the
 * string values it sends with row-changing statements.
 */
final class WriteCountingDataSource {

    private final String table;
    private final AtomicLong tableWrites = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();

    WriteCountingDataSource(String table) {
        this.table = table.toLowerCase(Locale.ROOT);
    }

    /** Statements (and batch entries) that changed rows of the table. */
    long tableWrites() {
        return tableWrites.get();
    }

    /** UTF-8 bytes of the string values sent with any row-changing statement. */
    long bytesSent() {
        return bytesSent.get();
    }

    DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                new Handler(target, null));
    }

    private final class Handler implements InvocationHandler {
        private final Object target;
        /** For a prepared statement: its SQL in lower case, when it changes rows. */
        private final String changingSql;

        Handler(Object target, String changingSql) {
            this.target = target;
            this.changingSql = changingSql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            String name = method.getName();
            if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                        new Handler(connection, null));
            }
            if (result instanceof PreparedStatement statement && name.equals("prepareStatement")) {
                String sql = ((String) args[0]).strip().toLowerCase(Locale.ROOT);
                boolean changes = sql.startsWith("insert") || sql.startsWith("update") || sql.startsWith("merge")
                        || sql.startsWith("delete");
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                        new Handler(statement, changes ? sql : null));
            }
            if (changingSql != null) {
                if (name.equals("setString") && args[1] != null) {
                    bytesSent.addAndGet(((String) args[1]).getBytes(StandardCharsets.UTF_8).length);
                } else if (name.equals("executeUpdate") || name.equals("addBatch")) {
                    if (changingSql.matches("(insert into|update|merge into|delete from) " + table + "\\b.*")) {
                        tableWrites.incrementAndGet();
                    }
                }
            }
            return result;
        }
    }
}
