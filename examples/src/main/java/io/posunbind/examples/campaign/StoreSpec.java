package io.posunbind.examples.campaign;

import io.posunbind.store.JdbcCaseStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Where a campaign keeps its cases, as given on a worker's command line: {@code h2:<directory>} for the
 * embedded H2 file store, or a {@code jdbc:postgresql://...} URL with a user and password.
 *
 * <p>Immutable and thread-safe.
 *
 * @param spec     {@code h2:<directory>} or a PostgreSQL JDBC URL
 * @param user     the database user; empty for H2
 * @param password the database password; empty for H2
 */
public record StoreSpec(String spec, String user, String password) {

    private static final String H2_PREFIX = "h2:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    /** Checks the spec's form. */
    public StoreSpec {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!spec.startsWith(H2_PREFIX) && !spec.startsWith(POSTGRES_PREFIX)) {
            throw new IllegalArgumentException("A store is h2:<directory> or jdbc:postgresql://..., was " + spec);
        }
    }

    /** The H2 file store in a directory. */
    public static StoreSpec h2(Path directory) {
        return new StoreSpec(H2_PREFIX + directory.toAbsolutePath(), "", "");
    }

    /** A PostgreSQL database. */
    public static StoreSpec postgres(String jdbcUrl, String user, String password) {
        return new StoreSpec(jdbcUrl, user, password);
    }

    /** Whether this is the H2 file store, which only one process may open at a time. */
    public boolean isH2() {
        return spec.startsWith(H2_PREFIX);
    }

    /** Opens the store; the caller closes it. */
    public JdbcCaseStore open() {
        if (isH2()) {
            return JdbcCaseStore.h2File(Path.of(spec.substring(H2_PREFIX.length())));
        }
        return JdbcCaseStore.create(new DriverManagerDataSource(spec, user, password));
    }

    /** The command-line arguments that give this store to a {@link CampaignWorker}. */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of("--store", spec));
        if (!isH2()) {
            arguments.addAll(List.of("--db-user", user, "--db-password", password));
        }
        return arguments;
    }

    @Override
    public String toString() {
        // Never the password.
        return "StoreSpec[" + spec + (user.isEmpty() ? "" : " as " + user) + "]";
    }

    /**
     * A DataSource that opens a new connection per call. Enough for {@link JdbcCaseStore}, which keeps its
     * few connections for its whole life; no pool library needed.
     */
    private static final class DriverManagerDataSource implements DataSource {
        private final String url;
        private final String user;
        private final String password;
        private PrintWriter logWriter;
        private int loginTimeoutSeconds;

        DriverManagerDataSource(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        @Override
        public Connection getConnection(String otherUser, String otherPassword) throws SQLException {
            return DriverManager.getConnection(url, otherUser, otherPassword);
        }

        @Override
        public PrintWriter getLogWriter() {
            return logWriter;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            this.logWriter = out;
        }

        @Override
        public void setLoginTimeout(int seconds) {
            this.loginTimeoutSeconds = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeoutSeconds;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("DriverManagerDataSource does not log through java.util.logging");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("Not a wrapper of " + type.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }
}
