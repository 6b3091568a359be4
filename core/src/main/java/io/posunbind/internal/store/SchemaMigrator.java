package io.posunbind.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Brings a database to the newest schema version: applies, in order, the scripts whose versions are not
 * yet recorded in {@code posunbind_schema_version}, and records each. A reopened database gets nothing
 * applied twice; a database at V1 given V1 and V2 gets V2 alone.
 *
 * <p>Immutable; {@link #migrate} uses only the connection it is given.
 */
public final class SchemaMigrator {

    /** Table that records which schema versions a database has. */
    public static final String VERSION_TABLE = "posunbind_schema_version";

    private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS " + VERSION_TABLE
            + " (version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)";
    private static final String SELECT_VERSIONS = "SELECT version FROM " + VERSION_TABLE;
    private static final String INSERT_VERSION = "INSERT INTO " + VERSION_TABLE
            + " (version, description, applied_at) VALUES (?, ?, ?)";

    private final SqlDialect dialect;
    private final List<SchemaScript> scripts;
    private final Clock clock;

    /** Creates a migrator for a dialect's scripts, in any order; versions must be distinct. */
    public SchemaMigrator(SqlDialect dialect, List<SchemaScript> scripts, Clock clock) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.clock = Objects.requireNonNull(clock, "clock");
        List<SchemaScript> sorted = new ArrayList<>(scripts);
        sorted.sort(Comparator.comparingInt(SchemaScript::version));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).version() == sorted.get(i - 1).version()) {
                throw new IllegalArgumentException("Two schema scripts have version " + sorted.get(i).version());
            }
        }
        this.scripts = List.copyOf(sorted);
    }

    /**
     * Applies the missing scripts. The connection is left in auto-commit mode.
     *
     * @return the versions applied now, in order; empty when the schema was up to date
     */
    public List<Integer> migrate(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try {
            List<Integer> applied = migrateInTransaction(connection);
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private List<Integer> migrateInTransaction(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (dialect.migrationLockSql().isPresent()) {
                statement.execute(dialect.migrationLockSql().get());
            }
            statement.execute(CREATE_VERSION_TABLE);
        }
        Set<Integer> present = presentVersions(connection);
        List<Integer> appliedNow = new ArrayList<>();
        for (SchemaScript script : scripts) {
            if (present.contains(script.version())) {
                continue;
            }
            if (dialect.transactionalDdl()) {
                // Everything commits together at the end, so a failed script leaves no trace.
                record(connection, script);
                run(connection, script);
                appliedNow.add(script.version());
            } else if (runThenRecord(connection, script)) {
                appliedNow.add(script.version());
            }
        }
        return appliedNow;
    }

    /**
     * Without transactional DDL the version is recorded only once the script ran, so a crash in between
     * re-runs the script next time (our scripts tolerate that). Another migrator of the same database
     * may have recorded it meanwhile; that is not an error.
     */
    private boolean runThenRecord(Connection connection, SchemaScript script) throws SQLException {
        run(connection, script);
        try {
            record(connection, script);
            connection.commit();
            return true;
        } catch (SQLException e) {
            if (!SqlStates.isIntegrityViolation(e)) {
                throw e;
            }
            connection.rollback();
            return false;
        }
    }

    private static Set<Integer> presentVersions(Connection connection) throws SQLException {
        Set<Integer> versions = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(SELECT_VERSIONS)) {
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
        }
        return versions;
    }

    private static void run(Connection connection, SchemaScript script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : script.statements()) {
                statement.execute(sql);
            }
        }
    }

    private void record(Connection connection, SchemaScript script) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_VERSION)) {
            insert.setInt(1, script.version());
            insert.setString(2, script.description());
            insert.setLong(3, clock.millis());
            insert.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
