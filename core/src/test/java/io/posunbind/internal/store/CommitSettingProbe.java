package io.posunbind.internal.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that hands out PostgreSQL connections unchanged, except that it notes the value of
 * {@code synchronous_commit} in force at every write and every commit made through them: what a store's
 * writes actually run under, seen from inside its own sessions and transactions.
 */
public final class CommitSettingProbe implements DataSource {

    private final DataSource target;
    private final List<String> observed = new CopyOnWriteArrayList<>();

    public CommitSettingProbe(DataSource target) {
        this.target = target;
    }

    /** "INSERT ...=on", "COMMIT=off" and the like, one per write or commit, in order. */
    public List<String> observed() {
        return List.copyOf(observed);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return watch(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return watch(target.getConnection(user, password));
    }

    private Connection watch(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("commit")) {
                note(connection, "COMMIT");
            }
            Object result = invoke(connection, method, args);
            if (result instanceof PreparedStatement statement && args != null && args[0] instanceof String sql) {
                return watch(connection, statement, PreparedStatement.class, sql);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private <T> T watch(Connection connection, T statement, Class<T> type, String sql) {
        String verb = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        boolean write = verb.equals("INSERT") || verb.equals("UPDATE") || verb.equals("DELETE");
        InvocationHandler handler = (proxy, method, args) -> {
            if (write && method.getName().startsWith("execute")) {
                note(connection, verb);
            }
            return invoke(statement, method, args);
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }

    private void note(Connection connection, String what) throws SQLException {
        try (Statement show = connection.createStatement();
                ResultSet value = show.executeQuery("SHOW synchronous_commit")) {
            value.next();
            observed.add(what + "=" + value.getString(1));
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return target.isWrapperFor(type);
    }
}
